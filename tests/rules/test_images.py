"""Image references parsed as ParseNormalizedNamed does, default pull policy, registry patterns."""

import pytest

from kubeguard.rules._helpers.images import RegistryPattern, effective_pull_policy, parse_image

SHA = "sha256:" + "a" * 64


@pytest.mark.parametrize("image,domain,path,tag,digest", [
    ("nginx", "docker.io", "library/nginx", None, None),
    ("nginx:1.27", "docker.io", "library/nginx", "1.27", None),
    ("bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", None),
    ("index.docker.io/library/nginx", "docker.io", "library/nginx", None, None),
    ("docker.io/nginx", "docker.io", "library/nginx", None, None),
    ("localhost/app", "localhost", "app", None, None),
    ("localhost:5000/team/app:v1", "localhost:5000", "team/app", "v1", None),
    ("registry.example.com:443/a/b/c:1.0-rc.1", "registry.example.com:443", "a/b/c", "1.0-rc.1", None),
    ("ghcr.io/acme/app@" + SHA, "ghcr.io", "acme/app", None, SHA),
    ("ghcr.io/acme/app:1.2@" + SHA, "ghcr.io", "acme/app", "1.2", SHA),
    ("[::1]:5000/app", "[::1]:5000", "app", None, None),
    ("gcr.io/proj/img_name__x-y.z:TAG_1", "gcr.io", "proj/img_name__x-y.z", "TAG_1", None),
    ("myhost:5000", "docker.io", "library/myhost", "5000", None),  # no slash: a tag, not a port
    ("Upper/app", "Upper", "app", None, None),  # upper case first component is a domain
])
def test_parse(image, domain, path, tag, digest):
    ref = parse_image(image)
    assert ref.valid, ref.error
    assert (ref.domain, ref.path, ref.tag, ref.digest) == (domain, path, tag, digest)


@pytest.mark.parametrize("image", [
    "", " nginx", "Nginx", "example.com/Team/app", "nginx:", "nginx:-bad", "app@sha256:abc",
    "app@sha256:" + "A" * 64, "app@md5:" + "a" * 32, "a" * 64, "nginx:" + "t" * 129, "a//b", "-app", "app:tag:x",
])
def test_invalid(image):
    assert not parse_image(image).valid


@pytest.mark.parametrize("image,policy", [
    ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"),
    ("nginx@" + SHA, "IfNotPresent"), ("nginx:latest@" + SHA, "Always"), ("Bad Image", "IfNotPresent"),
    ("nginx:Latest", "IfNotPresent"),
])
def test_default_pull_policy(image, policy):
    assert parse_image(image).default_pull_policy == policy
    assert effective_pull_policy({"image": image}) == (policy, False)
    assert effective_pull_policy({"image": image, "imagePullPolicy": "Never"}) == ("Never", True)


@pytest.mark.parametrize("entry,image,ok", [
    ("docker.io", "nginx", True),
    ("docker.io/library", "nginx", True),
    ("docker.io/library", "bitnami/redis", False),
    ("index.docker.io", "nginx", True),
    ("ghcr.io/acme", "ghcr.io/acme/app:1", True),
    ("ghcr.io/acme", "ghcr.io/acme-evil/app:1", False),
    ("ghcr.io/acme/", "ghcr.io/acme/team/app", True),
    ("*.azurecr.io", "prod.azurecr.io/app:1", True),
    ("*.azurecr.io", "azurecr.io.evil.com/app", False),
    ("https://registry.example.com", "registry.example.com/app", True),
    ("registry.example.com", "registry.example.com:5000/app", False),
    ("localhost:5000", "localhost:5000/app", True),
])
def test_registry_patterns(entry, image, ok):
    assert RegistryPattern.parse(entry).matches(parse_image(image)) is ok

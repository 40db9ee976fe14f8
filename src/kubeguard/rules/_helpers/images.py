"""Container image references, parsed the way the kubelet and container runtimes do.

Follows the distribution reference grammar (``github.com/distribution/reference``)
and ``ParseNormalizedNamed``:

* ``[domain[:port]/]path[:tag][@digest]``; the first path component is a domain
  only when it contains ``.`` or ``:``, is ``localhost``, or has upper-case letters.
* No domain means Docker Hub: ``nginx`` is ``docker.io/library/nginx`` and
  ``bitnami/redis`` is ``docker.io/bitnami/redis``; ``index.docker.io`` is ``docker.io``.
* Repository paths are lower case; tags are ``[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}``;
  digests are ``algorithm:hex`` with sha256/384/512 of the exact length.
* The default pull policy (``SetDefaults_Container``) is ``Always`` when the tag is
  ``latest`` or when there is neither tag nor digest, otherwise ``IfNotPresent``.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_DOMAIN = "docker.io"
_LEGACY_DEFAULT_DOMAIN = "index.docker.io"
_OFFICIAL_REPO_PREFIX = "library/"

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_NAME = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*"
_HOST = rf"(?:{_DOMAIN_NAME}|\[[a-fA-F0-9:]+\])"
_DOMAIN = rf"{_HOST}(?::[0-9]+)?"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}"
_REFERENCE = re.compile(
    rf"^(?P<domain>{_DOMAIN})/(?P<path>{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*)"
    rf"(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?$"
)
_IDENTIFIER = re.compile(r"^[a-f0-9]{64}$")
_DIGEST_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_NAME_TOTAL_MAX = 255


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A parsed image reference.  ``error`` is set (and the parts may be empty) when invalid."""

    original: str
    domain: str = ""
    path: str = ""
    tag: str | None = None
    digest: str | None = None
    error: str | None = None

    @property
    def valid(self) -> bool:
        return self.error is None

    @property
    def name(self) -> str:
        """Fully qualified repository name without tag or digest: ``docker.io/library/nginx``."""
        return f"{self.domain}/{self.path}" if self.domain else self.path

    @property
    def repository(self) -> str:
        """The last path component (``nginx`` for ``docker.io/library/nginx``)."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def effective_tag(self) -> str | None:
        """The tag the runtime resolves: ``latest`` when neither tag nor digest is given."""
        if self.tag:
            return self.tag
        return None if self.digest else "latest"

    @property
    def pinned(self) -> bool:
        """True when a valid digest fixes the image content."""
        return self.valid and self.digest is not None

    @property
    def default_pull_policy(self) -> str:
        """``imagePullPolicy`` the API server fills in when the field is absent."""
        if not self.valid:
            return "IfNotPresent"  # upstream ignores the parse error and finds no tag
        return "Always" if self.effective_tag == "latest" else "IfNotPresent"


@lru_cache(maxsize=8192)
def parse_image(image: str) -> ImageRef:
    """Parse ``image`` as ``ParseNormalizedNamed`` does (pure; cached because images repeat)."""
    if not isinstance(image, str) or not image:
        return ImageRef(str(image or ""), error="image is empty")
    if image != image.strip():
        return ImageRef(image, error="image has leading or trailing whitespace")
    if _IDENTIFIER.match(image):
        return ImageRef(image, error="a 64-character hexadecimal string is an image id, not a reference")
    domain, remainder = _split_domain(image)
    name_part = re.split(r"[:@]", remainder, maxsplit=1)[0]
    if name_part != name_part.lower():
        return ImageRef(image, error="repository name must be lower case")
    m = _REFERENCE.match(f"{domain}/{remainder}")
    if m is None:
        return ImageRef(image, error="not a valid image reference ([registry/]path[:tag][@digest])")
    path, tag, digest = m.group("path"), m.group("tag"), m.group("digest")
    if len(domain) + 1 + len(path) > _NAME_TOTAL_MAX:
        return ImageRef(image, error=f"repository name is longer than {_NAME_TOTAL_MAX} characters")
    if digest is not None:
        algorithm, _, hexpart = digest.partition(":")
        want = _DIGEST_LENGTHS.get(algorithm)
        if want is None:
            return ImageRef(image, error=f"unsupported digest algorithm {algorithm!r}")
        if len(hexpart) != want or hexpart != hexpart.lower():
            return ImageRef(image, error=f"{algorithm} digest must be {want} lower-case hex characters")
    return ImageRef(image, domain, path, tag, digest)


def _split_domain(name: str) -> tuple[str, str]:
    i = name.find("/")
    first = name[:i] if i >= 0 else ""
    if i == -1 or (not any(c in first for c in ".:") and first != "localhost" and first.lower() == first):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = first, name[i + 1:]
    if domain == _LEGACY_DEFAULT_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = _OFFICIAL_REPO_PREFIX + remainder
    return domain, remainder


def effective_pull_policy(container: dict) -> tuple[str, bool]:
    """``(policy, explicit)`` for a container mapping: the set value, or the upstream default."""
    policy = container.get("imagePullPolicy")
    if isinstance(policy, str) and policy:
        return policy, True
    image = container.get("image")
    return parse_image(image if isinstance(image, str) else "").default_pull_policy, False


@dataclass(frozen=True, slots=True)
class RegistryPattern:
    """An allow/deny-list entry: ``host[:port]`` (``*`` wildcards allowed) plus an optional path prefix.

    ``docker.io`` matches every Docker Hub image, ``docker.io/library`` only official
    images, ``*.azurecr.io`` any Azure registry, ``ghcr.io/acme`` anything under
    ``ghcr.io/acme/``.  Matching is on whole path components, so ``ghcr.io/acme``
    does not match ``ghcr.io/acme-evil/x``.
    """

    entry: str
    domain: str
    path: str

    @staticmethod
    def parse(entry: str) -> "RegistryPattern":
        text = entry.strip().rstrip("/")
        for scheme in ("https://", "http://"):
            if text.lower().startswith(scheme):
                text = text[len(scheme):]
        domain, _, path = text.partition("/")
        domain = domain.lower()
        if domain == _LEGACY_DEFAULT_DOMAIN:
            domain = DEFAULT_DOMAIN
        return RegistryPattern(entry, domain, path.strip("/"))

    def matches(self, ref: ImageRef) -> bool:
        if not ref.valid or not fnmatch.fnmatchcase(ref.domain.lower(), self.domain):
            return False
        if not self.path:
            return True
        return ref.path == self.path or ref.path.startswith(self.path + "/")


def registry_patterns(entries: list[str] | tuple[str, ...]) -> tuple[RegistryPattern, ...]:
    return tuple(RegistryPattern.parse(e) for e in entries if e and e.strip())

"""Container image comes from a deprecated or frozen registry.

## What it checks
Every container, init container and ephemeral container image against registries that have
been frozen or shut down, with their replacement (`deprecated_registries`):

* `k8s.gcr.io` (and its older aliases `gcr.io/google_containers`, `gcr.io/google-containers`):
  frozen since April 2023, replaced by `registry.k8s.io`;
* `docker.pkg.github.com`: the retired GitHub Packages Docker registry, replaced by `ghcr.io`.

## Why it matters
Frozen registries receive no new images, so nothing pulled from them gets security fixes, and
once they are switched off, pods fail to start on new nodes (`ImagePullBackOff`) at the worst
moment: during scale-up or node replacement.

## Failing example
```yaml
image: k8s.gcr.io/ingress-nginx/controller:v1.2.1
```

## Passing example
```yaml
image: registry.k8s.io/ingress-nginx/controller:v1.11.2
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.images import RegistryPattern, parse_image
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="SU004",
    slug="deprecated-image-registry",
    title="Container image comes from a deprecated or frozen registry",
    severity="medium",
    category="supplychain",
    target="workload",
    rationale=(
        "Frozen registries publish no fixes and eventually stop serving, so pods fail to pull during "
        "scale-ups and node replacements."
    ),
    remediation="Pull the image from the replacement registry named in the finding (for example registry.k8s.io).",
    references=(
        "https://kubernetes.io/blog/2023/02/06/k8s-gcr-io-freeze-announcement/",
        "https://kubernetes.io/blog/2023/03/10/image-registry-redirect/",
        "https://docs.github.com/en/packages/working-with-a-github-packages-registry/working-with-the-container-registry",
    ),
    params=(
        Param(name="deprecated_registries", type="dict[str,str]",
              default={"k8s.gcr.io": "registry.k8s.io", "gcr.io/google_containers": "registry.k8s.io",
                       "gcr.io/google-containers": "registry.k8s.io", "docker.pkg.github.com": "ghcr.io"},
              description="Deprecated registry (host or host/prefix) mapped to its replacement."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0253",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    table = [(RegistryPattern.parse(k), v) for k, v in ctx.params.deprecated_registries.items()]
    for c in pod.all_containers():
        ref = parse_image(c.image)
        for pattern, replacement in table:
            if pattern.matches(ref):
                yield Violation(f"container {c.name!r} pulls from {pattern.entry}, which is deprecated; use "
                                f"{replacement}", c.path("image"), container=c.name)
                break

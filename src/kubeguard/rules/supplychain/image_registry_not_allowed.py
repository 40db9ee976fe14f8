"""Container image comes from a registry that is not allowed.

## What it checks
The registry and repository of every container, init container and ephemeral container image
(normalised: `nginx` is `docker.io/library/nginx`) against two lists set in `.kubeguard.yaml`:

* `allowed_registries`: when not empty, every image must match one entry;
* `forbidden_registries`: no image may match any entry.

An entry is a registry host (with port if any, `*` wildcards allowed: `*.azurecr.io`), optionally
followed by a repository prefix matched on whole path components (`ghcr.io/acme` matches
`ghcr.io/acme/api` but not `ghcr.io/acme-evil/api`).  With both lists empty (the default) the
rule reports nothing.

## Why it matters
Pulling from arbitrary registries bypasses the scanning, signing and provenance controls of the
organisation's own registry, and typosquatted public images are a common way in.

## Failing example
```yaml
# allowed_registries: [registry.example.com, "*.dkr.ecr.*.amazonaws.com"]
image: docker.io/someone/tool:1.0
```

## Passing example
```yaml
image: registry.example.com/platform/tool:1.0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.images import parse_image, registry_patterns
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="SU003",
    slug="image-registry-not-allowed",
    title="Container image comes from a registry that is not allowed",
    severity="high",
    category="supplychain",
    tags=("mitre:T1525", "mitre:T1195.002"),
    target="workload",
    rationale=(
        "Images from arbitrary registries bypass the organisation's scanning, signing and provenance "
        "controls, and typosquatted public images are a known way in."
    ),
    remediation="Mirror the image into an allowed registry and reference it there, or extend allowed_registries.",
    references=(
        "https://kubernetes.io/docs/concepts/containers/images/",
        "https://kubernetes.io/docs/concepts/security/hardening-guide/authentication-mechanisms/",
    ),
    params=(
        Param(name="allowed_registries", type="list[str]", default=[],
              description="Registry hosts or host/repository prefixes images must come from; empty allows any."),
        Param(name="forbidden_registries", type="list[str]", default=[],
              description="Registry hosts or host/repository prefixes images must not come from."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0001", "C-0078"), "trivy": ("KSV-0125",), "popeye": ("POP-113",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    allowed = registry_patterns(ctx.params.allowed_registries)
    forbidden = registry_patterns(ctx.params.forbidden_registries)
    if not allowed and not forbidden:
        return
    for c in pod.all_containers():
        ref = parse_image(c.image)
        if not ref.valid:
            continue
        hit = next((p for p in forbidden if p.matches(ref)), None)
        if hit is not None:
            yield Violation(f"container {c.name!r} image {ref.name} comes from forbidden {hit.entry!r}",
                            c.path("image"), container=c.name)
        elif allowed and not any(p.matches(ref) for p in allowed):
            yield Violation(f"container {c.name!r} image {ref.name} is not from an allowed registry",
                            c.path("image"), container=c.name)

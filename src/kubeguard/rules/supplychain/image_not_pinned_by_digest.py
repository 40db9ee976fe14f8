"""Container image is not pinned by digest.

## What it checks
The `image` of every container, init container and ephemeral container for a valid
`@sha256:...` (or sha384/sha512) digest.  Tags, even specific ones, can be moved to other
content by anyone with push rights to the repository.

## Why it matters
A digest names the exact bytes that were reviewed and scanned.  Without it a compromised
registry account or CI pipeline can replace a release in place, and nodes will run it on the
next pull (MITRE T1525 "Implant Internal Image").

## Failing example
```yaml
image: ghcr.io/example/web:1.4.2
```

## Passing example
```yaml
image: ghcr.io/example/web:1.4.2@sha256:3b2f5c0e9a4d7e6f1a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f
```

## Differences from Checkov
As for SU001: templated, unparseable references are reported by SU008, not as missing digests
(Checkov's CKV_K8S_43 counts 40 of them on the corpus).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.images import parse_image
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SU002",
    slug="image-not-pinned-by-digest",
    title="Container image is not pinned by digest",
    severity="low",
    category="supplychain",
    tags=("mitre:T1525",),
    target="workload",
    rationale=(
        "Tags can be re-pointed to other content by anyone able to push; only a digest guarantees that the "
        "reviewed and scanned image is the one that runs."
    ),
    remediation="Pin images by digest (image:tag@sha256:...), updated by your CI or a bot such as Renovate.",
    references=(
        "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        "https://slsa.dev/spec/v1.0/requirements",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0306",), "checkov": ("CKV_K8S_43",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        ref = parse_image(c.image)
        if ref.valid and not ref.pinned:
            yield Violation(f"container {c.name!r} image {c.image!r} is not pinned by digest", c.path("image"),
                            container=c.name)

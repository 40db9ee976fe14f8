"""Container image uses the latest tag or no tag.

## What it checks
The `image` of every container, init container and ephemeral container, parsed as the
container runtime does: an image with neither tag nor digest means `:latest`.  Tags listed in
`mutable_tags` (default `latest`) are reported too.  An image pinned by digest
(`app:latest@sha256:...`) runs that exact content whatever its tag, so it passes.  Images that
do not parse are reported by SU008.

## Why it matters
A moving tag means the code that runs depends on when each node pulled it: replicas diverge,
rollbacks do not roll back, and whoever can push the tag can change production without a
deploy.

## Failing example
```yaml
image: nginx
```

## Passing example
```yaml
image: nginx:1.27.1
```

## Differences from Checkov
Checkov reads a templated reference such as `gcr.io/<<PROJECT>>/app:latest` as tagged `latest`. It
is not a valid image reference (the runtime would refuse it), so this rule skips it and SU008
reports it as invalid.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.images import parse_image
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="SU001",
    slug="image-tag-mutable",
    title="Container image uses the latest tag or no tag",
    severity="medium",
    category="supplychain",
    tags=("mitre:T1525",),
    target="workload",
    rationale=(
        "With latest or no tag the running code depends on when each node pulled the image; replicas "
        "diverge, rollbacks fail and anyone who can push the tag changes production."
    ),
    remediation="Reference a specific version tag, ideally together with the image digest (image:tag@sha256:...).",
    references=(
        "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        "https://kubernetes.io/docs/concepts/configuration/overview/#container-images",
    ),
    params=(
        Param(name="mutable_tags", type="list[str]", default=["latest"],
              description="Tags treated as moving (compared case-sensitively); latest is implied by no tag."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0013",), "checkov": ("CKV_K8S_14",), "polaris": ("tagNotSpecified",),
           "kube-linter": ("latest-tag",), "kube-score": ("container-image-tag",), "popeye": ("POP-100", "POP-101")},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        ref = parse_image(c.image)
        if not ref.valid or ref.pinned:
            continue
        if not ref.tag:
            yield Violation(f"container {c.name!r} image {c.image!r} has no tag, so it runs :latest",
                            c.path("image"), container=c.name)
        elif ref.tag in ctx.params.mutable_tags:
            yield Violation(f"container {c.name!r} image {c.image!r} uses the moving tag {ref.tag!r}",
                            c.path("image"), container=c.name)

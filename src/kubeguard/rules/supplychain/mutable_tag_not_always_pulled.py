"""Moving image tag is pulled only once per node.

## What it checks
Containers, init containers and ephemeral containers whose image uses a moving tag (`:latest`,
no tag at all, or a tag in `mutable_tags`) without a digest, and whose `imagePullPolicy` is
explicitly `IfNotPresent` or `Never`.  (Left unset, the policy for `:latest` defaults to
`Always`.)

## Why it matters
Each node keeps whatever `:latest` was when it first pulled it; replicas on different nodes run
different code, and pushing a fix to the tag changes nothing until nodes are replaced.

## Failing example
```yaml
image: ghcr.io/example/web:latest
imagePullPolicy: IfNotPresent
```

## Passing example
```yaml
image: ghcr.io/example/web:1.4.2
imagePullPolicy: IfNotPresent
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.images import effective_pull_policy, parse_image
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="SU006",
    slug="mutable-tag-not-always-pulled",
    title="Moving image tag is pulled only once per node",
    severity="medium",
    category="supplychain",
    target="workload",
    rationale=(
        "A moving tag pulled with IfNotPresent or Never freezes whatever each node first saw, so replicas run "
        "different code and pushed fixes never arrive."
    ),
    remediation="Use a fixed tag or digest, or set imagePullPolicy: Always for moving tags.",
    references=("https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy",),
    params=(
        Param(name="mutable_tags", type="list[str]", default=["latest"],
              description="Tags treated as moving (compared case-sensitively); latest is implied by no tag."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0075",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        ref = parse_image(c.image)
        if not ref.valid or ref.pinned:
            continue
        tag = ref.effective_tag
        if tag != "latest" and tag not in ctx.params.mutable_tags:
            continue
        policy, explicit = effective_pull_policy(c.raw)
        if explicit and policy in ("IfNotPresent", "Never"):
            yield Violation(f"container {c.name!r} image {c.image!r} uses the moving tag {tag!r} with "
                            f"imagePullPolicy {policy}", c.path("imagePullPolicy"), container=c.name)

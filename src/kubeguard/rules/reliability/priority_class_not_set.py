"""Pod has no priority class, or one outside the allowed list.

## What it checks
Every pod spec for `priorityClassName`.  With `allowed_classes` set, the name must also be one
of them.

## Why it matters
Without a priority class every pod gets the cluster default (usually 0), so when nodes are
full the scheduler preempts at random: a batch job can push out a payment API.  Priority
classes say what is evicted first.

## Failing example
```yaml
spec:
  containers: [{name: app, image: "ghcr.io/example/web:1.4.2"}]
```

## Passing example
```yaml
spec:
  priorityClassName: business-critical
  containers: [{name: app, image: "ghcr.io/example/web:1.4.2"}]
```

## Exceptions
A PriorityClass with `globalDefault: true` gives every pod a priority; scanned clusters that
have one are not reported unless `allowed_classes` is set.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="RL028",
    slug="priority-class-not-set",
    title="Pod has no priority class, or one outside the allowed list",
    severity="info",
    category="reliability",
    target="workload",
    requires=("PriorityClass",),
    rationale=(
        "Without priority classes the scheduler cannot tell critical pods from batch work when nodes are "
        "full, so preemption and eviction hit arbitrary workloads."
    ),
    remediation="Set spec.priorityClassName to one of the cluster's PriorityClasses.",
    references=("https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/",),
    params=(
        Param(name="allowed_classes", type="list[str]", default=[],
              description="PriorityClass names pods may use; empty accepts any name."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"polaris": ("priorityClassNotSet",), "kube-linter": ("priority-class-name",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    name = pod.spec.get("priorityClassName")
    allowed = ctx.params.allowed_classes
    if name:
        if allowed and name not in allowed:
            yield Violation(f"priority class {name!r} is not one of {', '.join(allowed)}",
                            pod.path("priorityClassName"))
        return
    if not allowed and any(pc.spec.get("globalDefault") is True or pc.raw.get("globalDefault") is True
                           for pc in ctx.cluster.of_kind("PriorityClass")):
        return
    yield Violation("no priorityClassName is set", pod.path("priorityClassName"))

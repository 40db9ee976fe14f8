"""Container memory request is lower than its memory limit.

## What it checks
Every init and app container whose effective memory request (after API and LimitRange
defaulting) is set and lower than its effective memory limit.

## Why it matters
The scheduler packs nodes by requests, but the container may grow to its limit.  When several
such containers grow at once the node runs out of memory that was never reserved, and the
kubelet evicts pods that use more than they requested first.  Memory cannot be throttled like
CPU, so for memory the usual advice is request == limit.

## Failing example
```yaml
resources:
  requests: {memory: 256Mi}
  limits: {memory: 1Gi}
```

## Passing example
```yaml
resources:
  requests: {memory: 512Mi}
  limits: {memory: 512Mi}
```

## Exceptions
Batch workloads that tolerate eviction may trade reliability for density on purpose; exempt them.

Severity is info: a Burstable memory setting is an ordinary, deliberate trade of density for
headroom, not a defect; kube-score's container-memory-requests-equal-limits, its only peer, is
an optional check that is off by default.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.quantities import format_quantity
from kubeguard.rules._helpers.resources import effective_limit, effective_request, limit_ranges, resource_containers
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL007",
    slug="memory-request-below-limit",
    title="Container memory request is lower than its memory limit",
    severity="info",
    category="reliability",
    target="workload",
    requires=("LimitRange",),
    rationale=(
        "Memory between the request and the limit is not reserved on the node; when it is used at the "
        "same time by several pods the node runs out and the kubelet evicts the over-request pods."
    ),
    remediation="Set resources.requests.memory equal to resources.limits.memory.",
    references=(
        "https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/",
        "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kube-score": ("container-memory-requests-equal-limits", "container-resource-requests-equal-limits")},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    lr = limit_ranges(ctx.cluster, pod.namespace)
    for c in resource_containers(pod):
        req, lim = effective_request(c, "memory", lr), effective_limit(c, "memory", lr)
        if req.value is not None and lim.value is not None and req.value < lim.value:
            where = "" if req.source == "container" else f" (request from {req.source})"
            yield Violation(
                f"container {c.name!r} requests {format_quantity(req.value, 'memory')} memory but may use "
                f"{format_quantity(lim.value, 'memory')}{where}",
                c.path("resources", "requests", "memory"), container=c.name)

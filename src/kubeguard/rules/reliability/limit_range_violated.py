"""Pod would be rejected by its namespace's LimitRange.

## What it checks
Applies the LimitRanger admission plugin to every pod spec against the LimitRanges of its
namespace, after their defaults are filled in:

* `type: Container` items: each init and app container's request must be at least `min`,
  its limit at most `max` (and must exist when `max` is set), and limit / request at most
  `maxLimitRequestRatio` (both must exist when a ratio is set);
* `type: Pod` items: the same bounds on the pod totals, where init containers count by the
  larger of their own value and the sum of app containers (sidecars added to both), as the
  scheduler counts them, plus `spec.overhead`.

## Why it matters
LimitRange violations are only discovered when the controller tries to create pods: the
Deployment is accepted, its ReplicaSet never gets a pod, and the rollout hangs.

## Failing example
```yaml
kind: LimitRange
spec:
  limits:
    - type: Container
      max: {memory: 1Gi}
---
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: app
          resources: {limits: {memory: 2Gi}}
```

## Passing example
```yaml
containers:
  - name: app
    resources: {requests: {memory: 512Mi}, limits: {memory: 1Gi}}
```

## Exceptions
Only LimitRanges present in the scanned input are applied; scan the live cluster (or include
the namespace's LimitRanges) for a complete answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.quantities import format_quantity, try_quantity
from kubeguard.rules._helpers.resources import (
    Effective, effective_limit, effective_request, limit_ranges, pod_overhead, pod_total, resource_containers,
)
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL008",
    slug="limit-range-violated",
    title="Pod would be rejected by its namespace's LimitRange",
    severity="medium",
    category="reliability",
    target="workload",
    requires=("LimitRange",),
    rationale=(
        "LimitRange bounds are checked when pods are created, not when their Deployment is applied; a "
        "workload outside them is accepted and then never gets a pod, so the rollout silently stalls."
    ),
    remediation=(
        "Bring the container or pod requests and limits inside the namespace LimitRange min, max and "
        "maxLimitRequestRatio, or change the LimitRange."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/policy/limit-range/",
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
)


def _check(item: dict, res: str, req: Fraction | None, lim: Fraction | None, what: str,
           lr_name: str) -> Iterator[tuple[str, str]]:
    """LimitRanger's min, max and ratio constraints for one resource; yields (section, problem)."""
    def bound(key: str) -> Fraction | None:
        v = item.get(key)
        return try_quantity(v.get(res)) if isinstance(v, dict) and res in v else None

    def fmt(q: Fraction) -> str:
        return format_quantity(q, res)

    mn, mx, ratio = bound("min"), bound("max"), bound("maxLimitRequestRatio")
    src = f"LimitRange {lr_name}"
    if mn is not None:
        if req is None:
            yield "requests", f"{what} has no {res} request but {src} sets a minimum of {fmt(mn)}"
        elif req < mn:
            yield "requests", f"{what} {res} request {fmt(req)} is below the {src} minimum {fmt(mn)}"
        if lim is not None and lim < mn:
            yield "limits", f"{what} {res} limit {fmt(lim)} is below the {src} minimum {fmt(mn)}"
    if mx is not None:
        if lim is None:
            yield "limits", f"{what} has no {res} limit but {src} sets a maximum of {fmt(mx)}"
        elif lim > mx:
            yield "limits", f"{what} {res} limit {fmt(lim)} exceeds the {src} maximum {fmt(mx)}"
        if req is not None and req > mx:
            yield "requests", f"{what} {res} request {fmt(req)} exceeds the {src} maximum {fmt(mx)}"
    if ratio is not None:
        if not req or not lim:
            yield "limits", f"{what} needs both a {res} request and limit for the {src} limit/request ratio"
        elif lim / req > ratio:
            yield "limits", (f"{what} {res} limit/request ratio {float(lim / req):.3g} exceeds the {src} "
                             f"maximum {float(ratio):.3g}")


def _resources(item: dict) -> set[str]:
    names: set[str] = set()
    for key in ("min", "max", "maxLimitRequestRatio"):
        v = item.get(key)
        if isinstance(v, dict):
            names.update(str(k) for k in v)
    return names


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    lr = limit_ranges(ctx.cluster, pod.namespace)
    if not lr.items:
        return
    containers = list(resource_containers(pod))
    eff: dict[tuple[str, int, str, str], Effective] = {}

    def value(c, section: str, res: str) -> Fraction | None:
        key = (c.list_name, c.index, section, res)
        if key not in eff:
            pick = effective_request if section == "requests" else effective_limit
            eff[key] = pick(c, res, lr)
        return eff[key].value

    for name, item_type, item in lr.items:
        for res in sorted(_resources(item)):
            if item_type == "Container":
                for c in containers:
                    for section, problem in _check(item, res, value(c, "requests", res), value(c, "limits", res),
                                                   f"container {c.name!r}", name):
                        yield Violation(problem, c.path("resources", section, res), container=c.name)
            elif item_type == "Pod":
                # LimitRanger sums the values that exist, init containers counted by max (with sidecars)
                req = pod_total(pod, lambda c: value(c, "requests", res), pod_overhead(pod, res))
                lim = pod_total(pod, lambda c: value(c, "limits", res), pod_overhead(pod, res))
                for section, problem in _check(item, res, req, lim, "pod", name):
                    yield Violation(problem, pod.path("containers"), evidence={"resource": res, "total": section})

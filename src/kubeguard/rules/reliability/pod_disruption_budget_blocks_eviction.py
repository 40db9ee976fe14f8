"""PodDisruptionBudget allows no voluntary eviction.

## What it checks
Every PodDisruptionBudget, the way the disruption controller computes `disruptionsAllowed`
when all pods are healthy:

* `maxUnavailable: 0` (or `0%`) and `minAvailable: 100%` never allow an eviction;
* otherwise the expected pod count is the sum, over the workloads whose pod templates the
  selector matches, of their replicas, taken at the autoscaler minimum when an HPA or KEDA
  ScaledObject scales them (the worst case); percentages are rounded up as upstream does, and
  the budget blocks when `expected - desiredHealthy <= 0`.

Budgets over DaemonSets or other workloads whose pod count cannot be known from objects are
only judged by the absolute cases.

## Why it matters
A budget that allows no disruption makes `kubectl drain`, node upgrades and autoscaler
scale-downs hang until someone deletes it by hand, which is how managed node-pool upgrades
stall for hours.

## Failing example
```yaml
kind: PodDisruptionBudget
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}   # web has replicas: 2
```

## Passing example
```yaml
kind: PodDisruptionBudget
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.workloads import (
    declared_replicas, effective_replicas, pdb_selector, scaled_value, workloads_selected_by,
)
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL016",
    slug="pod-disruption-budget-blocks-eviction",
    title="PodDisruptionBudget allows no voluntary eviction",
    severity="medium",
    category="reliability",
    target="object",
    kinds=("PodDisruptionBudget",),
    requires=("HorizontalPodAutoscaler",),
    rationale=(
        "A budget that never allows a disruption blocks node drains, upgrades and autoscaler scale-downs "
        "until it is removed by hand."
    ),
    remediation=(
        "Use maxUnavailable: 1 (or a minAvailable below the smallest replica count, autoscaler minimum "
        "included) so that at least one pod may be evicted at a time."
    ),
    references=(
        "https://kubernetes.io/docs/tasks/run-application/configure-pdb/#think-about-how-your-application-reacts-to-disruptions",
        "https://kubernetes.io/docs/concepts/workloads/pods/disruptions/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"polaris": ("pdbDisruptionsIsZero", "pdbMinAvailableGreaterThanHPAMinReplicas"),
           "kube-linter": ("pdb-max-unavailable", "pdb-min-available"), "popeye": ("POP-901",)},
)


def _is_zero(v: object) -> bool:
    return v in (0, "0", "0%")


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    spec = obj.spec
    max_unavailable, min_available = spec.get("maxUnavailable"), spec.get("minAvailable")
    if max_unavailable is not None and _is_zero(max_unavailable):
        yield Violation("maxUnavailable is 0, so no pod may ever be evicted voluntarily", ("spec", "maxUnavailable"))
        return
    if min_available == "100%":
        yield Violation("minAvailable is 100%, so no pod may ever be evicted voluntarily", ("spec", "minAvailable"))
        return
    if max_unavailable is None and min_available is None:
        return
    selector, empty_all = pdb_selector(obj)
    targets = workloads_selected_by(ctx.cluster, obj.namespace, selector, empty_all)
    if not targets:
        return
    expected, parts = 0, []
    for pod in targets:
        if pod.kind == "Pod" and pod.base == ("spec",):
            n, how = 1, "a bare pod"
        elif declared_replicas(pod.obj)[0] is not None:
            n, how = effective_replicas(ctx.cluster, pod.obj)
        else:
            return  # DaemonSets, Jobs, custom resources: the pod count is not in the objects
        expected += n
        parts.append(f"{pod.obj.kind} {pod.obj.name}: {n} ({how})")
    if expected == 0:
        return
    if min_available is not None:
        desired, field = scaled_value(min_available, expected), "minAvailable"
    else:
        unavailable = scaled_value(max_unavailable, expected)
        desired, field = (None if unavailable is None else expected - unavailable), "maxUnavailable"
    if desired is None or expected - desired > 0:
        return
    yield Violation(f"{field} {spec[field]!r} leaves no disruption allowed with at most {expected} pod(s) "
                    f"({'; '.join(parts)})", ("spec", field),
                    related=tuple(p.obj.ref for p in targets))

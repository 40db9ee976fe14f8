"""PodDisruptionBudget lets unhealthy pods block node drains.

## What it checks
Every `policy/v1` PodDisruptionBudget for `spec.unhealthyPodEvictionPolicy`.  When it is not
set the controller behaves as `IfHealthyBudget`: running but not-ready pods may only be
evicted while the budget is met.  An explicit `IfHealthyBudget` is taken as a deliberate
choice and passes.

## Why it matters
If the application is already broken (pods crash-looping or never ready) the budget is never
met, so those unhealthy pods cannot be evicted and every drain of their nodes hangs.
`AlwaysAllow` lets broken pods go while still protecting healthy ones.

## Failing example
```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
```

## Passing example
```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
spec:
  maxUnavailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector: {matchLabels: {app: web}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL018",
    slug="pod-disruption-budget-unhealthy-eviction-policy",
    title="PodDisruptionBudget lets unhealthy pods block node drains",
    severity="low",
    category="reliability",
    target="object",
    kinds=("PodDisruptionBudget",),
    rationale=(
        "Without unhealthyPodEvictionPolicy: AlwaysAllow, pods that are running but never ready keep the "
        "budget unmet and block every drain of their nodes."
    ),
    remediation="Set spec.unhealthyPodEvictionPolicy to AlwaysAllow.",
    references=(
        "https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-linter": ("pdb-unhealthy-pod-eviction-policy",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.api_version != "policy/v1":
        return  # the field does not exist in policy/v1beta1 (removed in Kubernetes 1.25)
    if obj.spec.get("unhealthyPodEvictionPolicy") is None:
        yield Violation("unhealthyPodEvictionPolicy is not set, so not-ready pods can block drains",
                        ("spec", "unhealthyPodEvictionPolicy"))

"""PodDisruptionBudget sets neither minAvailable nor maxUnavailable, or both.

## What it checks
Every PodDisruptionBudget for exactly one of `spec.minAvailable` and `spec.maxUnavailable`.

## Why it matters
With neither field the budget requires no pod to stay available (`policy/v1` no longer
defaults `minAvailable: 1` as `policy/v1beta1` did), so it protects nothing while looking like
protection.  With both, the API server rejects the object.

## Failing example
```yaml
kind: PodDisruptionBudget
spec:
  selector: {matchLabels: {app: web}}
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
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL017",
    slug="pod-disruption-budget-without-policy",
    title="PodDisruptionBudget sets neither minAvailable nor maxUnavailable, or both",
    severity="low",
    category="reliability",
    target="object",
    kinds=("PodDisruptionBudget",),
    rationale=(
        "A budget with no minAvailable or maxUnavailable keeps no pod available during drains, and one "
        "with both is rejected by the API server."
    ),
    remediation="Set exactly one of spec.minAvailable and spec.maxUnavailable.",
    references=("https://kubernetes.io/docs/tasks/run-application/configure-pdb/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-score": ("poddisruptionbudget-has-policy",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    has_min, has_max = obj.spec.get("minAvailable") is not None, obj.spec.get("maxUnavailable") is not None
    if has_min and has_max:
        yield Violation("sets both minAvailable and maxUnavailable; the API server accepts only one",
                        ("spec", "maxUnavailable"))
    elif not has_min and not has_max:
        yield Violation("sets neither minAvailable nor maxUnavailable, so it keeps no pod available", ("spec",))

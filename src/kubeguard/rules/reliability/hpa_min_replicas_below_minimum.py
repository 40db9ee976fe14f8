"""HorizontalPodAutoscaler may scale down to a single replica.

## What it checks
Every HorizontalPodAutoscaler whose `minReplicas` (1 when absent) is below `min_replicas`
(default 2).  KEDA ScaledObjects are not checked: their scale-to-zero is a deliberate feature.

## Why it matters
At night or after a quiet spell the autoscaler drops to its minimum; at one replica the next
node drain or crash is an outage, and any PodDisruptionBudget either blocks the drain or lets
the last pod go.

## Failing example
```yaml
kind: HorizontalPodAutoscaler
spec:
  maxReplicas: 10
```

## Passing example
```yaml
kind: HorizontalPodAutoscaler
spec:
  minReplicas: 2
  maxReplicas: 10
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="RL021",
    slug="hpa-min-replicas-below-minimum",
    title="HorizontalPodAutoscaler may scale down to a single replica",
    severity="low",
    category="reliability",
    target="object",
    kinds=("HorizontalPodAutoscaler",),
    rationale=(
        "When load is low the autoscaler shrinks to minReplicas; at one replica every drain, eviction or "
        "crash takes the service down."
    ),
    remediation="Set spec.minReplicas to at least min_replicas.",
    references=("https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",),
    params=(
        Param(name="min_replicas", type="int", default=2,
              description="Lowest acceptable HorizontalPodAutoscaler minReplicas."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"polaris": ("hpaMinAvailability",), "kube-linter": ("hpa-minimum-three-replicas",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    raw = obj.spec.get("minReplicas")
    low = raw if isinstance(raw, int) and not isinstance(raw, bool) else 1
    if low < ctx.params.min_replicas:
        how = "" if raw is not None else " (minReplicas is unset, so 1)"
        yield Violation(f"may scale down to {low} replica{'s' if low != 1 else ''}{how}; at least "
                        f"{ctx.params.min_replicas} are expected", ("spec", "minReplicas"))

"""HorizontalPodAutoscaler cannot scale: minReplicas is not below maxReplicas.

## What it checks
Every HorizontalPodAutoscaler whose `maxReplicas` equals its `minReplicas` (1 when absent), which
pins the workload at one size, or is lower, which the API server rejects.

## Why it matters
A pinned autoscaler adds a moving part without scaling anything; the workload cannot absorb a
load spike although its owners believe it can.

## Failing example
```yaml
kind: HorizontalPodAutoscaler
spec:
  minReplicas: 3
  maxReplicas: 3
```

## Passing example
```yaml
kind: HorizontalPodAutoscaler
spec:
  minReplicas: 3
  maxReplicas: 10
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL022",
    slug="hpa-cannot-scale",
    title="HorizontalPodAutoscaler cannot scale: minReplicas is not below maxReplicas",
    severity="low",
    category="reliability",
    target="object",
    kinds=("HorizontalPodAutoscaler",),
    rationale=(
        "An autoscaler whose minimum equals its maximum never scales, so the workload cannot absorb load "
        "spikes although it looks autoscaled."
    ),
    remediation="Raise spec.maxReplicas above spec.minReplicas, or remove the autoscaler and set replicas.",
    references=("https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"polaris": ("hpaMaxAvailability",), "kube-score": ("horizontalpodautoscaler-replicas",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    raw_min, high = obj.spec.get("minReplicas"), obj.spec.get("maxReplicas")
    low = raw_min if isinstance(raw_min, int) and not isinstance(raw_min, bool) else 1
    if not isinstance(high, int) or isinstance(high, bool):
        yield Violation("maxReplicas is missing or not a number", ("spec", "maxReplicas"))
    elif high < low:
        yield Violation(f"maxReplicas {high} is below minReplicas {low}; the API server rejects it",
                        ("spec", "maxReplicas"))
    elif high == low:
        yield Violation(f"minReplicas and maxReplicas are both {high}, so it never scales", ("spec", "maxReplicas"))

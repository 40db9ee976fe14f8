"""Replicated workload is not covered by a PodDisruptionBudget.

## What it checks
Deployments, StatefulSets, ReplicaSets, ReplicationControllers and replicated custom resources
that run two or more pods (their `spec.replicas`, or their autoscaler's maximum) and whose pod
template labels are matched by no PodDisruptionBudget of their namespace.  PDB selectors
follow upstream semantics: in `policy/v1` an empty selector matches every pod of the
namespace and an absent one matches none.

## Why it matters
Without a budget, `kubectl drain`, cluster autoscaler scale-downs and node upgrades may evict
every replica at once; the PDB is what makes voluntary disruptions wait for healthy pods.

## Failing example
```yaml
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  template: {metadata: {labels: {app: web}}}
```

## Passing example
```yaml
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
```

## Exceptions
Only budgets in the scanned input are seen; a manifest folder that keeps PDBs elsewhere will
report workloads as uncovered.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.workloads import (
    autoscalers_for, declared_replicas, is_top_level, labels_path, pdbs_selecting,
)
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL015",
    slug="pod-disruption-budget-missing",
    title="Replicated workload is not covered by a PodDisruptionBudget",
    severity="low",
    category="reliability",
    target="workload",
    requires=("PodDisruptionBudget", "HorizontalPodAutoscaler"),
    rationale=(
        "Without a PodDisruptionBudget node drains, upgrades and autoscaler scale-downs may evict every "
        "replica of the workload at the same time."
    ),
    remediation=(
        "Add a PodDisruptionBudget (policy/v1) whose selector matches the pod template labels, usually "
        "with maxUnavailable: 1."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/workloads/pods/disruptions/",
        "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"polaris": ("missingPodDisruptionBudget",),
           "kube-score": ("deployment-has-poddisruptionbudget", "statefulset-has-poddisruptionbudget"),
           "popeye": ("POP-206",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    obj = pod.obj
    replicas, _ = declared_replicas(obj)
    if replicas is None or not is_top_level(pod):
        return
    scalers = autoscalers_for(ctx.cluster, obj)
    most = max([s.max_replicas or 0 for s in scalers] + [replicas])
    if most < 2 or pdbs_selecting(ctx.cluster, obj.namespace, pod.labels):
        return
    yield Violation(f"no PodDisruptionBudget in namespace {obj.namespace!r} selects the pods of this {obj.kind} "
                    f"({most} replicas)", labels_path(pod))

"""Autoscaled workload also sets spec.replicas.

## What it checks
Deployments, StatefulSets, ReplicaSets and replicated custom resources that set `spec.replicas`
while a HorizontalPodAutoscaler or KEDA ScaledObject in the same namespace scales them.
On live clusters the API server always fills in `spec.replicas`, so there the value counts only
when `metadata.managedFields` shows a client (not the autoscaler) set it.

## Why it matters
Every `kubectl apply`, Helm upgrade or GitOps sync writes the manifest's replica count back
over the autoscaler's, so each deploy first shrinks (or grows) the workload to a stale size,
and under load that shrink is an outage.

## Failing example
```yaml
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3          # and an HPA targets web
```

## Passing example
```yaml
kind: Deployment
metadata: {name: web}
spec: {}               # replicas left to the HPA
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, PodSpecView, Violation
from kubeguard.rules._helpers.workloads import (
    autoscalers_for, declared_replicas, field_owned_by_user, inventory_is_complete, is_top_level,
)
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL023",
    slug="hpa-target-sets-replicas",
    title="Autoscaled workload also sets spec.replicas",
    severity="low",
    category="reliability",
    target="workload",
    requires=("HorizontalPodAutoscaler",),
    rationale=(
        "A replica count in the manifest of an autoscaled workload overrides the autoscaler on every "
        "apply or sync, resizing the workload to a stale value during each deploy."
    ),
    remediation="Remove spec.replicas from the manifest and let the autoscaler own the count.",
    references=(
        "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kube-score": ("deployment-targeted-by-hpa-does-not-have-replicas-configured",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    obj = pod.obj
    replicas, explicit = declared_replicas(obj)
    if replicas is None or not explicit or not is_top_level(pod):
        return
    scalers = autoscalers_for(ctx.cluster, obj)
    if scalers and inventory_is_complete(ctx.cluster):
        # live objects always carry spec.replicas; only a client-set value is a problem
        owned = field_owned_by_user(obj, "spec", "replicas")
        if owned is None:
            raise NotEvaluated("live objects without managedFields do not show who set spec.replicas")
        if not owned:
            return
    if scalers:
        yield Violation(f"spec.replicas is {replicas} but {scalers[0].obj.kind} {scalers[0].obj.name!r} scales "
                        "this workload; each apply resets its size", ("spec", "replicas"),
                        related=tuple(s.obj.ref for s in scalers))

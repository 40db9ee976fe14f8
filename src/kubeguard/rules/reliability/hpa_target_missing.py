"""Autoscaler targets a workload that does not exist or cannot be scaled.

## What it checks
Every HorizontalPodAutoscaler and KEDA ScaledObject for a `scaleTargetRef` that names an object
present in its namespace (same kind and API group) and a kind with a scale subresource.
DaemonSets, Jobs, CronJobs and Pods cannot be scaled by an HPA.

On a live cluster or snapshot a missing target is a failure.  In a manifest scan it is a
failure only when the autoscaler's folder defines other objects of the target's kind in that
namespace (a typo); otherwise the target may live elsewhere and the result is UNKNOWN.

## Why it matters
An autoscaler without a valid target does nothing: the workload it was meant to protect runs
at its static replica count and the HPA reports `FailedGetScale` where nobody looks.

## Failing example
```yaml
kind: HorizontalPodAutoscaler
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-v2}   # renamed to web
```

## Passing example
```yaml
kind: HorizontalPodAutoscaler
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, NotEvaluated, Violation
from kubeguard.rules._helpers.workloads import hpa_target_key, inventory_is_complete, objects_in, same_input
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL020",
    slug="hpa-target-missing",
    title="Autoscaler targets a workload that does not exist or cannot be scaled",
    severity="medium",
    category="reliability",
    target="object",
    kinds=("HorizontalPodAutoscaler", "ScaledObject"),
    requires=("Deployment", "StatefulSet", "ReplicaSet"),
    rationale=(
        "An autoscaler whose target is missing or not scalable silently does nothing, leaving the workload "
        "at a fixed size under load."
    ),
    remediation=(
        "Point scaleTargetRef at the existing Deployment, StatefulSet or other scalable resource by kind and "
        "name."
    ),
    references=(
        "https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/",
        "https://keda.sh/docs/latest/reference/scaledobject-spec/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0300",), "kube-linter": ("dangling-horizontalpodautoscaler",),
           "kube-score": ("horizontalpodautoscaler-has-target",), "popeye": ("POP-600", "POP-601")},
)

NOT_SCALABLE = frozenset({"DaemonSet", "Job", "CronJob", "Pod"})


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.kind == "ScaledObject" and obj.group != "keda.sh":
        return
    ref = obj.spec.get("scaleTargetRef")
    if obj.kind == "ScaledObject" and isinstance(ref, dict) and "kind" not in ref:
        ref = {**ref, "kind": "Deployment", "apiVersion": ref.get("apiVersion", "apps/v1")}
    key = hpa_target_key(ref)
    path = ("spec", "scaleTargetRef")
    if key is None:
        yield Violation("scaleTargetRef needs a kind and a name", path)
        return
    group, kind, name = key
    if kind in NOT_SCALABLE:
        yield Violation(f"{kind} has no scale subresource and cannot be autoscaled", path + ("kind",))
        return
    candidates = list(objects_in(ctx.cluster, kind, obj.namespace))
    if any(t.name == name and (not group or t.group == group or {group, t.group} <= {"apps", "extensions"})
           for t in candidates):
        return
    if not inventory_is_complete(ctx.cluster) and not any(same_input(t, obj) for t in candidates):
        raise NotEvaluated(f"the {kind}s of namespace {obj.namespace!r} are not in the scanned folder")
    yield Violation(f"target {kind} {name!r} does not exist in namespace {obj.namespace!r}", path + ("name",))

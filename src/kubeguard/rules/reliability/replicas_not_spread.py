"""Replicas may all be scheduled onto the same node.

## What it checks
Replicated workloads that may run two or more pods (`spec.replicas`, or the autoscaler's
maximum) and that have neither

* a pod anti-affinity term (required or preferred) with a `topologyKey` whose `labelSelector`
  matches the workload's own pod labels, in its own namespace, nor
* a `topologySpreadConstraints` entry whose `labelSelector` matches its own pod labels.

## Why it matters
The scheduler is free to pack every replica onto one node; losing that node (or draining it)
then takes all of them down together, defeating the point of running replicas.

## Failing example
```yaml
kind: Deployment
spec:
  replicas: 3
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "ghcr.io/example/web:1.4.2"}]
```

## Passing example
```yaml
spec:
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector: {matchLabels: {app: web}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation, selector_matches
from kubeguard.rules._helpers.workloads import autoscalers_for, declared_replicas, is_top_level
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL024",
    slug="replicas-not-spread",
    title="Replicas may all be scheduled onto the same node",
    severity="low",
    category="reliability",
    target="workload",
    requires=("HorizontalPodAutoscaler",),
    rationale=(
        "Without anti-affinity or topology spread constraints all replicas can land on one node, and that "
        "node's failure or drain takes the whole service down."
    ),
    remediation=(
        "Add a topologySpreadConstraints entry (or a preferred podAntiAffinity term) on kubernetes.io/hostname "
        "whose labelSelector matches the pod's own labels."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/",
        "https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kube-linter": ("no-anti-affinity",), "polaris": ("topologySpreadConstraint",),
           "kube-score": ("deployment-has-host-podantiaffinity", "statefulset-has-host-podantiaffinity")},
)


def _anti_affinity_spreads(pod: PodSpecView) -> bool:
    affinity = pod.spec.get("affinity")
    anti = affinity.get("podAntiAffinity") if isinstance(affinity, dict) else None
    if not isinstance(anti, dict):
        return False
    terms = list(anti.get("requiredDuringSchedulingIgnoredDuringExecution") or [])
    terms += [p.get("podAffinityTerm") for p in anti.get("preferredDuringSchedulingIgnoredDuringExecution") or []
              if isinstance(p, dict)]
    for term in terms:
        if not isinstance(term, dict) or not term.get("topologyKey"):
            continue
        namespaces = term.get("namespaces")
        if namespaces and pod.namespace not in namespaces and term.get("namespaceSelector") is None:
            continue
        if selector_matches(term.get("labelSelector"), pod.labels):
            return True
    return False


def _constraints_spread(pod: PodSpecView) -> bool:
    tsc = pod.spec.get("topologySpreadConstraints")
    return isinstance(tsc, list) and any(
        isinstance(c, dict) and c.get("topologyKey") and selector_matches(c.get("labelSelector"), pod.labels)
        for c in tsc)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    replicas, _ = declared_replicas(pod.obj)
    if replicas is None or not is_top_level(pod):
        return
    most = max([s.max_replicas or 0 for s in autoscalers_for(ctx.cluster, pod.obj)] + [replicas])
    if most < 2 or _anti_affinity_spreads(pod) or _constraints_spread(pod):
        return
    yield Violation(f"up to {most} replicas have no anti-affinity or topology spread constraint matching their own "
                    "labels", pod.path("topologySpreadConstraints"))

"""Replicated workload runs fewer replicas than the minimum.

## What it checks
Deployments, StatefulSets, ReplicaSets, ReplicationControllers and replicated custom resources
(Argo Rollouts, OpenKruise CloneSets, OpenShift DeploymentConfigs) whose `spec.replicas`
(1 when absent) is below `min_replicas` (default 2).  Workloads scaled by a
HorizontalPodAutoscaler or a KEDA ScaledObject are left to the autoscaler rules (RL021), and
`replicas: 0` is taken as deliberately scaled down.

## Why it matters
A single replica means every node drain, eviction, crash or rollout is an outage for that
service, and a PodDisruptionBudget cannot help.

## Failing example
```yaml
kind: Deployment
spec:
  replicas: 1
```

## Passing example
```yaml
kind: Deployment
spec:
  replicas: 3
```

## Exceptions
Singletons by design (leader-elected controllers, single-writer databases) should be exempted
with a reason.

## Differences from kube-score and Polaris
deployment-replicas and deploymentMissingReplicas judge Deployments only (kube-score only those
a Service targets); a single-replica StatefulSet, ReplicaSet or Argo Rollout is as much an
outage on every drain, so this rule judges them too.  kube-score also counts an unset
`spec.replicas` as unknown (it may be left to an autoscaler); the API server defaults it to 1,
and an autoscaler in the input skips the workload here.  Severity is low, as the peers'
warnings: availability, not security.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.workloads import autoscalers_for, declared_replicas, is_top_level
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="RL014",
    slug="replicas-below-minimum",
    title="Replicated workload runs fewer replicas than the minimum",
    severity="low",
    category="reliability",
    target="workload",
    requires=("HorizontalPodAutoscaler",),
    rationale=(
        "With one replica every node drain, eviction, crash or rollout takes the service down, and no "
        "disruption budget can prevent it."
    ),
    remediation=(
        "Run at least min_replicas replicas (spec.replicas), or let an autoscaler with minReplicas of 2 or "
        "more manage it."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/",
        "https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
    ),
    params=(
        Param(name="min_replicas", type="int", default=2,
              description="Fewest replicas a replicated workload should run."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"polaris": ("deploymentMissingReplicas",), "kube-linter": ("minimum-three-replicas",),
           "kube-score": ("deployment-replicas",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    obj = pod.obj
    replicas, explicit = declared_replicas(obj)
    if replicas is None or not is_top_level(pod) or replicas == 0 or replicas >= ctx.params.min_replicas:
        return
    if autoscalers_for(ctx.cluster, obj):
        return
    how = "" if explicit else " (spec.replicas is unset, so 1)"
    yield Violation(f"{obj.kind} runs {replicas} replica{'s' if replicas != 1 else ''}{how}; at least "
                    f"{ctx.params.min_replicas} are expected", ("spec", "replicas"))

"""Pod is not managed by a controller.

## What it checks
Every Pod object without `metadata.ownerReferences`.  Pods owned by anything (a ReplicaSet,
Job, StatefulSet, a custom controller, or a Node for static mirror pods) are managed.

## Why it matters
A bare pod is not rescheduled when its node fails, is not recreated after eviction and cannot
be rolled out or scaled; it disappears on the first disruption.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: app, image: "ghcr.io/example/web:1.4.2"}]
```

## Passing example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {...}
```

## Exceptions
Debug pods and one-shot test pods are naked by nature; delete them after use.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL029",
    slug="naked-pod",
    title="Pod is not managed by a controller",
    severity="low",
    category="reliability",
    target="object",
    kinds=("Pod",),
    rationale=(
        "A pod without a controller is not recreated after a node failure or eviction and cannot be rolled "
        "out or scaled."
    ),
    remediation="Run the pod through a Deployment, StatefulSet, DaemonSet or Job instead of creating it directly.",
    references=("https://kubernetes.io/docs/concepts/configuration/overview/#naked-pods-vs-replicasets-deployments-and-jobs",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0073",), "popeye": ("POP-208",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.group == "" and not obj.owner_references:
        yield Violation("pod has no owner, so nothing recreates it after a node failure or eviction",
                        ("metadata", "ownerReferences"))

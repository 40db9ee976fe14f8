"""Long-running workload does not say which nodes it may run on.

## What it checks
Deployments, StatefulSets, ReplicaSets and long-running custom resources whose pod spec has
neither `nodeSelector` nor `affinity.nodeAffinity`.  Unlike kube-linter's `no-node-affinity`,
a `nodeSelector` counts: it constrains placement just as well, and DaemonSets are not
checked: running on every node is what they are for.

## Why it matters
Without a placement rule the pod may land on any node: GPU or spot nodes, control-plane nodes
left untainted, or a node pool reserved for another tenant.  Pinning workloads to their pool
keeps blast radius and cost predictable.

## Failing example
```yaml
spec:
  containers: [{name: app, image: "ghcr.io/example/web:1.4.2"}]
```

## Passing example
```yaml
spec:
  nodeSelector: {node-pool: general}
  containers: [{name: app, image: "ghcr.io/example/web:1.4.2"}]
```

## Exceptions
Single-pool clusters gain nothing from it; disable the rule there.  Severity is info: it is
placement hygiene, not a security control, and kube-linter's check is off by default.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.workloads import is_top_level, runs_to_completion
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL026",
    slug="node-affinity-missing",
    title="Long-running workload does not say which nodes it may run on",
    severity="info",
    category="reliability",
    target="workload",
    rationale=(
        "Without a node selector or node affinity pods can land on any node, including GPU, spot or "
        "another tenant's nodes, which makes cost and blast radius unpredictable."
    ),
    remediation="Add a nodeSelector or affinity.nodeAffinity that names the node pool the workload belongs on.",
    references=("https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-linter": ("no-node-affinity",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if runs_to_completion(pod) or not is_top_level(pod) or pod.kind in ("Pod", "DaemonSet"):
        return
    affinity = pod.spec.get("affinity")
    if pod.spec.get("nodeSelector") or (isinstance(affinity, dict) and affinity.get("nodeAffinity")):
        return
    yield Violation("pods may be placed on any node: no nodeSelector or nodeAffinity", pod.path("affinity"))

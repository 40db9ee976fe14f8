"""Node is not ready or reports resource pressure.

## What it checks
The conditions of every Node where status was collected (live clusters, snapshots, dumps):
`Ready` must be `True` (`False` means the kubelet reports a problem, `Unknown` that it stopped
reporting), and `MemoryPressure`, `DiskPressure`, `PIDPressure` and `NetworkUnavailable` must
not be `True`.  Manifests carry no status: the rule is NOT_APPLICABLE there.

## Why it matters
Under pressure the kubelet evicts pods and the scheduler avoids the node; a node that is not
ready loses its pods after the eviction timeout.  Resource exhaustion on a node is also the
visible effect of a denial-of-service or cryptomining workload.

## Failing example
```yaml
kind: Node
status:
  conditions:
    - {type: DiskPressure, status: "True", reason: KubeletHasDiskPressure}
    - {type: Ready, status: "True"}
```

## Passing example
```yaml
kind: Node
status:
  conditions:
    - {type: MemoryPressure, status: "False"}
    - {type: DiskPressure, status: "False"}
    - {type: PIDPressure, status: "False"}
    - {type: Ready, status: "True"}
```

## Remediation
Find what fills the node (`kubectl describe node`, `kubectl top pods`), set requests and limits
(ephemeral storage and PIDs included), clean up images and logs, or replace the node.

## Exceptions and known false positives/negatives
A node that was joining or draining at collection time is reported; rescan to confirm.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._helpers.status import has_status, status_applies
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL040",
    slug="node-not-healthy",
    title="Node is not ready or reports resource pressure",
    severity="high",
    category="reliability",
    target="cluster",
    requires=("Node",),
    rationale=(
        "A node under memory, disk or PID pressure evicts pods and a node that is not ready loses them; "
        "exhaustion is also what a denial-of-service or cryptomining workload looks like."
    ),
    remediation=(
        "Find what exhausts the node, set requests and limits (ephemeral storage and PIDs included), clean up "
        "images and logs, or replace the node."
    ),
    references=("https://kubernetes.io/docs/reference/node/node-status/#condition",
                "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/"),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"popeye": ("POP-701", "POP-702", "POP-704", "POP-705", "POP-706", "POP-707")},
)

PRESSURE = ("MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable")

applies = status_applies("Node")


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    for node in cluster.of_kind("Node"):
        if not has_status(node):
            continue
        conds = node.get("status", "conditions")
        conds = conds if isinstance(conds, list) else []
        ready_seen = False
        for i, c in enumerate(conds):
            if not isinstance(c, dict):
                continue
            kind, status = c.get("type"), c.get("status")
            detail = f" ({c.get('reason')}: {c.get('message')})" if c.get("reason") else ""
            if kind == "Ready":
                ready_seen = True
                if status != "True":
                    state = "stopped reporting (Unknown)" if status == "Unknown" else "is not Ready"
                    yield Violation(f"node {node.name} {state}{detail}", ("status", "conditions", i, "status"),
                                    obj=node,
                                    evidence={"condition": kind, "status": status, "reason": c.get("reason")})
            elif kind in PRESSURE and status == "True":
                yield Violation(f"node {node.name} reports {kind}{detail}", ("status", "conditions", i, "status"),
                                obj=node,
                                evidence={"condition": kind, "status": status, "reason": c.get("reason")})
        if not ready_seen:
            yield Violation(f"node {node.name} reports no Ready condition", ("status", "conditions"), obj=node,
                            evidence={"condition": "Ready", "status": None})

""""Subject can reach the kubelet API through nodes/proxy".

## What it checks
Subjects with `get` or `create` on `nodes/proxy` through a ClusterRoleBinding (nodes are
cluster-scoped; a RoleBinding grants nothing). `resourceNames` restrict the nodes.

## Why it matters
The kubelet maps `/exec`, `/run`, `/attach` to `nodes/proxy`; a WebSocket exec is a GET, so
`get nodes/proxy` runs commands in every pod on the node, without audit or admission.

## Failing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: [""]
    resources: ["nodes/proxy"]
    verbs: ["get"]
```

## Passing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: [""]
    resources: ["nodes", "nodes/metrics", "nodes/stats"]
    verbs: ["get"]
```

## Remediation
Grant nodes/metrics and nodes/stats to monitoring agents instead of nodes/proxy; enable
KubeletFineGrainedAuthz where available.

## Exceptions and known false positives/negatives
Older Prometheus setups scrape through nodes/proxy; move them to nodes/metrics. Bindings
owned by the platform are skipped unless `include_platform` is set; subjects with full
authority at the scope are reported once by RB002 instead.

## Differences from Checkov
See RB012: Checkov's CKV2_K8S_2 covers `pods/exec` and `nodes/proxy` together and misses several
grants on the corpus; `*` holders are reported by RB002.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB017",
    slug="nodes-proxy-access",
    title="Subject can reach the kubelet API through nodes/proxy",
    severity="critical",
    category="rbac",
    tags=("mitre:T1609",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="nodes/proxy is remote code execution in every pod of every node it covers.",
    remediation=(
        "Grant nodes/metrics and nodes/stats to monitoring agents instead of nodes/proxy; enable "
        "KubeletFineGrainedAuthz where available."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0279",), "trivy": ("KSV-0047",), "checkov": ("CKV2_K8S_2",)},
)
PRIMITIVES = ("nodes-proxy",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

"""Subject holds cluster-admin or equivalent full authority.

## What it checks
Every binding subject whose effective grants include `"*"` verbs on `"*"` resources in
`"*"` API groups without `resourceNames`: a binding to `cluster-admin`, to any role with
such a rule, or to an aggregated role that collects one.  A ClusterRoleBinding gives it
cluster-wide; a RoleBinding to the same role gives it in the binding's namespace
(including the Namespace object itself).  EKS access entries with
`AmazonEKSClusterAdminPolicy` and AKS admin groups are reported as cluster findings.

## Why it matters
Full authority is every escalation at once: Secrets, pod creation as any ServiceAccount,
RBAC writes, webhooks.  Subjects holding it should be few, named and reviewed.

## Failing example
```yaml
kind: ClusterRoleBinding
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: ServiceAccount, name: deployer, namespace: ci}
```

## Passing example
```yaml
kind: RoleBinding
metadata: {namespace: ci}
roleRef: {kind: ClusterRole, name: edit}
subjects:
  - {kind: ServiceAccount, name: deployer, namespace: ci}
```

## Remediation
Bind a role with the permissions the subject needs, in the namespaces it needs them.

## Exceptions and known false positives/negatives
The `system:masters` group is full authority by definition and is covered by RB008;
platform bindings are skipped unless `include_platform` is set.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB002",
    slug="cluster-admin-binding",
    title="Subject holds cluster-admin or equivalent full authority",
    severity="critical",
    category="rbac",
    tags=("mitre:T1078",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Full authority over the cluster or a namespace contains every escalation path; it should be held "
        "by few, reviewed identities."
    ),
    remediation="Bind a narrower role with the permissions the subject needs, in the namespaces it needs them.",
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={
        "kubescape": ("C-0035", "C-0185"),
        "trivy": ("KSV-0111",),
        "polaris": ("clusterrolebindingClusterAdmin", "rolebindingClusterAdminClusterRole",
                    "rolebindingClusterAdminRole"),
        "kube-linter": ("cluster-admin-role-binding",),
    },
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    for v in escalation_violations(ctx, ("cluster-admin",)):
        if (v.evidence or {}).get("subject", {}).get("name") == "system:masters":
            continue
        yield v

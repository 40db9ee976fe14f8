""""Subject can run pods as a ServiceAccount with critical permissions".

## What it checks
Subjects that may create or modify pods or workloads in a namespace that holds a
ServiceAccount with a critical permission cluster-wide (full authority, Secrets read, token
minting, impersonation, bind/escalate, nodes/proxy, CSR approval, webhook or APIService
writes, PersistentVolume create, aws-auth write). The powerful ServiceAccounts are computed,
not assumed: `kube-system` is only privileged when its ServiceAccounts are.

## Why it matters
Pod creation in that namespace is the permission of its most powerful ServiceAccount.

## Failing example
```yaml
kind: Role   # in namespace ops, where ServiceAccount ops/admin is cluster-admin
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["create"]
```

## Passing example
```yaml
kind: Role   # in namespace apps, which holds no powerful ServiceAccount
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["create"]
```

## Remediation
Move powerful ServiceAccounts into namespaces where only administrators can create pods, or
remove pod creation from this subject.

## Exceptions and known false positives/negatives
Only ServiceAccounts in the scanned inventory (and ServiceAccounts named in bindings) are
considered. Bindings owned by the platform are skipped unless `include_platform` is set;
subjects with full authority at the scope are reported once by RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB025",
    slug="pod-create-as-powerful-service-account",
    title="Subject can run pods as a ServiceAccount with critical permissions",
    severity="critical",
    category="rbac",
    tags=("mitre:T1610", "mitre:T1078"),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "A subject that can create pods where a powerful ServiceAccount lives inherits that "
        "ServiceAccount's permissions."
    ),
    remediation=(
        "Move powerful ServiceAccounts into namespaces where only administrators can create pods, or "
        "remove pod creation from this subject."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0267",)},
)
PRIMITIVES = ("pod-create-as-powerful-sa",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

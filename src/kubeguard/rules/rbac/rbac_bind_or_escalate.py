""""Subject can bind or escalate roles beyond its own permissions".

## What it checks
Subjects holding `bind` on `clusterroles` with write access to role or cluster role
bindings, `bind` on `roles` with write access to role bindings (a ClusterRoleBinding cannot
reference a Role), or `escalate` on the kind of role they can write. These are the API
server's own escape hatches from the RBAC escalation check; `bind` is checked on the
referenced *role* (not the binding resource, a bug in rbac-police), and a RoleBinding that
grants `bind clusterroles` works inside its namespace.

## Why it matters
With bind or escalate the holder obtains permissions it does not have: without
`resourceNames`, any role including cluster-admin.

## Failing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["bind"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterrolebindings"]
    verbs: ["create"]
```

## Passing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterrolebindings"]
    verbs: ["create"]
```

## Remediation
Remove bind and escalate, or restrict bind with resourceNames to the roles a delegated
administrator may hand out.

## Exceptions and known false positives/negatives
Namespace provisioning controllers that hand out a fixed role set; restrict them by
resourceNames. Bindings owned by the platform are skipped unless `include_platform` is set;
subjects with full authority at the scope are reported once by RB002 instead.

## Differences from Checkov
Checkov's CKV_K8S_157 looks for `bind` on rolebindings, but the API server checks `bind` and
`escalate` against the role being bound (roles / clusterroles), so KubeHound's `ROLE_BIND_*` roles
pass Checkov and fail here.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB015",
    slug="rbac-bind-or-escalate",
    title="Subject can bind or escalate roles beyond its own permissions",
    severity="critical",
    category="rbac",
    tags=("mitre:T1098",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "bind and escalate bypass the RBAC escalation check; they turn role or binding write access into "
        "arbitrary permissions."
    ),
    remediation=(
        "Remove bind and escalate, or restrict bind with resourceNames to the roles a delegated "
        "administrator may hand out."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={
        "kubescape": ("C-0191",),
        "trivy": ("KSV-0050", "KSV-0051", "KSV-0052", "KSV-0055"),
        "checkov": ("CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_1"),
    },
)
PRIMITIVES = ("rbac-bind", "rbac-bind-roles", "rbac-escalate", "rbac-escalate-roles")


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

""""Subject can impersonate users, groups or service accounts".

## What it checks
Subjects with `impersonate` on `users`, `groups`, `serviceaccounts` or
`authentication.k8s.io/uids`, or the constrained-impersonation verbs `impersonate:user-
info`, `impersonate:serviceaccount`, `impersonate:arbitrary-node` and
`impersonate:associated-node` (Kubernetes 1.35+). `resourceNames` limit who can be
impersonated.

## Why it matters
`impersonate groups` without names includes `system:masters` (cluster-admin before RBAC);
`impersonate serviceaccounts` (in the default edit and admin roles) yields every
ServiceAccount in scope.

## Failing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: [""]
    resources: ["groups", "users"]
    verbs: ["impersonate"]
```

## Passing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: [""]
    resources: ["users"]
    verbs: ["get"]
```

## Remediation
Remove impersonate, or restrict it with resourceNames to the identities a tool really needs.

## Exceptions and known false positives/negatives
Authenticating proxies (Pinniped, kube-oidc-proxy, Teleport) impersonate by design. Bindings
owned by the platform are skipped unless `include_platform` is set; subjects with full
authority at the scope are reported once by RB002 instead.

## Differences from Checkov
Checkov's CKV2_K8S_3 flags a namespaced Role with `impersonate` on users and groups. Users and
groups are cluster-scoped, so a RoleBinding cannot grant their impersonation (rbac.md §8.1); this
rule reports only grants that work, including the built-in `edit` role's `impersonate` on
serviceaccounts.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB014",
    slug="impersonation-access",
    title="Subject can impersonate users, groups or service accounts",
    severity="critical",
    category="rbac",
    tags=("mitre:T1078",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Impersonation lets the holder act as another identity; unrestricted group impersonation reaches "
        "system:masters."
    ),
    remediation="Remove impersonate, or restrict it with resourceNames to the identities a tool really needs.",
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0065", "C-0191"), "trivy": ("KSV-0043",), "checkov": ("CKV2_K8S_3",)},
)
PRIMITIVES = ("impersonate",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

""""Subject can request ServiceAccount tokens".

## What it checks
Subjects with `create` on `serviceaccounts/token` (TokenRequest). `resourceNames` restrict
the ServiceAccounts reached; a RoleBinding limits it to its namespace.

## Why it matters
The caller chooses the audience, so the token also federates into cloud identities (IRSA
`sts.amazonaws.com`, EKS Pod Identity, Azure `api://AzureADTokenExchange`, GKE pools)
without running a pod.

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts/token"]
    verbs: ["create"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts"]
    verbs: ["get", "list"]
```

## Remediation
Remove serviceaccounts/token create or restrict it with resourceNames to the ServiceAccount
a tool must act as.

## Exceptions and known false positives/negatives
Token brokers and CI systems; restrict by resourceNames. Bindings owned by the platform are
skipped unless `include_platform` is set; subjects with full authority at the scope are
reported once by RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB021",
    slug="service-account-token-create",
    title="Subject can request ServiceAccount tokens",
    severity="high",
    category="rbac",
    tags=("mitre:T1528",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="TokenRequest yields the identity of the ServiceAccount, and of every cloud role it federates to.",
    remediation=(
        "Remove serviceaccounts/token create or restrict it with resourceNames to the ServiceAccount a "
        "tool must act as."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0282",)},
)
PRIMITIVES = ("serviceaccount-token",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

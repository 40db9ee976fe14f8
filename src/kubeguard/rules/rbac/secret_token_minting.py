""""Subject can mint ServiceAccount token Secrets".

## What it checks
Subjects that may both `create` Secrets and read them (`get`/`list`/`watch`) at the same
scope.

## Why it matters
A Secret of type `kubernetes.io/service-account-token` annotated with a ServiceAccount's
name is filled by the token controller with a non-expiring token for that ServiceAccount.

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["create", "get"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["create"]
```

## Remediation
Separate Secret creation from Secret reading, or restrict reading with resourceNames.

## Exceptions and known false positives/negatives
Secret-management controllers. Bindings owned by the platform are skipped unless
`include_platform` is set; subjects with full authority at the scope are reported once by
RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB024",
    slug="secret-token-minting",
    title="Subject can mint ServiceAccount token Secrets",
    severity="high",
    category="rbac",
    tags=("mitre:T1528",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="Create plus read on Secrets yields long-lived tokens for every ServiceAccount in the namespace.",
    remediation="Separate Secret creation from Secret reading, or restrict reading with resourceNames.",
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={},
)
PRIMITIVES = ("secrets-create-read",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

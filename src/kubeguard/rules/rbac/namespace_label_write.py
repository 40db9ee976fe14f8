""""Subject can change namespace labels such as Pod Security levels".

## What it checks
Subjects with `update` or `patch` on `namespaces`. A RoleBinding in namespace N grants this
for namespace N itself (the API server attributes `/api/v1/namespaces/N` to N); a
ClusterRoleBinding for every namespace.

## Why it matters
Namespace labels carry the Pod Security admission level (`pod-
security.kubernetes.io/enforce`) and the selectors of NetworkPolicies and policy-engine
exclusions; changing them removes the blocker on privileged pods.

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["namespaces"]
    verbs: ["patch"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["namespaces"]
    verbs: ["get"]
```

## Remediation
Manage namespaces through a provisioning pipeline; do not grant namespace update or patch to
tenants.

## Exceptions and known false positives/negatives
Namespace provisioning controllers. Bindings owned by the platform are skipped unless
`include_platform` is set; subjects with full authority at the scope are reported once by
RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB023",
    slug="namespace-label-write",
    title="Subject can change namespace labels such as Pod Security levels",
    severity="high",
    category="rbac",
    tags=("mitre:T1562",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="Whoever can relabel a namespace can switch off Pod Security admission for it.",
    remediation=(
        "Manage namespaces through a provisioning pipeline; do not grant namespace update or patch to "
        "tenants."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={},
)
PRIMITIVES = ("namespace-write",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

""""Subject can write roles or role bindings".

## What it checks
Subjects that may `create`, `update` or `patch` roles, role bindings, cluster roles or
cluster role bindings.

## Why it matters
The API server's escalation check limits new grants to what the writer already holds, but
the writer can re-share all of it with any subject (another user, an SA it controls,
system:authenticated).

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["rolebindings"]
    verbs: ["create", "update"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["rolebindings"]
    verbs: ["get", "list"]
```

## Remediation
Keep RBAC writes with cluster and namespace administrators; delegate through GitOps rather
than direct API rights.

## Exceptions and known false positives/negatives
Namespace admins (the default admin role) hold it by design. Bindings owned by the platform
are skipped unless `include_platform` is set; subjects with full authority at the scope are
reported once by RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB016",
    slug="rbac-write-access",
    title="Subject can write roles or role bindings",
    severity="medium",
    category="rbac",
    tags=("mitre:T1098",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="RBAC write access spreads every permission the writer holds to identities it chooses.",
    remediation=(
        "Keep RBAC writes with cluster and namespace administrators; delegate through GitOps rather than "
        "direct API rights."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0191",), "trivy": ("KSV-0050", "KSV-0051")},
)
PRIMITIVES = ("rbac-write",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

""""Subject can port-forward or proxy to pods and services".

## What it checks
Subjects that may `create`/`get` `pods/portforward`, or use any verb on `pods/proxy` or
`services/proxy`.

## Why it matters
Port-forward and the API-server proxy reach pod ports from the API server's network
position, including localhost-only admin endpoints, and NetworkPolicy does not apply.

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["pods/portforward"]
    verbs: ["create"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["services"]
    verbs: ["get", "list"]
```

## Remediation
Remove portforward and proxy subresources from roles that do not need interactive debugging.

## Exceptions and known false positives/negatives
Developer roles in development namespaces. Bindings owned by the platform are skipped unless
`include_platform` is set; subjects with full authority at the scope are reported once by
RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB013",
    slug="pod-port-forward-or-proxy",
    title="Subject can port-forward or proxy to pods and services",
    severity="medium",
    category="rbac",
    tags=("mitre:T1090",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="Port-forward and API-server proxy bypass NetworkPolicy and reach ports never meant to be exposed.",
    remediation="Remove portforward and proxy subresources from roles that do not need interactive debugging.",
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0063",)},
)
PRIMITIVES = ("pod-port-forward-proxy",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

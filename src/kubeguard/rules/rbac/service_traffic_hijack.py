""""Subject can redirect Service traffic".

## What it checks
Subjects that may `update`/`patch` `services/status` (load-balancer IPs) or write
`endpoints` or `discovery.k8s.io/endpointslices`.

## Why it matters
Rewriting a Service's status or endpoints sends its traffic to an address the attacker
chooses (CVE-2020-8554 class).

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: ["discovery.k8s.io"]
    resources: ["endpointslices"]
    verbs: ["create", "update"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: ["discovery.k8s.io"]
    resources: ["endpointslices"]
    verbs: ["get", "list", "watch"]
```

## Remediation
Leave endpoints and Service status to the control plane and load-balancer controllers.

## Exceptions and known false positives/negatives
Service meshes and load-balancer controllers. Bindings owned by the platform are skipped
unless `include_platform` is set; subjects with full authority at the scope are reported
once by RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB029",
    slug="service-traffic-hijack",
    title="Subject can redirect Service traffic",
    severity="medium",
    category="rbac",
    tags=("mitre:T1557",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="Endpoint and Service status writes let the holder intercept traffic meant for other workloads.",
    remediation="Leave endpoints and Service status to the control plane and load-balancer controllers.",
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0283",), "trivy": ("KSV-0056",)},
)
PRIMITIVES = ("service-hijack",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

"""Subject can edit the EKS aws-auth ConfigMap.

## What it checks
On EKS clusters (provider eks, or an aws-auth ConfigMap in the inventory): subjects that may
`update` or `patch` the ConfigMap `kube-system/aws-auth`, through a rule for configmaps in
kube-system or cluster-wide (`resourceNames` respected).

## Why it matters
aws-auth maps IAM principals to Kubernetes users and groups; whoever edits it maps an IAM
role they control to `system:masters`.

## Failing example
```yaml
kind: Role   # namespace kube-system
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["patch"]
```

## Passing example
```yaml
kind: Role   # namespace kube-system
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    resourceNames: ["coredns"]
    verbs: ["patch"]
```

## Remediation
Move to EKS access entries (authentication mode API) and remove configmap write access in
kube-system.

## Exceptions and known false positives/negatives
Only evaluated on EKS-shaped clusters. Bindings owned by the platform are skipped unless
`include_platform` is set; subjects with full authority at the scope are reported once by
RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB027",
    slug="aws-auth-write-access",
    title="Subject can edit the EKS aws-auth ConfigMap",
    severity="critical",
    category="rbac",
    tags=("mitre:T1098",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="Write access to aws-auth is cluster-admin for anyone with an IAM principal.",
    remediation=(
        "Move to EKS access entries (authentication mode API) and remove configmap write access in "
        "kube-system."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"trivy": ("KSV-0115",)},
)
PRIMITIVES = ("aws-auth-write",)


def applies(cluster: ClusterInventory, ctx) -> bool:
    return cluster.facts.provider == "eks" or cluster.get("ConfigMap", "kube-system", "aws-auth") is not None


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

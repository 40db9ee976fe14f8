""""Subject can create or modify pods or workloads".

## What it checks
Subjects that may `create` pods, `update`/`patch` pods, or `create`/`update`/`patch`
Deployments, ReplicaSets, StatefulSets, DaemonSets (apps), Jobs, CronJobs (batch) or
ReplicationControllers in a namespace or cluster-wide.

## Why it matters
`spec.serviceAccountName` is free-form and Pod Security admission does not restrict it:
whoever creates a pod in a namespace runs code as any ServiceAccount there and mounts any of
its Secrets and ConfigMaps.

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["create"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "watch"]
```

## Remediation
Limit workload creation to CI/CD identities and namespace owners; keep powerful
ServiceAccounts out of namespaces where others can create pods, and restrict ServiceAccount
choice with an admission policy.

## Exceptions and known false positives/negatives
Deployment tooling legitimately holds it; the finding is about where it is held. Admission
policies that pin serviceAccountName are not evaluated. Bindings owned by the platform are
skipped unless `include_platform` is set; subjects with full authority at the scope are
reported once by RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB011",
    slug="pod-create-access",
    title="Subject can create or modify pods or workloads",
    severity="high",
    category="rbac",
    tags=("mitre:T1610",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Creating a pod lets the creator act as any ServiceAccount of the namespace and read every Secret "
        "it can mount, whatever RBAC says about Secrets."
    ),
    remediation=(
        "Limit workload creation to CI/CD identities and namespace owners; keep powerful ServiceAccounts "
        "out of namespaces where others can create pods, and restrict ServiceAccount choice with an "
        "admission policy."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0188",), "trivy": ("KSV-0048",), "kube-linter": ("access-to-create-pods",)},
)
PRIMITIVES = ("pod-create",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

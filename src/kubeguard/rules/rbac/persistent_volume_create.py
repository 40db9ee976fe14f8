""""Subject can create PersistentVolumes".

## What it checks
Subjects with `create` on `persistentvolumes` through a ClusterRoleBinding (the resource is
cluster-scoped).

## Why it matters
A PersistentVolume may be `hostPath` or `local`; a pod that only references a claim bound to
it mounts the node's filesystem, and Pod Security admission never sees the hostPath.

## Failing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: [""]
    resources: ["persistentvolumes"]
    verbs: ["create"]
```

## Passing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: [""]
    resources: ["persistentvolumeclaims"]
    verbs: ["create"]
```

## Remediation
Let provisioners create volumes; users should only create PersistentVolumeClaims against
StorageClasses.

## Exceptions and known false positives/negatives
CSI provisioners and storage operators. Bindings owned by the platform are skipped unless
`include_platform` is set; subjects with full authority at the scope are reported once by
RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB022",
    slug="persistent-volume-create",
    title="Subject can create PersistentVolumes",
    severity="high",
    category="rbac",
    tags=("mitre:T1611",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="PersistentVolume creation is a path to the host filesystem that bypasses Pod Security admission.",
    remediation=(
        "Let provisioners create volumes; users should only create PersistentVolumeClaims against "
        "StorageClasses."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0278",)},
)
PRIMITIVES = ("pv-create",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

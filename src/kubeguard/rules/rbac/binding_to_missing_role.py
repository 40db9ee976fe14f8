"""Binding references a role that does not exist or cannot be bound.

## What it checks
Every RoleBinding and ClusterRoleBinding whose `roleRef` names a Role or ClusterRole that
is not in the inventory (a RoleBinding's Role must be in its own namespace), a
ClusterRoleBinding that references a Role (rejected upstream), or a roleRef of another
kind.  Such a binding grants nothing today.  When scanning manifests, the upstream
default ClusterRoles (cluster-admin, admin, edit, view, system:discovery ...) are assumed
to exist.

## Why it matters
The binding becomes live the moment anyone creates a role with that name, handing its
subjects whatever that role then contains; dangling bindings are also stale access
reviews.

## Failing example
```yaml
kind: RoleBinding
metadata: {namespace: app}
roleRef: {kind: Role, name: deleted-role}
subjects:
  - {kind: User, name: alice}
```

## Passing example
```yaml
kind: RoleBinding
metadata: {namespace: app}
roleRef: {kind: ClusterRole, name: view}
subjects:
  - {kind: User, name: alice}
```

## Remediation
Delete the binding, or create the role it is meant to reference.

## Exceptions and known false positives/negatives
When scanning a subset of manifests the role may be defined elsewhere; scan the whole
set (or a snapshot) to be sure.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import rbac_graph

META = RuleMeta(
    code="RB003",
    slug="binding-to-missing-role",
    title="Binding references a role that does not exist or cannot be bound",
    severity="medium",
    category="rbac",
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "A binding to a missing role grants its subjects whatever role is created later under that name."
    ),
    remediation="Delete the binding, or create the role it is meant to reference.",
    references=("https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"popeye": ("POP-1300",)},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    for b in rbac_graph(ctx).bindings:
        if b.obj is None or b.problem is None:
            continue
        field = "name" if b.role_kind in ("Role", "ClusterRole") and "does not exist" in b.problem else "kind"
        yield Violation(f"{b.ref}: {b.problem}; it grants nothing until such a role is created",
                        ("roleRef", field), obj=b.obj, evidence={"roleRef": {"kind": b.role_kind, "name": b.role_name}})

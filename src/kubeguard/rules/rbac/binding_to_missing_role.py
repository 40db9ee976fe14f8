"""Binding references a role that does not exist or cannot be bound.

## What it checks
Every RoleBinding and ClusterRoleBinding whose `roleRef` names a Role or ClusterRole that
is not in the inventory (a RoleBinding's Role must be in its own namespace), a
ClusterRoleBinding that references a Role (rejected upstream), or a roleRef of another
kind.  Such a binding grants nothing today.  When scanning manifests, the roles every
conformant cluster bootstraps are assumed to exist: the default ClusterRoles (cluster-admin,
admin, edit, view, system:auth-delegator, system:discovery, system:controller:* ...) and the
default Roles of kube-system and kube-public (extension-apiserver-authentication-reader,
which every aggregated API server such as metrics-server binds, and the leader-locking and
bootstrap roles).

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

# Roles the API server bootstraps on every cluster (plugin/pkg/auth/authorizer/rbac/bootstrappolicy).
UPSTREAM_CLUSTER_ROLES = frozenset({
    "cluster-admin", "admin", "edit", "view", "system:aggregate-to-admin", "system:aggregate-to-edit",
    "system:aggregate-to-view", "system:discovery", "system:basic-user", "system:public-info-viewer",
    "system:monitoring", "system:auth-delegator", "system:heapster", "system:node", "system:node-problem-detector",
    "system:kubelet-api-admin", "system:node-bootstrapper", "system:kube-aggregator", "system:kube-controller-manager",
    "system:kube-dns", "system:persistent-volume-provisioner", "system:volume-scheduler", "system:node-proxier",
    "system:kube-scheduler", "system:service-account-issuer-discovery",
})
UPSTREAM_CLUSTER_ROLE_PREFIXES = ("system:controller:", "system:certificates.k8s.io:")
UPSTREAM_ROLES = frozenset({
    ("kube-system", "extension-apiserver-authentication-reader"),
    ("kube-system", "system::leader-locking-kube-controller-manager"),
    ("kube-system", "system::leader-locking-kube-scheduler"),
    ("kube-system", "system:controller:bootstrap-signer"), ("kube-system", "system:controller:cloud-provider"),
    ("kube-system", "system:controller:token-cleaner"), ("kube-public", "system:controller:bootstrap-signer"),
})


def upstream_default(kind: str, namespace: str | None, name: str) -> bool:
    if kind == "ClusterRole":
        return name in UPSTREAM_CLUSTER_ROLES or name.startswith(UPSTREAM_CLUSTER_ROLE_PREFIXES)
    return kind == "Role" and (namespace, name) in UPSTREAM_ROLES

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
    graph = rbac_graph(ctx)
    manifests = graph.source in ("manifests", "demo")
    for b in graph.bindings:
        if b.obj is None or b.problem is None:
            continue
        if manifests and "does not exist" in b.problem and upstream_default(b.role_kind, b.namespace, b.role_name):
            continue  # the cluster bootstraps it; manifests just do not carry it
        field = "name" if b.role_kind in ("Role", "ClusterRole") and "does not exist" in b.problem else "kind"
        yield Violation(f"{b.ref}: {b.problem}; it grants nothing until such a role is created",
                        ("roleRef", field), obj=b.obj, evidence={"roleRef": {"kind": b.role_kind, "name": b.role_name}})

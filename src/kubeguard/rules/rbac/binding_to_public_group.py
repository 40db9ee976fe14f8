"""Binding grants permissions to anonymous, every authenticated user or every ServiceAccount.

## What it checks
Every binding whose subjects include the user `system:anonymous`, or the groups
`system:unauthenticated`, `system:authenticated` or `system:serviceaccounts`, except
upstream's own discovery bindings (roles `system:discovery`, `system:basic-user`,
`system:public-info-viewer`, `system:service-account-issuer-discovery`).  On GKE the
message says that `system:authenticated` is every Google account.

## Why it matters
These groups have no members to review: anyone who reaches the API server (or any pod
of the cluster, for `system:serviceaccounts`) gets the grant.  On GKE any Google account
on the Internet is authenticated.

## Failing example
```yaml
kind: ClusterRoleBinding
roleRef: {kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: "system:authenticated"}
```

## Passing example
```yaml
kind: ClusterRoleBinding
roleRef: {kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: "platform-readers"}
```

## Remediation
Bind named users, groups or ServiceAccounts instead of the implicit groups.

## Exceptions and known false positives/negatives
Public status pages (for example `/healthz` through a custom role) may be intended;
exempt the binding with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.rbac_defaults import DEFAULT_IMPLICIT_GROUP_ROLES
from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import rbac_graph

META = RuleMeta(
    code="RB007",
    slug="binding-to-public-group",
    title="Binding grants permissions to anonymous, every authenticated user or every ServiceAccount",
    severity="high",
    category="rbac",
    tags=("mitre:T1078.001",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Implicit groups have no member list: anyone who reaches the API server, or any pod, receives the "
        "grant (on GKE, any Google account)."
    ),
    remediation="Bind named users, groups or ServiceAccounts instead of the implicit groups.",
    references=(
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0262", "C-0265"), "trivy": ("KSV-0122",), "kubesec": ("BindingsToSystemAnonymous",)},
)
_PUBLIC = {
    ("User", "system:anonymous"): "anonymous requests",
    ("Group", "system:unauthenticated"): "anonymous requests",
    ("Group", "system:authenticated"): "every authenticated identity",
    ("Group", "system:serviceaccounts"): "every ServiceAccount (any pod) in the cluster",
}


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    gke = cluster.facts.provider == "gke"
    for b in rbac_graph(ctx).bindings:
        if b.obj is None or b.role_name in DEFAULT_IMPLICIT_GROUP_ROLES:
            continue
        for s, idx in zip(b.subjects, b.subject_index):
            who = _PUBLIC.get((s.kind, s.name))
            if who is None:
                continue
            if gke and s.name == "system:authenticated":
                who = "every Google account (GKE)"
            grants = f"{len(b.role.rules)} rules of {b.role_ref}" if b.role else f"the missing {b.role_ref}"
            yield Violation(f"{b.ref} grants {grants} to {s.kind} {s.name}: {who}", ("subjects", idx), obj=b.obj)

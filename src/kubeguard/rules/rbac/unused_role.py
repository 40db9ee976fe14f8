"""Role or ClusterRole is not referenced by any binding.

## What it checks
Every Role and ClusterRole that no RoleBinding or ClusterRoleBinding references and
that no aggregated ClusterRole selects (its rules reach subjects through aggregation).
Platform roles are skipped unless `include_platform` is set.  In manifests, a ClusterRole
labelled `rbac.authorization.k8s.io/aggregate-to-NAME` is written for an aggregating role
the input may not carry (OpenShift's `cluster-reader`, a vendor's admin role), so it is not
reported either.

## Why it matters
Unused roles are dead weight in access reviews and wait for a binding that silently
re-activates them; removing them keeps the RBAC surface to what is in use.

## Failing example
```yaml
kind: Role
metadata: {name: old-reader, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get"]
```

## Passing example
```yaml
kind: Role
metadata: {name: reader, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get"]
---
kind: RoleBinding
metadata: {name: reader, namespace: app}
roleRef: {kind: Role, name: reader}
subjects:
  - {kind: ServiceAccount, name: worker}
```

## Remediation
Delete the role, or bind it where it is meant to be used.

## Exceptions and known false positives/negatives
Roles meant for later use by tooling (templates bound on demand) are reported; exempt
them by name.  ClusterRoles can also be referenced by an admission or controller
configuration kubeguard does not see.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, rbac_graph

META = RuleMeta(
    code="RB005",
    slug="unused-role",
    title="Role or ClusterRole is not referenced by any binding",
    severity="low",
    category="rbac",
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="Roles nobody is bound to are stale; a later binding re-activates whatever they contain.",
    remediation="Delete the role, or bind it where it is meant to be used.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"popeye": ("POP-400",)},
)


AGGREGATE_LABEL = "rbac.authorization.k8s.io/aggregate-to-"


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    graph = rbac_graph(ctx)
    referenced = {(b.role_kind, b.namespace if b.role_kind == "Role" else None, b.role_name)
                  for b in graph.bindings}
    aggregated = {src for r in graph.roles.values() for src in r.aggregated_from}
    manifests = graph.source in ("manifests", "demo")
    for key, role in sorted(graph.roles.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])):
        if role.obj is None or key in referenced:
            continue
        if role.kind == "ClusterRole" and (role.name in aggregated or manifests and any(
                k.startswith(AGGREGATE_LABEL) for k in role.obj.labels)):
            continue
        if role.is_platform and not ctx.params.include_platform:
            continue
        yield Violation(f"{role.ref} is not referenced by any binding", ("metadata", "name"), obj=role.obj)

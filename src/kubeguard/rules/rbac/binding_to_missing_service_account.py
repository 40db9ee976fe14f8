"""Binding names a ServiceAccount that does not exist.

## What it checks
Every ServiceAccount subject of every binding (and every User subject named
`system:serviceaccount:NS:NAME`, which is the same identity) whose ServiceAccount is not
in the inventory.  A ServiceAccount subject without `namespace` takes the binding's
namespace, as upstream does.  The `default` ServiceAccount is assumed to exist in every
namespace.  In manifests, a ServiceAccount written without `metadata.namespace` goes to
whatever namespace it is applied to (`kubectl apply -n argocd`), so it matches a subject of
that name in any namespace.  Not evaluated (UNKNOWN) when the input holds no ServiceAccount
at all.

## Why it matters
Whoever can later create that ServiceAccount and run a pod as it (or request a token for
it) inherits the grant; names are case-sensitive, so a typo also leaves the intended
workload without permissions.

## Failing example
```yaml
kind: RoleBinding
metadata: {namespace: app}
roleRef: {kind: Role, name: reader}
subjects:
  - {kind: ServiceAccount, name: old-worker}
```

## Passing example
```yaml
kind: ServiceAccount
metadata: {name: worker, namespace: app}
---
kind: RoleBinding
metadata: {namespace: app}
roleRef: {kind: Role, name: reader}
subjects:
  - {kind: ServiceAccount, name: worker}
```

## Remediation
Remove the subject from the binding, or fix its name and namespace.

## Exceptions and known false positives/negatives
ServiceAccounts created by controllers at run time are absent from manifests; scan a
snapshot of the cluster for a definitive answer.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, NotEvaluated, Violation
from kubeguard.rules._helpers.namespaces import explicit_namespace
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import rbac_graph

META = RuleMeta(
    code="RB004",
    slug="binding-to-missing-service-account",
    title="Binding names a ServiceAccount that does not exist",
    severity="low",
    category="rbac",
    target="cluster",
    requires=("RoleBinding", "ClusterRoleBinding", "ServiceAccount"),
    rationale=(
        "A grant to a missing ServiceAccount passes to whoever creates that ServiceAccount later."
    ),
    remediation="Remove the subject from the binding, or correct its name and namespace.",
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"popeye": ("POP-1300",)},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    graph = rbac_graph(ctx)
    if not graph.service_accounts:
        raise NotEvaluated("no ServiceAccount objects in the input")
    floating = {o.name for o in cluster.of_kind("ServiceAccount") if explicit_namespace(o) is None} \
        if graph.source in ("manifests", "demo") else set()
    for b in graph.bindings:
        if b.obj is None:
            continue
        for s, idx in zip(b.subjects, b.subject_index):
            kind, ns, name = s.key
            if kind != "ServiceAccount" or name == "default" or (ns, name) in graph.service_accounts \
                    or name in floating:
                continue
            yield Violation(f"{b.ref} grants to ServiceAccount {ns}/{name}, which does not exist",
                            ("subjects", idx, "name"), obj=b.obj)

"""Binding names a ServiceAccount that does not exist.

## What it checks
Every ServiceAccount subject of every binding (and every User subject named
`system:serviceaccount:NS:NAME`, which is the same identity) whose ServiceAccount is not
in the inventory.  A ServiceAccount subject without `namespace` takes the binding's
namespace, as upstream does.  The `default` ServiceAccount is assumed to exist in every
namespace.  In manifests, a ServiceAccount written without `metadata.namespace` goes to
whatever namespace it is applied to (`kubectl apply -n argocd`), so it matches a subject of
that name in any namespace.  Subjects in a namespace of which the input holds no
ServiceAccount at all are not judged (an operator bundle or chart elsewhere creates them), and
kube-system's upstream identities (kube-controller-manager's per-controller ServiceAccounts
such as `horizontal-pod-autoscaler`, kubeadm's `coredns` and `kube-proxy`) are assumed.  Not
evaluated (UNKNOWN) when the input holds no ServiceAccount at all.

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


# ServiceAccounts every cluster creates in kube-system: kube-controller-manager's per-controller
# identities (--use-service-account-credentials, the kubeadm default) and kubeadm's add-ons.
UPSTREAM_KUBE_SYSTEM = frozenset({
    "attachdetach-controller", "bootstrap-signer", "certificate-controller", "clusterrole-aggregation-controller",
    "cronjob-controller", "daemon-set-controller", "deployment-controller", "disruption-controller",
    "endpoint-controller", "endpointslice-controller", "endpointslicemirroring-controller",
    "ephemeral-volume-controller", "expand-controller", "generic-garbage-collector", "horizontal-pod-autoscaler",
    "job-controller", "legacy-service-account-token-cleaner", "namespace-controller", "node-controller",
    "persistent-volume-binder", "pod-garbage-collector", "pv-protection-controller", "pvc-protection-controller",
    "replicaset-controller", "replication-controller", "resourcequota-controller", "root-ca-cert-publisher",
    "service-account-controller", "service-cidrs-controller", "service-controller", "statefulset-controller",
    "token-cleaner", "ttl-after-finished-controller", "ttl-controller", "validatingadmissionpolicy-status-controller",
    "coredns", "kube-proxy",
})


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    graph = rbac_graph(ctx)
    if not graph.service_accounts:
        raise NotEvaluated("no ServiceAccount objects in the input")
    manifests = graph.source in ("manifests", "demo")
    floating = {o.name for o in cluster.of_kind("ServiceAccount") if explicit_namespace(o) is None} \
        if manifests else set()
    stated = {explicit_namespace(o) for o in cluster.of_kind("ServiceAccount")}
    unjudged: set[str] = set()
    for b in graph.bindings:
        if b.obj is None:
            continue
        for s, idx in zip(b.subjects, b.subject_index):
            kind, ns, name = s.key
            if kind != "ServiceAccount" or name == "default" or (ns, name) in graph.service_accounts \
                    or name in floating:
                continue
            if manifests and ns == "kube-system" and name in UPSTREAM_KUBE_SYSTEM:
                continue
            if manifests and ns not in stated:
                unjudged.add(ns)  # the input holds no ServiceAccount of that namespace at all
                continue
            yield Violation(f"{b.ref} grants to ServiceAccount {ns}/{name}, which does not exist",
                            ("subjects", idx, "name"), obj=b.obj)
    if unjudged:
        raise NotEvaluated(f"the input holds no ServiceAccount of namespace(s) {', '.join(sorted(unjudged)[:5])}")

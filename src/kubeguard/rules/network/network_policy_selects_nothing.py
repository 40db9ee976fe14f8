"""NetworkPolicy selects no pod.

## What it checks
Every valid NetworkPolicy whose `spec.podSelector` matches no pod of its namespace, and every
AdminNetworkPolicy or BaselineAdminNetworkPolicy whose subject matches no pod.  Only
namespaces with pods in the input are judged, so a folder holding policies alone is not
flagged.  A NetworkPolicy whose selector matches only hostNetwork pods is reported as such:
they share the node's network namespace, and CNIs do not isolate them (NP-48).

In a manifest scan a NetworkPolicy is not judged (UNKNOWN) when its folder defines no workload
of its namespace (the workloads may live in another folder, or be created with `kubectl run`),
or when its selector matches the labels of a custom resource whose operator runs pods
(prometheus-operator's Prometheus and Alertmanager label their StatefulSet pods so).

## Why it matters
A policy that selects nothing has no effect (NP-04): usually a typo in a label, a renamed
app, or a policy left behind.  The workload it was meant for is not protected.

## Failing example
```yaml
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api-server}}   # the pods are labelled app: api
  policyTypes: [Ingress]
```

## Passing example
```yaml
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.network_policy import NP_KIND
from kubeguard.model import ClusterInventory, NotEvaluated, Violation, selector_matches
from kubeguard.rules._helpers.workloads import inventory_is_complete, operator_pods_maybe_selected, same_input
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW007",
    slug="network-policy-selects-nothing",
    title="NetworkPolicy selects no pod",
    severity="low",
    category="network",
    target="cluster",
    requires=("NetworkPolicy",),
    rationale=(
        "A policy that selects no pod has no effect; the workload it was written for is not protected, "
        "usually because of a label typo or a rename."
    ),
    remediation="Fix the podSelector to match the workload's pod template labels, or delete the stale policy.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0299",), "kube-linter": ("dangling-networkpolicy",),
           "kube-score": ("networkpolicy-targets-pod",), "popeye": ("POP-1200",)},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    populated = {p.namespace for p in g.pods}
    complete = inventory_is_complete(cluster)
    unjudged: list[str] = []
    for q in g.policies:
        if q.kind == NP_KIND and q.namespace not in populated:
            continue
        if q.kind != NP_KIND and not populated:
            continue
        if g.selected_pods(q):
            continue
        if q.kind != NP_KIND:
            yield Violation(f"{q.kind} {q.name} selects no pod", ("spec", "subject"), obj=q.obj)
            continue
        path = ("spec", "podSelector")
        local = g.pods_in(q.namespace)
        host = sorted({(p.workload or p.obj).name for p in local
                       if p.host_network and selector_matches(q.pod_selector, p.labels)})
        if host:
            yield Violation(f"{q.kind} {q.name} selects only hostNetwork pods ({', '.join(host[:5])}), which "
                            "share the node's network and which NetworkPolicy does not isolate", path, obj=q.obj)
        elif not complete and not any(same_input(p.obj, q.obj) for p in local):
            unjudged.append(f"{q.ref}: its folder defines no workload of namespace {q.namespace}")
        elif (op := operator_pods_maybe_selected(cluster, q.namespace, q.pod_selector)) is not None:
            unjudged.append(f"{q.ref}: its pods may be those {op.kind} {op.name} has its operator create")
        else:
            yield Violation(f"{q.kind} {q.name} selects no pod in namespace {q.namespace}", path, obj=q.obj)
    if unjudged:
        raise NotEvaluated("; ".join(unjudged[:3]) + (f" (+{len(unjudged) - 3} more)" if len(unjudged) > 3 else ""))

"""NetworkPolicy selects no pod.

## What it checks
Every valid NetworkPolicy whose `spec.podSelector` matches no pod of its namespace, and every
AdminNetworkPolicy or BaselineAdminNetworkPolicy whose subject matches no pod.  Only
namespaces with pods in the input are judged, so a folder holding policies alone is not
flagged.

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
from kubeguard.model import ClusterInventory, Violation
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
    for q in g.policies:
        if q.kind == NP_KIND and q.namespace not in populated:
            continue
        if q.kind != NP_KIND and not populated:
            continue
        if not g.selected_pods(q):
            path = ("spec", "podSelector") if q.kind == NP_KIND else ("spec", "subject")
            yield Violation(f"{q.kind} {q.name} selects no pod" + (f" in namespace {q.namespace}" if q.namespace
                                                                  else ""), path, obj=q.obj)

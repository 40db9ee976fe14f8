"""Namespace has no default-deny NetworkPolicy.

## What it checks
Every namespace with pods (outside `exempt_namespaces`) for a NetworkPolicy that selects all
of its pods (`podSelector: {}`), lists the direction in its effective policyTypes and has no
rule for it -- the "default deny" of that direction -- for each direction in `directions`.
The finding is on the Namespace object when the input has it, else on the cluster.

## Why it matters
Per-workload policies leave every new workload open until someone writes its policy; a
namespace-wide default deny makes "closed" the default and every opening explicit.

## Failing example
```yaml
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
```

## Passing example
```yaml
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
```

## Exceptions
An AdminNetworkPolicy or BaselineAdminNetworkPolicy deny is not counted: the CIS item asks for
NetworkPolicies in every namespace.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.network_policy import NP_KIND
from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._helpers.namespaces import SYSTEM_NAMESPACES
from kubeguard.rules._helpers.network import namespaces_with_pods
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="NW003",
    slug="namespace-without-default-deny",
    title="Namespace has no default-deny NetworkPolicy",
    severity="medium",
    category="network",
    tags=("cis-k8s:5.3.2", "cis-eks:4.3.2", "cis-aks:4.4.2", "cis-gke:4.3.2"),
    target="cluster",
    requires=("NetworkPolicy",),
    rationale=(
        "Without a namespace-wide default deny every new workload starts reachable from everywhere until "
        "someone writes its policy."
    ),
    remediation="Create a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] and no rules in the "
                "namespace, then allow what each workload needs.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies",),
    params=(Param(name="exempt_namespaces", type="list[str]", default=list(SYSTEM_NAMESPACES),
                  description="Namespaces that need no default deny."),
            Param(name="directions", type="list[str]", default=["ingress", "egress"],
                  description="Directions that need a default deny: ingress, egress or both.")),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0030", "C-0206", "C-0054", "C-0049")},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    denied = {(q.namespace, direction) for q in g.policies for direction in ctx.params.directions
              if q.kind == NP_KIND and q.pod_selector == {} and q.isolates(direction) and not q.rules(direction)}
    for ns in namespaces_with_pods(g, ctx.params.exempt_namespaces):
        for direction in ctx.params.directions:
            if (ns, direction) not in denied:
                obj = cluster.get("Namespace", None, ns)
                yield Violation(f"namespace {ns!r} has no default-deny {direction} NetworkPolicy",
                                ("metadata", "name") if obj is not None else (), obj=obj,
                                evidence={"namespace": ns, "direction": direction})

"""Workload pods are selected by no ingress policy.

## What it checks
Every workload (one per controller, or bare pod) outside `exempt_namespaces` for at least one
NetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy that selects its pods for
ingress.  A pod no policy selects for ingress is non-isolated: every pod of the cluster and
every address that can route to it may open any port (netpol-semantics NP-01).

## Why it matters
Without ingress isolation one compromised pod anywhere in the cluster can reach the
workload's admin ports, metrics, debug endpoints and databases directly; lateral movement
needs nothing more than a network connection.

## Failing example
```yaml
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
# and no NetworkPolicy in shop selects app=api (or all pods) for Ingress
```

## Passing example
```yaml
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
```

## Exceptions
hostNetwork pods cannot be selected by NetworkPolicy and are left to the host-network rule.
Whether the CNI enforces the policy is checked by cni-without-network-policy-enforcement.

## Differences from Checkov
Checkov's graph check CKV2_K8S_6 never fails on the shared corpus: its edge builder ignores
namespaces and attaches any policy to unlabelled pods. This rule applies NetworkPolicy selection per
namespace as the API defines it (807 pods on the corpus are selected by no ingress policy).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._helpers.namespaces import SYSTEM_NAMESPACES
from kubeguard.rules._helpers.network import unisolated
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="NW001",
    slug="pod-without-ingress-policy",
    title="Workload pods are selected by no ingress policy",
    severity="medium",
    category="network",
    tags=("mitre:T1046", "cis-k8s:5.3.2"),
    target="cluster",
    requires=("NetworkPolicy",),
    rationale=(
        "A pod no policy selects for ingress accepts connections from every pod and address on every port, "
        "so one compromised workload can reach it directly."
    ),
    remediation="Add a default-deny ingress NetworkPolicy to the namespace and allow only the callers and ports "
                "the workload serves.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic",),
    params=(Param(name="exempt_namespaces", type="list[str]", default=list(SYSTEM_NAMESPACES),
                  description="Namespaces whose pods need no ingress policy."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0260",), "checkov": ("CKV2_K8S_6",), "polaris": ("missingNetworkPolicy",),
           "kube-linter": ("non-isolated-pod",), "kube-score": ("pod-networkpolicy",), "popeye": ("POP-1204",)},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from unisolated(ctx.graph("network"), "ingress", ctx.params.exempt_namespaces)

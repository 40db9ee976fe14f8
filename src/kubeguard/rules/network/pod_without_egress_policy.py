"""Workload pods are selected by no egress policy.

## What it checks
Every workload outside `exempt_namespaces` for at least one NetworkPolicy (with Egress in
its effective policyTypes), AdminNetworkPolicy or BaselineAdminNetworkPolicy that selects its
pods for egress.  Without one the pods may connect anywhere: other pods, the node, the cloud
metadata address and the internet.

## Why it matters
Unrestricted egress is what turns a foothold into data exfiltration, a command-and-control
channel, a pivot to the cloud metadata service or to internal databases.

## Failing example
```yaml
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{}]          # policyTypes defaults to [Ingress]: egress stays open
```

## Passing example
```yaml
kind: NetworkPolicy
metadata: {name: default-deny-egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
```

## Exceptions
hostNetwork pods cannot be selected by NetworkPolicy.  Remember DNS when denying egress
(see dns-egress-blocked).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._helpers.namespaces import SYSTEM_NAMESPACES
from kubeguard.rules._helpers.network import unisolated
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="NW002",
    slug="pod-without-egress-policy",
    title="Workload pods are selected by no egress policy",
    severity="medium",
    category="network",
    tags=("mitre:T1041", "cis-k8s:5.3.2"),
    target="cluster",
    requires=("NetworkPolicy",),
    rationale=(
        "A pod no policy selects for egress can connect to any pod, the node, the cloud metadata address and "
        "the internet: exfiltration and lateral movement are one connection away."
    ),
    remediation="Add a default-deny egress NetworkPolicy to the namespace and allow DNS plus the destinations "
                "the workload calls.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic",),
    params=(Param(name="exempt_namespaces", type="list[str]", default=list(SYSTEM_NAMESPACES),
                  description="Namespaces whose pods need no egress policy."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0260",), "polaris": ("missingNetworkPolicy",), "kube-score": ("pod-networkpolicy",),
           "popeye": ("POP-1205",)},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from unisolated(ctx.graph("network"), "egress", ctx.params.exempt_namespaces)

"""NetworkPolicy allows egress to the whole internet.

## What it checks
Every egress rule of a NetworkPolicy that selects at least one pod for egress, for a peer list
that covers every public IPv4 (or every public IPv6) address: `to` absent or empty, or an
ipBlock such as `0.0.0.0/0`, even with private ranges excepted.  Pods with no egress policy at all are reported by pod-without-egress-policy.

## Why it matters
An egress policy that still lets pods talk to any internet address does not stop data
exfiltration, downloads of attacker tooling or command-and-control traffic; it only looks
restrictive.

## Failing example
```yaml
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: 443}]}]
```

## Passing example
```yaml
egress:
  - to: [{ipBlock: {cidr: 203.0.113.0/24}}]   # the partner API only
    ports: [{port: 443}]
```

## Exceptions
Egress gateways and proxies that must reach arbitrary addresses; exempt them by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.network_policy import NP_KIND
from kubeguard.graph.network_sets import covers_internet
from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW005",
    slug="egress-to-internet-allowed",
    title="NetworkPolicy allows egress to the whole internet",
    severity="medium",
    category="network",
    tags=("mitre:T1041",),
    target="cluster",
    requires=("NetworkPolicy",),
    rationale=(
        "An egress rule open to every public address leaves exfiltration and command-and-control channels open "
        "while the workload looks locked down."
    ),
    remediation="Replace the open peer with the CIDRs of the services the pods call, or route egress through a "
                "proxy and allow only the proxy.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource",),
    lifecycle=Lifecycle.preview("0.1.0"),
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    for q in g.policies:
        if q.kind != NP_KIND or not q.egress_isolates or not g.selected_pods(q):
            continue
        for rule in q.egress:
            ports = g.spec.rule_ports(rule, None)
            if ports and covers_internet(g.spec.rule_ips(rule)[0]):
                peer = "any destination" if rule.peers is None else "an ipBlock covering every public address"
                yield Violation(f"egress rule {rule.index} of NetworkPolicy {q.name} allows {peer} on {ports}",
                                rule.path if rule.peers is None else _open_peer(rule), obj=q.obj)


def _open_peer(rule):
    for peer in rule.peers or ():
        if peer.ipset is not None and covers_internet(peer.ipset):
            return peer.path
    return rule.path

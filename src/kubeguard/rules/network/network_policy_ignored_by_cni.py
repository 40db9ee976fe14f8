"""NetworkPolicy relies on something the cluster's CNI does not enforce.

## What it checks
With the CNI known (cluster facts of live collection, or the fleet file), every valid policy
for constructs that CNI ignores (netpol-semantics part C): any policy when the CNI enforces
none (Flannel); `endPort` on Azure NPM and Cilium before 1.16; ipBlocks meant to match pods on
Cilium-based CNIs (AKS Cilium, GKE Dataplane V2), which never match pod or node IPs; named
ports on Weave; SCTP on kube-router; admin policies where they are not implemented.  On the
Amazon VPC CNI (EKS user guide, considerations): policies selecting standalone, Fargate or Windows
pods, which the agent does not protect; more than 24 port/protocol combinations for one pod and
direction; named ports in rules without `from`/`to` (the agent resolves names only on listed pods)
or resolving to different numbers on the policy's pods (each number is opened on every pod);
Services whose egress through the ClusterIP is denied although the policies allow their pods (the
rule's pod selector must select the Service's selector and the Service port must equal the
container port; towards a hostNetwork backend every node the workload's pods run on is asked,
as traffic from a pod to its own node is always allowed, NP-47); an except for
169.254.169.254; and standard enforcing mode, where a new pod allows every connection until the
agent has programmed it (NP-49).

## Why it matters
The policy reads as a control that the data path does not apply: traffic the author meant to
allow is dropped, or traffic meant to be blocked passes.  `kubeguard netpol can-reach` shows
the "in practice" answer.

## Failing example
```yaml
# cluster facts: cni: {name: azure-npm}
ingress:
  - ports: [{port: 8000, endPort: 8100}]   # Azure NPM opens 8000 only
```

## Passing example
```yaml
ingress:
  - ports: [{port: 8000}, {port: 8001}, {port: 8002}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.network_aws import named_port_spread, over_limit_policies, service_vip_gaps
from kubeguard.graph.network_policy import NP_KIND, Policy
from kubeguard.graph.network_sets import IPSet
from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._helpers.network import workloads
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW009",
    slug="network-policy-ignored-by-cni",
    title="NetworkPolicy relies on something the cluster's CNI does not enforce",
    severity="medium",
    category="network",
    target="cluster",
    requires=("NetworkPolicy",),
    rationale=(
        "Each CNI enforces a different subset of the NetworkPolicy API; a construct it ignores makes the policy "
        "mean something else on the wire than in the YAML."
    ),
    remediation="Rewrite the construct in a form the CNI enforces (explicit ports instead of endPort, selectors "
                "instead of ipBlocks for pods, numeric ports...) or move to a CNI that enforces it.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/",
                "https://docs.cilium.io/en/stable/network/kubernetes/policy/",
                "https://learn.microsoft.com/azure/aks/use-network-policies",
                "https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html"),
    lifecycle=Lifecycle.preview("0.1.0"),
)

_PRIVATE = [IPSet.parse(c) for c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")]


def applies(cluster: ClusterInventory, ctx) -> bool:
    return not ctx.graph("network").profile.is_spec


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    prof = g.profile
    pod_ips = [p.ip for p in g.pods if p.ip and not p.host_network]
    if prof.enforces and prof.enforcing_mode == "standard" and g.policies:
        yield Violation(prof.reason("enforcing_mode"), evidence={"NETWORK_POLICY_ENFORCING_MODE": "standard"})
    yield from _vpc_cni(g)
    for q in g.policies:
        if not prof.enforces:
            yield Violation(f"{q.kind} {q.name}: {prof.reason('enforces')}", ("spec",), obj=q.obj)
            continue
        if q.kind != NP_KIND:
            if not prof.admin_policies:
                yield Violation(f"{q.kind} {q.name}: {prof.reason('admin_policies')}", ("spec",), obj=q.obj)
            continue
        yield from _standalone(g, q)
        for rule in q.ingress + q.egress:
            for e in rule.ports or ():
                if e.end_port is not None and not prof.endport:
                    yield Violation(f"NetworkPolicy {q.name}: {prof.reason('endport')} ({e})", e.path + ("endPort",),
                                    obj=q.obj)
                if e.name is not None and not prof.named_ports:
                    yield Violation(f"NetworkPolicy {q.name}: {prof.reason('named_ports')} ({e})", e.path, obj=q.obj)
                if e.protocol == "SCTP" and not prof.sctp:
                    yield Violation(f"NetworkPolicy {q.name}: {prof.reason('sctp')}", e.path, obj=q.obj)
            for peer in rule.peers or ():
                if peer.shape != "ip" or peer.ipset is None:
                    continue
                if not prof.ipblock_matches_pod_ips:
                    inside = [ip for ip in pod_ips if peer.ipset.contains(ip)]
                    if inside or any(peer.ipset.covers(r) for r in _PRIVATE):
                        what = f"pod IP {inside[0]}" if inside else "private ranges where pod IPs live"
                        yield Violation(f"NetworkPolicy {q.name}: ipBlock {peer.text} covers {what}, but "
                                        f"{prof.reason('ipblock_matches_pod_ips')}", peer.path, obj=q.obj)
                if not prof.metadata_except_enforced and any(
                        IPSet.parse(x).contains("169.254.169.254") for x in peer.excepts):
                    yield Violation(f"NetworkPolicy {q.name}: {prof.reason('metadata_except_enforced')}",
                                    peer.path + ("ipBlock", "except"), obj=q.obj)


def _standalone(g, q: Policy) -> Iterator[Violation]:
    prof = g.profile
    for switch, dropped in (("standalone_pods_protected", lambda p: p.standalone and not prof.standalone_pods_protected),
                            ("ec2_linux_only", lambda p: p.unprotected and prof.ec2_linux_only)):
        bare = [p.id + (f" ({p.unprotected})" if p.unprotected else "") for p in g.selected_pods(q) if dropped(p)]
        if bare:
            yield Violation(f"NetworkPolicy {q.name}: {prof.reason(switch)} ({', '.join(bare[:5])})",
                            ("spec", "podSelector"), obj=q.obj)


def _vpc_cni(g) -> Iterator[Violation]:
    """The Amazon VPC CNI agent's limits that reach past single constructs (graph/network_aws.py)."""
    prof = g.profile
    if not prof.enforces or not (prof.port_limit or prof.named_ports_need_pods or prof.service_vip_egress):
        return
    for q, direction, pods in over_limit_policies(g):
        yield Violation(f"NetworkPolicy {q.name}: {prof.reason('port_limit', count='these')} "
                        f"({direction} of {', '.join(p.id for p in pods[:3])})", ("spec", direction), obj=q.obj)
    for q in g.policies:
        if q.kind != NP_KIND:
            continue
        for rule in (q.ingress + q.egress) if prof.named_ports_need_pods else ():
            for e in rule.ports or ():
                if e.name is not None and rule.peers is None:
                    yield Violation(f"NetworkPolicy {q.name}: {prof.reason('named_ports_need_pods')} ({e})", e.path,
                                    obj=q.obj)
        for name, ports in named_port_spread(g, q).items() if prof.named_ports_need_pods else ():
            path = next(e.path for r in q.ingress for e in r.ports or () if e.name == name)
            yield Violation(f"NetworkPolicy {q.name}: port name {name!r} is {ports} on different pods, and "
                            f"{prof.title} opens every one of them on each pod the policy selects", path, obj=q.obj)
    groups = [pods for _, pods in workloads(g)]
    # one client per workload; towards a hostNetwork backend every node its pods run on counts (NP-47)
    for gap in service_vip_gaps(g, [pods[0] for pods in groups], [{p.node for p in pods} for pods in groups]):
        who = ", ".join(f"{p.workload_kind} {p.workload_id}" for p in gap.clients[:4])
        yield Violation(f"Service {gap.service.name} port {gap.port}/{gap.protocol}: {who} may reach its pods, but "
                        f"{prof.reason('service_vip_egress')}, so connecting through the Service is denied in "
                        f"practice", ("spec", "ports", gap.port_index, "port"), obj=gap.service,
                        related=tuple(q.obj.ref for q in gap.policies[:4]))

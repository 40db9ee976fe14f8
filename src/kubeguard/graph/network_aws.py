"""The Amazon VPC CNI network policy agent's documented limits that reach past one pod pair
(netpol-semantics.md C.1; EKS user guide "Limit pod traffic with Kubernetes network policies",
considerations).  The per-pair ones (standalone, Fargate and Windows pods; named ports only on pods
listed as peers; 24 port/protocol entries; the node address) live in the evaluator; here:

* egress to a Service is matched against its ClusterIP before DNAT: the agent's controller adds a
  Service's ClusterIP to an egress rule only when the rule's pod selector selects the Service's selector
  (amazon-network-policy-controller-k8s ``getMatchingServiceClusterIPs``), and EKS documents that "the
  service port must be the same as the container port; if you're using named ports, use the same name
  in the service spec too";
* which policies list more port/protocol entries than the agent programs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..model.objects import K8sObject
from ..model.selectors import selector_matches
from .network import NetworkGraph, PodEndpoint, _bits
from .network_exposure import service_pods, service_target_ports
from .network_policy import Policy, PolicyRule
from .network_sets import IPSet, PortSet


@dataclass(frozen=True, slots=True)
class VipGap:
    """Clients whose policies allow a Service's pods on the target port, but not the Service's ClusterIP and
    port the agent sees."""

    service: K8sObject
    port_index: int
    port: int
    protocol: str
    clients: tuple[PodEndpoint, ...]
    policies: tuple[Policy, ...]


def _port_ok(rule: PolicyRule, port: int, protocol: str, name: str | None) -> bool:
    if rule.ports is None:
        return True
    for e in rule.ports:
        if e.name is not None:
            if e.name == name and (e.protocol or protocol) == protocol and rule.peers is not None:
                return True
        elif e.protocol == protocol and (e.port is None or e.port <= port <= (e.end_port or e.port)):
            return True
    return False


def _vip_rule(g: NetworkGraph, q: Policy, rule: PolicyRule, svc: K8sObject, cluster_ip: IPSet | None) -> bool:
    """Whether the agent puts the Service's ClusterIP into this egress rule."""
    if rule.peers is None:
        return True  # every destination: 0.0.0.0/0 and ::/0
    selector = svc.spec.get("selector") or {}
    ns_labels = g.namespaces.get(svc.namespace or "", {})
    for peer in rule.peers:
        if peer.shape == "ip" and peer.ipset is not None and cluster_ip is not None and peer.ipset.covers(cluster_ip):
            return True
        if peer.shape == "pods":
            in_ns = q.namespace == svc.namespace if peer.ns_selector is None else \
                selector_matches(peer.ns_selector, ns_labels)
            if in_ns and selector_matches(peer.pod_selector or {}, {str(k): str(v) for k, v in selector.items()}):
                return True
    return False


def service_vip_gaps(g: NetworkGraph, clients: list[PodEndpoint]) -> Iterator[VipGap]:
    """Per Service port: the ``clients`` (one pod per workload) that the pod-level answer lets reach the
    Service's pods on the target port while the VPC CNI denies the ClusterIP and Service port."""
    if not g.profile.service_vip_egress:
        return
    ev = g.practice
    for svc in g.services:
        if not isinstance(svc.spec.get("selector"), dict) or svc.spec.get("clusterIP") in ("None", "") \
                or svc.spec.get("type") == "ExternalName":
            continue  # headless Services resolve to pod IPs; without a selector there is nothing to match
        backends = service_pods(g, svc)
        if not backends:
            continue
        backend_ids = {id(b) for b in backends}
        try:
            cluster_ip = IPSet.parse(str(svc.spec["clusterIP"])) if svc.spec.get("clusterIP") else None
        except ValueError:
            cluster_ip = None
        for i, sp in enumerate(svc.spec.get("ports") or []):
            if not isinstance(sp, dict) or not isinstance(sp.get("port"), int):
                continue
            proto = str(sp.get("protocol") or "TCP").upper()
            if proto not in ("TCP", "UDP", "SCTP"):
                continue
            targets = [(b, service_target_ports(svc, b, i)) for b in backends[:20]]
            # pods of one cell get the same answers: decide once per cell, report every pod
            decided: dict[int, list[Policy] | None] = {}
            hit, why = [], []
            for c in clients:
                if id(c) in backend_ids:
                    continue
                cell = g.cells.cell_of[id(c)]
                if cell not in decided:
                    decided[cell] = _vip_gap_policies(g, ev, cell, c, targets, svc, cluster_ip, sp, proto)
                policies = decided[cell]
                if policies:
                    hit.append(c)
                    why.extend(q for q in policies if q not in why)
            if hit:
                yield VipGap(svc, i, sp["port"], proto, tuple(hit), tuple(why))


def _vip_gap_policies(g: NetworkGraph, ev, cell: int, c: PodEndpoint, targets, svc, cluster_ip, sp,
                      proto: str) -> list[Policy] | None:
    """The egress NetworkPolicies of ``cell`` when they let its pods reach the Service's pods but not its
    ClusterIP and port; ``None`` when there is no such gap (``c`` is any pod of the cell)."""
    policies = [q for q in ev.policies_for(cell, "egress") if q.is_np]
    if not policies:
        return None
    if not any((ok | unsure) & t for b, t in targets for ok, unsure in [g.ports(c, b, True)]):
        return None  # the pods are not reachable anyway: nothing the ClusterIP rule could lose
    if any(_vip_rule(g, q, r, svc, cluster_ip) and _port_ok(r, sp["port"], proto, sp.get("name"))
           for q in policies for r in q.egress):
        return None
    return policies


def over_limit_policies(g: NetworkGraph) -> Iterator[tuple[Policy, str, list[PodEndpoint]]]:
    """(policy, direction, pods) where a pod's policies list more port/protocol entries than the agent programs."""
    ev = g.practice
    if not ev.port_limit:
        return
    for direction in ("ingress", "egress"):
        seen: dict[int, tuple[Policy, list[PodEndpoint]]] = {}
        for c in range(g.cells.n):
            if not ev.over_limit(c, direction):
                continue
            for q in ev.policies_for(c, direction):
                if q.rules(direction):
                    seen.setdefault(id(q), (q, []))[1].extend(g.cells.pods[c])
        for q, pods in seen.values():
            yield q, direction, pods


def named_port_spread(g: NetworkGraph, q: Policy) -> dict[str, PortSet]:
    """Named ports of an ingress rule that resolve to different numbers on the policy's pods: the agent opens
    every one of them on every pod the policy selects."""
    names = {e.name for r in q.ingress for e in r.ports or () if e.name is not None}
    out: dict[str, PortSet] = {}
    subjects = list(_bits(g.practice.subjects(q)))
    for name in names:
        nums = {(proto, n) for c in subjects for pname, proto, n in g.cells.keys[c][2] if pname == name}
        if len({n for _, n in nums}) > 1:
            ps = PortSet.none()
            for proto, n in nums:
                ps = ps | PortSet.of(proto, n)
            out[name] = ps
    return out

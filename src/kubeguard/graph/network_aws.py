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

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from ..model.objects import K8sObject
from ..model.selectors import selector_matches
from .network import NetworkGraph, PodEndpoint, _bits, _valid_ip
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


def service_vip_gaps(g: NetworkGraph, clients: list[PodEndpoint],
                     nodes: Sequence[Iterable[str | None]] | None = None) -> Iterator[VipGap]:
    """Per Service port: the ``clients`` (one pod per workload) that the pod-level answer lets reach the
    Service's pods on the target port while the VPC CNI denies the ClusterIP and Service port.

    Decided per cell of clients (the first client of a cell speaks for it) with bitsets, so the cost is about
    (Service ports x their first 20 backends' ingress blocks) + (egress rules x the cells they admit), not
    Service ports x clients: a gap is ``candidates & reach & ~vip``, where the candidates are the client cells
    with an egress NetworkPolicy that are not the Service's pods, ``reach`` the cells whose egress and the
    backends' ingress let through a target port (:class:`_EgressIndex`) and ``vip`` the cells with a rule the
    agent gives the ClusterIP and port (:class:`_VipIndex`).

    Cells do not record nodes, and towards a hostNetwork backend the answer depends on the client's node
    (NP-47: its own node is exempt, another node's address is policy-bound): there a cell is split by the nodes
    its clients run on, ``nodes[n]`` for client ``n`` (the nodes of its workload's pods; default: its own),
    and a client counts when one of its nodes reaches the backend."""
    if not g.profile.service_vip_egress:
        return
    ev = g.practice
    cell_of = g.cells.cell_of
    first: dict[int, PodEndpoint] = {}  # cell -> its first client
    members: dict[int, list[int]] = {}  # cell -> indexes of its clients
    client_nodes: list[frozenset[str | None]] = []  # client -> the nodes it runs on (None: not known)
    cell_nodes: dict[int, set[str | None]] = {}  # cell -> the nodes of its clients
    for n, c in enumerate(clients):
        cell = cell_of[id(c)]
        first.setdefault(cell, c)
        members.setdefault(cell, []).append(n)
        on = frozenset(nodes[n]) if nodes is not None and nodes[n] else frozenset((c.node,))
        client_nodes.append(on)
        cell_nodes.setdefault(cell, set()).update(on)
    with_np = 0  # client cells some egress NetworkPolicy selects
    vip_index = _VipIndex(g, ev)
    for cell in first:
        if vip_index.np_subjects >> cell & 1:
            with_np |= 1 << cell
    if not with_np:
        return
    reach = _Reach(g, first, cell_nodes)
    policies_of: dict[int, list[Policy]] = {}
    for svc in g.services:
        if not isinstance(svc.spec.get("selector"), dict) or svc.spec.get("clusterIP") in ("None", "") \
                or svc.spec.get("type") == "ExternalName":
            continue  # headless Services resolve to pod IPs; without a selector there is nothing to match
        backends = service_pods(g, svc)
        if not backends:
            continue
        backend_cells = 0  # a Service selects by namespace and labels: all pods of a cell or none
        for b in backends:
            backend_cells |= 1 << cell_of[id(b)]
        candidates = with_np & ~backend_cells
        if not candidates:
            continue
        try:
            cluster_ip = IPSet.parse(str(svc.spec["clusterIP"])) if svc.spec.get("clusterIP") else None
        except ValueError:
            cluster_ip = None
        vip_rules = None
        for i, sp in enumerate(svc.spec.get("ports") or []):
            if not isinstance(sp, dict) or not isinstance(sp.get("port"), int):
                continue
            proto = str(sp.get("protocol") or "TCP").upper()
            if proto not in ("TCP", "UDP", "SCTP"):
                continue
            if vip_rules is None:
                vip_rules = vip_index.rules_for(svc, cluster_ip)
            left = candidates & ~vip_index.cells(vip_rules, sp["port"], proto, sp.get("name"))
            if not left:
                continue
            gap, on_node = reach(left, [(b, service_target_ports(svc, b, i)) for b in backends[:20]])
            some = 0  # cells only some clients of which reach a backend: those on the nodes of on_node
            for bits in on_node.values():
                some |= bits
            if not gap | some:
                continue
            hit, why, seen = [], [], set()
            for n in sorted(n for cell in _bits(gap | some) for n in members[cell]
                            if gap >> cell & 1 or any(on_node.get(x, 0) >> cell & 1 for x in client_nodes[n])):
                c = clients[n]
                hit.append(c)
                cell = cell_of[id(c)]
                policies = policies_of.get(cell)
                if policies is None:
                    policies = policies_of[cell] = [q for q in ev.policies_for(cell, "egress") if q.is_np]
                for q in policies:
                    if id(q) not in seen:
                        seen.add(id(q))
                        why.append(q)
            yield VipGap(svc, i, sp["port"], proto, tuple(hit), tuple(why))


class _Reach:
    """Which client cells may reach a Service's pods on a target port, surely or undecided: the
    ``NetworkGraph.ports`` answer that is neither denied by the client's egress nor by the pod's ingress, asked
    per backend cell for whole bitsets of client cells at once; towards a hostNetwork backend, per node of the
    cell's clients (:meth:`_node`)."""

    def __init__(self, g: NetworkGraph, first: dict[int, PodEndpoint], nodes: dict[int, set[str | None]]):
        self.g = g
        lo = g.practice
        self.evs = [lo] if g.practice_hi is lo else [lo, g.practice_hi]  # the bounds of the answer
        self.egress = [_EgressIndex(e) for e in self.evs]
        self.first = first  # cell -> the client that speaks for it
        self.nodes = nodes  # cell -> the nodes its clients run on (None: not known)
        self.on_node: dict[str | None, int] = defaultdict(int)  # node -> cells with a client on it
        self.single = 0  # cells whose clients all run on one known node
        self.several = 0  # cells with clients on several known nodes
        for cell, on in nodes.items():
            for node in on:
                self.on_node[node] |= 1 << cell
            known = len(on - {None})
            if known == 1:
                self.single |= 1 << cell
            elif known > 1:
                self.several |= 1 << cell

    def __call__(self, cells: int, targets: list[tuple[PodEndpoint, PortSet]]) -> tuple[int, dict[str | None, int]]:
        """Of ``cells``, those all of whose clients may reach some backend of ``targets`` (backend, its target
        ports), and per node the cells whose clients on that node only may (towards hostNetwork backends)."""
        cell_of = self.g.cells.cell_of
        reach = 0
        by_node: dict[str | None, int] = {}  # node -> cells whose clients on that node reach a backend
        seen: set[tuple[int, PortSet]] = set()
        for b, t in targets:
            todo = cells & ~reach
            if not todo:
                break
            if not t:
                continue
            if b.host_network:
                full, some = self._node(todo, b, t)
                reach |= full
                if some:
                    for node in (None, b.node):
                        by_node[node] = by_node.get(node, 0) | some
                continue
            cb = cell_of[id(b)]
            if (cb, t) not in seen:
                seen.add((cb, t))
                reach |= self._pods(todo, cb, t)
        return reach, {node: bits & ~reach for node, bits in by_node.items() if bits & ~reach}

    def _pods(self, cells: int, cb: int, t: PortSet) -> int:
        """Pod to pod (``_Evaluator.ports_between``): a port that the client's egress allows to cell ``cb`` and
        ``cb``'s ingress admits from the client, in either bound."""
        out = 0
        for ev, index in zip(self.evs, self.egress):
            for bits, ports in ev.partition(cb, "ingress"):
                need = bits & cells & ~out
                if need:
                    x = ports & t
                    if x:
                        out |= need & index.admitting(cb, x, need)
        return out

    def _node(self, cells: int, b: PodEndpoint, t: PortSet) -> tuple[int, int]:
        """Pod to hostNetwork pod, node traffic (``NetworkGraph.ports``, NP-47): a client on the backend's node,
        or whose node (or the backend's) is not known, reaches it in the high bound on every port; from another
        node the client's egress decides, over the backend's address (as between pods when it has none), the same
        way for every other node.  Returns the cells all of whose clients reach the backend, and the cells only
        whose clients on the backend's node (or an unknown one) do."""
        if b.node is None:
            return cells, {}
        near = cells & (self.on_node.get(None, 0) | self.on_node.get(b.node, 0))  # some client is near
        far = cells & (self.several | self.single & ~self.on_node.get(b.node, 0))  # some client is on another node
        ok = 0  # far cells whose clients on other nodes reach it too
        if far:
            if not all(index.simple for index in self.egress):
                for cell in _bits(far):
                    if self._far_ports(cell, b) & t:
                        ok |= 1 << cell
            elif b.ip and _valid_ip(b.ip):
                space = IPSet.parse(b.ip)
                for index in self.egress:
                    ok |= far & index.admitting_address(space, "remote", t)
            else:
                ok = self._pods(far, self.g.cells.cell_of[id(b)], t)
        return cells & ~far | ok, near & far & ~ok

    def _far_ports(self, cell: int, b: PodEndpoint) -> PortSet:
        """Ports from a client of ``cell`` on a node other than hostNetwork pod ``b``'s, in either bound."""
        out = PortSet.none()
        for ev in self.evs:
            out = out | self.g._raw(ev, self.first[cell], b, "remote")
        return out


class _EgressIndex:
    """Which cells' egress allows a destination cell on some of a set of ports, under one evaluator.

    When every egress rule only allows (one NetworkPolicy-like tier whose default is Deny, no rule limited to
    some of its policy's pods: the VPC CNI's practice), a cell's egress partition allows a destination on the
    union of the rule pieces containing it, and a cell no policy isolates for egress allows everything; so the
    pieces are computed once per (policy, over-the-port-limit or not), deduplicated, and inverted into
    destination cell -> pieces.  Otherwise the cells' own partitions are asked one by one."""

    _WIDE = 64  # pieces admitting more cells than this are tested bit by bit rather than indexed per cell

    def __init__(self, ev):
        self.ev = ev
        self.simple = self._index()

    def _index(self) -> bool:
        ev = self.ev
        if len(ev.tiers) > 1 or any(default != "Deny" for _, default, _ in ev.tiers):
            return False
        if any(r.subject is not None or r.action not in ("Allow", "Log") for q in ev.policies for r in q.egress):
            return False
        isolated = 0
        for q in ev.policies:
            if q.isolates("egress"):
                isolated |= ev.subjects(q)
        self.open = ev.cells.all & ~isolated  # no policy isolates them: every port to every destination
        over = 0
        if ev.port_limit:
            for c in range(ev.cells.n):
                if ev.over_limit(c, "egress"):
                    over |= 1 << c
        pieces: dict[tuple[int, PortSet], int] = {}  # (destination cells, ports) -> subject cells
        for q in ev.policies:
            if not q.egress:
                continue
            subjects = ev.subjects(q)
            for group in (subjects & ~over, subjects & over):  # the pieces depend on a subject only through this
                if not group:
                    continue
                subject = (group & -group).bit_length() - 1
                for r in q.egress:
                    for dst, ports, action in ev._rule_pieces(q, r, "egress", subject):
                        if action is None:
                            continue
                        if action != "Allow":
                            return False
                        pieces[(dst, ports)] = pieces.get((dst, ports), 0) | group
        self.by_cell: dict[int, list[tuple[PortSet, int]]] = defaultdict(list)
        self.wide: list[tuple[int, PortSet, int]] = []
        for (dst, ports), subjects in pieces.items():
            if dst.bit_count() > self._WIDE:
                self.wide.append((dst, ports, subjects))
            else:
                for c in _bits(dst):
                    self.by_cell[c].append((ports, subjects))
        self._memo: dict[tuple[int, PortSet], int] = {}
        self._over = over
        self._by_address: dict[str, list[tuple[IPSet, PortSet, int]]] = {}  # node -> (addresses, ports, subjects)
        self._address_memo: dict[tuple[IPSet, str, PortSet], int] = {}
        return True

    def admitting(self, dst: int, ports: PortSet, cells: int) -> int:
        """Of ``cells``, those whose egress allows cell ``dst`` on some of ``ports`` (maybe more cells)."""
        ev = self.ev
        if not self.simple:
            out = 0
            for c in _bits(cells):
                allowed = next((p for b, p in ev.partition(c, "egress") if b >> dst & 1), None)
                if allowed is not None and allowed & ports:
                    out |= 1 << c
            return out
        key = (dst, ports)
        out = self._memo.get(key)
        if out is None:
            out = self.open
            for p, subjects in self.by_cell.get(dst, ()):
                if p & ports:
                    out |= subjects
            for d, p, subjects in self.wide:
                if d >> dst & 1 and p & ports:
                    out |= subjects
            self._memo[key] = out
        return out

    def admitting_address(self, space: IPSet, node: str, ports: PortSet) -> int:
        """Cells whose egress allows the address ``space`` of a node (``node`` as in ``_Evaluator.rule_ips``) on
        some of ``ports`` (maybe more cells); only when :attr:`simple`."""
        key = (space, node, ports)
        out = self._address_memo.get(key)
        if out is not None:
            return out
        pieces = self._by_address.get(node)
        if pieces is None:
            ev, found = self.ev, {}
            for q in ev.policies:
                subjects = ev.subjects(q) if q.egress else 0
                for group in (subjects & ~self._over, subjects & self._over):
                    if group:
                        subject = (group & -group).bit_length() - 1
                        for r in q.egress:
                            for ips, p, action in ev.ip_rule_pieces(q, r, "egress", subject, node):
                                if action == "Allow":
                                    found[(ips, p)] = found.get((ips, p), 0) | group
            pieces = self._by_address[node] = [(ips, p, subjects) for (ips, p), subjects in found.items()]
        out = self.open
        for ips, p, subjects in pieces:
            if p & ports and ips & space:
                out |= subjects
        self._address_memo[key] = out
        return out


class _VipIndex:
    """Which cells have an egress NetworkPolicy rule that the agent gives a Service's ClusterIP and port
    (:func:`_vip_rule` and :func:`_port_ok`, one rule at a time), from the rules grouped by what they match on:
    rules to every destination by their ports, ipBlocks by address set, pod peers by namespace and pod
    selector, so that a Service meets only the groups of its namespace."""

    def __init__(self, g: NetworkGraph, ev):
        self.g = g
        self.np_subjects = 0  # cells some egress NetworkPolicy selects
        self.everywhere: list[tuple[PolicyRule, int]] = []  # rules without peers (every destination)
        self.by_ipset: dict[IPSet, list[tuple[PolicyRule, int]]] = defaultdict(list)
        # pod peers of the policy's own namespace: namespace -> repr(podSelector) -> (podSelector, rules)
        self.own_ns: dict[str | None, dict[str, tuple[dict, list[tuple[PolicyRule, int]]]]] = {}
        # pod peers with a namespaceSelector: repr(namespaceSelector) -> (namespaceSelector, the same)
        self.other_ns: dict[str, tuple[dict, dict[str, tuple[dict, list[tuple[PolicyRule, int]]]]]] = {}
        for q in ev.policies:
            if not q.is_np or not (q.isolates("egress") or q.rules("egress")):
                continue
            subjects = ev.subjects(q)
            if not subjects:
                continue
            self.np_subjects |= subjects
            for r in q.egress:
                ref = (r, subjects)
                if r.peers is None:
                    self.everywhere.append(ref)
                    continue
                for peer in r.peers:
                    if peer.shape == "ip" and peer.ipset is not None:
                        self.by_ipset[peer.ipset].append(ref)
                    elif peer.shape == "pods":
                        if peer.ns_selector is None:
                            group = self.own_ns.setdefault(q.namespace, {})
                        else:
                            group = self.other_ns.setdefault(repr(peer.ns_selector), (peer.ns_selector, {}))[1]
                        sel = peer.pod_selector or {}
                        group.setdefault(repr(sel), (sel, []))[1].append(ref)
        self._ns_groups: dict[str | None, list] = {}
        self._everywhere: dict[tuple, int] = {}

    def _groups(self, namespace: str | None) -> list:
        """The pod-peer groups whose namespace part selects ``namespace``."""
        hit = self._ns_groups.get(namespace)
        if hit is None:
            labels = self.g.namespaces.get(namespace or "", {})
            hit = [grp for ns_sel, grp in self.other_ns.values() if selector_matches(ns_sel, labels)]
            if namespace in self.own_ns:
                hit.append(self.own_ns[namespace])
            self._ns_groups[namespace] = hit
        return hit

    def rules_for(self, svc: K8sObject, cluster_ip: IPSet | None) -> list[tuple[PolicyRule, int]]:
        """(rule, its policy's cells) of the rules with peers that the agent gives the Service's ClusterIP."""
        out: dict[int, tuple[PolicyRule, int]] = {}
        selector = svc.spec.get("selector") or {}
        labels = {str(k): str(v) for k, v in selector.items()}
        for grp in self._groups(svc.namespace):
            for sel, refs in grp.values():
                if selector_matches(sel, labels):
                    for ref in refs:
                        out.setdefault(id(ref), ref)
        if cluster_ip is not None:
            for ipset, refs in self.by_ipset.items():
                if ipset.covers(cluster_ip):
                    for ref in refs:
                        out.setdefault(id(ref), ref)
        return list(out.values())

    def cells(self, rules: list[tuple[PolicyRule, int]], port: int, protocol: str, name: str | None) -> int:
        """Cells with a rule matching the ClusterIP (``rules``, or one to every destination) and the port."""
        key = (port, protocol, name)
        out = self._everywhere.get(key)
        if out is None:
            out = 0
            for r, subjects in self.everywhere:
                if _port_ok(r, port, protocol, name):
                    out |= subjects
            self._everywhere[key] = out
        for r, subjects in rules:
            if _port_ok(r, port, protocol, name):
                out |= subjects
        return out


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

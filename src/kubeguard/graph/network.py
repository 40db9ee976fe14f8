"""NetworkPolicy reachability: which pods can reach which, on which ports, and why.

Semantics are those of ``networking.k8s.io/v1`` (netpol-semantics.md part A)
layered with AdminNetworkPolicy and BaselineAdminNetworkPolicy (part B.1): per
direction, ANP rules by (priority, rule order) decide first (Allow / Deny /
Pass); traffic they pass or do not match goes to the NetworkPolicy layer (a pod
selected by any NetworkPolicy for that direction is isolated: allowed only what
some rule allows); pods no NetworkPolicy isolates fall to BANP rules, then to
allow.  A connection needs the source's egress and the destination's ingress.

Evaluation is done twice when the CNI is known: "spec" (the API) and
"practice" (what the plugin enforces, :mod:`.network_cni`).

Speed: pods are grouped into cells (namespace, labels, named ports, IP relevance,
hostNetwork, standalone); every selector and peer becomes a bitset over cells
(a Python int), built from an inverted label index.  A cell's verdict for one
direction is a partition of all peer cells into blocks with one allowed port
set each, computed by refining blocks rule by rule.  Cells selected by the same
policies share that partition, so the whole matrix is a list of rectangles
(source cells x destination cells x ports).  Plain integer bitsets beat a graph
library here: the questions are set algebra over selectors, not path search,
and big-int AND/OR over a few thousand bits costs well under a microsecond.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..model.inventory import ClusterInventory
from ..model.objects import K8sObject, Path
from ..model.podspec import PodSpecView, pod_specs
from ..model.selectors import map_selector_matches, selector_matches
from .network_cni import SPEC, CniProfile, profile_from_facts
from .network_policy import (ANP_KIND, BANP_KIND, NP_KIND, Peer, Policy, PolicyRule, PortEntry, is_policy,
                             parse_policy)
from .network_sets import ALL_IPS, ALL_PORTS, INTERNET, METADATA_IP, NO_IPS, NO_PORTS, IPSet, PortSet

NS_NAME_LABEL = "kubernetes.io/metadata.name"
PortSig = tuple[tuple[str, str, int], ...]


# --- endpoints ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True, eq=False)
class PodEndpoint:
    """A pod: a real one from a live cluster or snapshot, or one synthesised from a workload template."""

    namespace: str
    name: str
    labels: Mapping[str, str]
    ports: PortSig  # every declared container port as (name or "", protocol, number)
    obj: K8sObject
    workload_kind: str
    workload_name: str
    ip: str | None = None
    host_network: bool = False
    standalone: bool = False  # a bare Pod without ownerReferences
    synthesized: bool = False
    workload: K8sObject | None = None  # the top-level controller (or the pod itself)

    @property
    def id(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def workload_id(self) -> str:
        return f"{self.namespace}/{self.workload_name}"

    @property
    def named_ports(self) -> PortSig:
        return tuple(p for p in self.ports if p[0])

    def __str__(self) -> str:
        return f"pod {self.id}" + (f" ({self.workload_kind} template)" if self.synthesized else "")


@dataclass(frozen=True, slots=True)
class ExternalEndpoint:
    """Addresses outside the pod network: one IP, or ``internet`` (every public address)."""

    name: str
    ips: IPSet

    @property
    def id(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


Endpoint = PodEndpoint | ExternalEndpoint


def _pod_ports(view: PodSpecView) -> PortSig:
    """Declared container ports of the serving containers (sidecars with restartPolicy Always included)."""
    serving = [*view.containers(), *(c for c in view.init_containers() if c.raw.get("restartPolicy") == "Always")]
    out = set()
    for c in serving:
        for p in c.ports:
            num = p.get("containerPort")
            if isinstance(num, int) and not isinstance(num, bool):
                out.add((str(p.get("name") or ""), str(p.get("protocol") or "TCP").upper(), num))
    return tuple(sorted(out))


def _top_owner(cluster: ClusterInventory, obj: K8sObject) -> K8sObject:
    """The controller at the top of ``obj``'s owner chain (a malformed cycle stops the walk)."""
    top, seen = obj, {id(obj)}
    owner = cluster.owner_of(obj)
    while owner is not None and id(owner) not in seen:
        seen.add(id(owner))
        top, owner = owner, cluster.owner_of(owner)
    return top


def collect_pods(cluster: ClusterInventory) -> list[PodEndpoint]:
    """Real pods (skipping finished ones), plus one synthesised pod per workload template that has none.

    A synthesised pod is named after its workload; an object with several pod templates (a RayCluster's
    head and worker groups) gives ``NAME[0]``, ``NAME[1]``...
    """
    pods: list[PodEndpoint] = []
    covered: set[int] = set()  # id() of workload objects with real pods
    for obj in cluster.of_kind("Pod"):
        if obj.group != "" or obj.get("status", "phase") in ("Succeeded", "Failed"):
            continue
        views = pod_specs(obj)
        if not views:
            continue
        top = _top_owner(cluster, obj)
        if top is not obj:
            covered.add(id(top))
        pods.append(PodEndpoint(
            obj.namespace or "default", obj.name, dict(obj.labels), _pod_ports(views[0]), obj,
            top.kind, top.name, ip=obj.get("status", "podIP"), host_network=views[0].spec.get("hostNetwork") is True,
            standalone=not obj.owner_references, workload=top))
    templates: dict[int, list[PodSpecView]] = {}
    for view in cluster.workloads():
        if view.obj.kind != "Pod" and id(view.obj) not in covered:
            templates.setdefault(id(view.obj), []).append(view)
    for views in templates.values():
        obj = views[0].obj
        for i, view in enumerate(views):
            pods.append(PodEndpoint(
                obj.namespace or "default", obj.name if len(views) == 1 else f"{obj.name}[{i}]", dict(view.labels),
                _pod_ports(view), obj, obj.kind, obj.name, host_network=view.spec.get("hostNetwork") is True,
                synthesized=True, workload=obj))
    pods.sort(key=lambda p: (p.namespace, p.name, p.workload_kind))
    return pods


def namespace_labels(cluster: ClusterInventory, extra: Iterable[str] = ()) -> dict[str, dict[str, str]]:
    """Labels of every namespace; the control plane always sets kubernetes.io/metadata.name (NP-24)."""
    out: dict[str, dict[str, str]] = {}
    for o in cluster.of_kind("Namespace"):
        out[o.name] = {**{k: str(v) for k, v in o.labels.items()}, NS_NAME_LABEL: o.name}
    for ns in list(cluster.namespaces) + list(extra):
        out.setdefault(ns, {NS_NAME_LABEL: ns})
    return out


# --- explanations -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Reason:
    """One step of an explanation: which policy and which of its fields decided, in which direction."""

    direction: str  # egress | ingress | cni
    decision: str  # allow | deny | pass | not-isolated | no-match | caveat | info
    message: str
    policy: str | None = None
    field: str | None = None
    file: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in (("direction", self.direction), ("decision", self.decision),
                                  ("policy", self.policy), ("field", self.field), ("file", self.file),
                                  ("line", self.line), ("message", self.message)) if v is not None}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one connection: allowed in practice, allowed by the spec, and why."""

    allowed: bool
    spec_allowed: bool
    ports: PortSet  # ports allowed in practice (every protocol) between the two endpoints
    reasons: tuple[Reason, ...]

    @property
    def differs(self) -> bool:
        return self.allowed != self.spec_allowed

    def to_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "specAllowed": self.spec_allowed,
                "reasons": [r.to_dict() for r in self.reasons]}


# --- evaluation ---------------------------------------------------------------------------

class _Cells:
    """Pods grouped by everything that policies can tell apart, with an inverted label index."""

    def __init__(self, pods: list[PodEndpoint], ns_labels: dict[str, dict[str, str]], ip_relevant: list[IPSet]):
        index: dict[tuple, int] = {}
        self.pods: list[list[PodEndpoint]] = []
        self.keys: list[tuple] = []
        self.cell_of: dict[int, int] = {}
        for p in pods:
            ipsig: Any = None
            if p.ip:
                try:
                    ipsig = tuple(i for i, s in enumerate(ip_relevant) if s.contains(p.ip))
                except ValueError:
                    ipsig = None
            key = (p.namespace, tuple(sorted(p.labels.items())), p.named_ports, ipsig, p.host_network,
                   p.standalone, bool(p.ip))
            c = index.get(key)
            if c is None:
                c = index[key] = len(self.pods)
                self.pods.append([])
                self.keys.append(key)
            self.pods[c].append(p)
            self.cell_of[id(p)] = c
        n = len(self.pods)
        self.n = n
        self.all = (1 << n) - 1
        self.ns_bits: dict[str, int] = defaultdict(int)
        self.kv_bits: dict[tuple[str, str], int] = defaultdict(int)
        self.key_bits: dict[str, int] = defaultdict(int)
        self.host_bits = 0
        self.standalone_bits = 0
        self.no_ip_bits = 0
        self.ips: list[tuple[int, str]] = []  # (cell, a valid pod IP of it)
        self.sig_bits: dict[PortSig, int] = defaultdict(int)
        for c, (ns, labels, sig, _ip, host, standalone, _has_ip) in enumerate(self.keys):
            b = 1 << c
            self.ns_bits[ns] |= b
            for k, v in labels:
                self.kv_bits[(k, str(v))] |= b
                self.key_bits[k] |= b
            if host:
                self.host_bits |= b
            if standalone:
                self.standalone_bits |= b
            ip = self.pods[c][0].ip
            if ip and _valid_ip(ip):
                self.ips.append((c, ip))
            else:
                self.no_ip_bits |= b
            self.sig_bits[sig] |= b
        self.ns_labels = ns_labels
        self._sel_cache: dict[str, int] = {}
        self._ns_cache: dict[str, int] = {}

    def first(self, c: int) -> PodEndpoint:
        return self.pods[c][0]

    def pod_bits(self, sel: Mapping[str, Any] | None) -> int:
        """Cells whose pod labels match a LabelSelector (``{}``: all; None: none)."""
        if sel is None:
            return 0
        key = repr(sel)
        hit = self._sel_cache.get(key)
        if hit is not None:
            return hit
        bits = self.all
        for k, v in (sel.get("matchLabels") or {}).items():
            bits &= self.kv_bits.get((k, v if isinstance(v, str) else str(v)), 0)
        for e in sel.get("matchExpressions") or []:
            k, op = e.get("key"), e.get("operator")
            vals = [str(x) for x in e.get("values") or []]
            if op == "In":
                m = 0
                for v in vals:
                    m |= self.kv_bits.get((k, v), 0)
                bits &= m
            elif op == "NotIn":
                m = 0
                for v in vals:
                    m |= self.kv_bits.get((k, v), 0)
                bits &= ~m
            elif op == "Exists":
                bits &= self.key_bits.get(k, 0)
            elif op == "DoesNotExist":
                bits &= ~self.key_bits.get(k, 0)
            else:
                bits = 0
        bits &= self.all
        self._sel_cache[key] = bits
        return bits

    def namespace_bits(self, sel: Mapping[str, Any] | None) -> int:
        key = repr(sel)
        hit = self._ns_cache.get(key)
        if hit is None:
            hit = 0
            for ns, labels in self.ns_labels.items():
                if selector_matches(sel, labels):
                    hit |= self.ns_bits.get(ns, 0)
            self._ns_cache[key] = hit
        return hit


_ALL_V4 = IPSet.parse("0.0.0.0/0")


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _bits(x: int) -> Iterator[int]:
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


def _int_diff(a: int, b: int) -> int:
    return a & ~b


def _ip_diff(a: IPSet, b: IPSet) -> IPSet:
    return a - b


class _Evaluator:
    """One semantics (spec or a CNI's practice) over one set of cells and policies."""

    def __init__(self, cells: _Cells, policies: list[Policy], profile: CniProfile, spec: bool):
        self.cells = cells
        self.profile = profile
        self.spec = spec
        p = SPEC if spec else profile
        self.enforces = p.enforces
        self.ip_pods = p.ipblock_matches_pod_ips
        self.endport = p.endport
        self.named_ports = p.named_ports
        self.sctp = p.sctp
        self.metadata_except = p.metadata_except_enforced
        admin = p.admin_policies
        self.nps = [q for q in policies if q.kind == NP_KIND] if self.enforces else []
        self.anps = sorted((q for q in policies if q.kind == ANP_KIND), key=lambda q: (q.priority, q.name)) \
            if self.enforces and admin else []
        self.banps = [q for q in policies if q.kind == BANP_KIND] if self.enforces and admin else []
        subject_mask = cells.all & ~cells.host_bits  # hostNetwork pods are node traffic (NP-48)
        if not p.standalone_pods_protected:
            subject_mask &= ~cells.standalone_bits
        self.subject_mask = subject_mask
        self._subjects: dict[int, int] = {}
        self._selection: dict[str, list[tuple[list[Policy], list[Policy], list[Policy]]]] = {}
        self._peer_cache: dict[tuple[int, int], int] = {}
        self._partition_cache: dict[tuple, list[tuple[int, PortSet]]] = {}

    # --- selection ------------------------------------------------------------------------
    def subjects(self, q: Policy) -> int:
        hit = self._subjects.get(id(q))
        if hit is None:
            c = self.cells
            if q.kind == NP_KIND:
                hit = c.ns_bits.get(q.namespace or "", 0) & c.pod_bits(q.pod_selector)
            else:
                hit = c.namespace_bits(q.ns_selector)
                if q.pod_selector is not None:
                    hit &= c.pod_bits(q.pod_selector)
            hit &= self.subject_mask
            self._subjects[id(q)] = hit
        return hit

    def policies_for(self, cell: int, direction: str) -> tuple[list[Policy], list[Policy], list[Policy]]:
        """(ANPs in order, isolating NetworkPolicies, BANPs) that select ``cell`` for ``direction``."""
        index = self._selection.get(direction)
        if index is None:  # invert once: policy -> selected cells becomes cell -> policies, in policy order
            index = [([], [], []) for _ in range(self.cells.n)]
            for slot, policies, selects in ((0, self.anps, lambda q: bool(q.rules(direction))),
                                            (1, self.nps, lambda q: q.isolates(direction)),
                                            (2, self.banps, lambda q: bool(q.rules(direction)))):
                for q in policies:
                    if selects(q):
                        for c in _bits(self.subjects(q)):
                            index[c][slot].append(q)
            self._selection[direction] = index
        return index[cell]

    # --- peers ------------------------------------------------------------------------------
    def peer_ipset(self, peer: Peer) -> IPSet:
        if peer.shape == "all":
            return ALL_IPS
        if peer.shape != "ip" or peer.ipset is None:
            return NO_IPS
        ips = peer.ipset
        if not self.metadata_except and not ips.contains(METADATA_IP) and _except_covers_metadata(peer):
            ips = ips | IPSet.parse(METADATA_IP + "/32")
        return ips

    def peer_cells(self, q: Policy, peer: Peer) -> int:
        key = (id(q), id(peer))
        hit = self._peer_cache.get(key)
        if hit is not None:
            return hit
        c = self.cells
        if peer.shape == "all":
            hit = c.all
        elif peer.shape == "pods":
            ns = c.ns_bits.get(q.namespace or "", 0) if peer.ns_selector is None else c.namespace_bits(peer.ns_selector)
            hit = ns & c.pod_bits(peer.pod_selector) & ~c.host_bits
        elif peer.shape == "ip" and (self.ip_pods or peer.matches_pod_ips):
            ips = self.peer_ipset(peer)
            hit = c.no_ip_bits if ips.covers(_ALL_V4) else 0  # whatever IPv4 address they get, it is inside
            for cell, ip in c.ips:
                if ips.contains(ip):
                    hit |= 1 << cell
        else:
            hit = 0
        self._peer_cache[key] = hit
        return hit

    def rule_cells(self, q: Policy, rule: PolicyRule) -> int:
        if rule.peers is None:
            return self.cells.all
        b = 0
        for peer in rule.peers:
            b |= self.peer_cells(q, peer)
        return b

    def rule_ips(self, rule: PolicyRule) -> IPSet:
        if rule.peers is None:
            return ALL_IPS
        out = NO_IPS
        for peer in rule.peers:
            out = out | self.peer_ipset(peer)
        return out

    # --- ports ------------------------------------------------------------------------------
    def entry_ports(self, e: PortEntry, dst_ports: PortSig | None) -> PortSet:
        if e.name is not None and not self.named_ports:
            return NO_PORTS
        if e.protocol == "SCTP" and not self.sctp:
            return NO_PORTS
        if e.end_port is not None and not self.endport:
            return PortEntry(e.path, e.protocol, e.port).resolve(dst_ports)
        return e.resolve(dst_ports)

    def rule_ports(self, rule: PolicyRule, dst_ports: PortSig | None) -> PortSet:
        if rule.ports is None:
            return ALL_PORTS
        out = NO_PORTS
        for e in rule.ports:
            out = out | self.entry_ports(e, dst_ports)
        return out

    # --- partitions ---------------------------------------------------------------------------
    def _rule_pieces(self, q: Policy, rule: PolicyRule, direction: str, subject: int) -> list[tuple[int, PortSet]]:
        """(peer cells, ports) for one rule; egress named ports resolve on each destination cell."""
        peers = self.rule_cells(q, rule)
        if not peers:
            return []
        if direction == "ingress" or not rule.has_named_ports:
            sig = self.cells.keys[subject][2] if direction == "ingress" else None
            return [(peers, self.rule_ports(rule, sig))]
        out = []
        for sig, sb in self.cells.sig_bits.items():
            part = peers & sb
            if part:
                out.append((part, self.rule_ports(rule, sig)))
        return out

    def partition(self, cell: int, direction: str) -> list[tuple[int, PortSet]]:
        """Every peer cell with the ports ``cell`` allows it in ``direction`` (disjoint blocks, non-empty ports)."""
        anps, nps, banps = self.policies_for(cell, direction)
        sig = self.cells.keys[cell][2] if direction == "ingress" else None
        key = (direction, tuple(map(id, anps)), tuple(map(id, nps)), tuple(map(id, banps)), sig)
        hit = self._partition_cache.get(key)
        if hit is None:
            hit = self._partition(cell, direction, anps, nps, banps, self.cells.all, _int_diff,
                                  lambda q, r: self._rule_pieces(q, r, direction, cell))
            hit = [(b, p) for b, p in hit if p]
            self._partition_cache[key] = hit
        return hit

    def ip_partition(self, cell: int, direction: str, space: IPSet) -> list[tuple[IPSet, PortSet]]:
        """Like :meth:`partition` over external addresses in ``space``."""
        anps, nps, banps = self.policies_for(cell, direction)
        sig = self.cells.keys[cell][2] if direction == "ingress" else None

        def pieces(q: Policy, r: PolicyRule) -> list[tuple[IPSet, PortSet]]:
            ips = self.rule_ips(r) & space
            return [(ips, self.rule_ports(r, sig))] if ips else []

        return [(b, p) for b, p in self._partition(cell, direction, anps, nps, banps, space, _ip_diff, pieces) if p]

    @staticmethod
    def _partition(cell: int, direction: str, anps: list[Policy], nps: list[Policy], banps: list[Policy],
                   universe: Any, diff: Callable[[Any, Any], Any],
                   pieces: Callable[[Policy, PolicyRule], list[tuple[Any, PortSet]]]) -> list[tuple[Any, PortSet]]:
        if not (anps or nps or banps):
            return [(universe, ALL_PORTS)]
        # block: [members, undecided, allowed, passed]
        blocks: list[list[Any]] = [[universe, ALL_PORTS, NO_PORTS, NO_PORTS]]

        def refine(members: Any, fn: Callable[[list[Any]], None]) -> None:
            nonlocal blocks
            out: list[list[Any]] = []
            for blk in blocks:
                inter = blk[0] & members
                if not inter:
                    out.append(blk)
                    continue
                rest = diff(blk[0], inter)
                if rest:
                    out.append([rest, *blk[1:]])
                new = [inter, *blk[1:]]
                fn(new)
                out.append(new)
            blocks = out

        for q in anps:
            for rule in q.rules(direction):
                for members, ports in pieces(q, rule):
                    def apply(b: list[Any], ports: PortSet = ports, action: str = rule.action) -> None:
                        hit = ports & b[1]
                        if action == "Allow":
                            b[2] = b[2] | hit
                        elif action == "Pass":
                            b[3] = b[3] | hit
                        b[1] = b[1] - hit
                    refine(members, apply)
        for b in blocks:  # what ANPs passed or did not decide goes on
            b[1] = b[1] | b[3]
        if nps:
            np_allowed: list[tuple[Any, PortSet]] = []
            for q in nps:
                for rule in q.rules(direction):
                    np_allowed.extend(pieces(q, rule))
            for b in blocks:
                b.append(NO_PORTS)  # b[4]: what NetworkPolicies allow this block
            for members, ports in np_allowed:
                def add(b: list[Any], ports: PortSet = ports) -> None:
                    b[4] = b[4] | ports
                refine(members, add)
            return [(b[0], b[2] | (b[1] & b[4])) for b in blocks]
        for q in banps:
            for rule in q.rules(direction):
                for members, ports in pieces(q, rule):
                    def apply_b(b: list[Any], ports: PortSet = ports, action: str = rule.action) -> None:
                        hit = ports & b[1]
                        if action == "Allow":
                            b[2] = b[2] | hit
                        b[1] = b[1] - hit
                    refine(members, apply_b)
        return [(b[0], b[2] | b[1]) for b in blocks]

    # --- pairs --------------------------------------------------------------------------------
    def ports_between(self, src: int, dst: int) -> PortSet:
        """Ports allowed from a pod of cell ``src`` to a pod of cell ``dst``."""
        out_ports = next((p for b, p in self.partition(src, "egress") if b >> dst & 1), NO_PORTS)
        if not out_ports:
            return NO_PORTS
        in_ports = next((p for b, p in self.partition(dst, "ingress") if b >> src & 1), NO_PORTS)
        return out_ports & in_ports

    def blocks(self) -> list[tuple[int, int, PortSet]]:
        """The whole matrix as disjoint rectangles (source cells, destination cells, ports).

        Destination cells with the same ingress partition form one group, source cells with the same egress
        partition another; a pair of groups meets only where the ingress side admits some of the sources and
        the egress side reaches some of the destinations.
        """
        c = self.cells
        in_groups: dict[int, list[Any]] = {}
        out_groups: dict[int, list[Any]] = {}
        for cell in range(c.n):
            for direction, groups in (("ingress", in_groups), ("egress", out_groups)):
                part = self.partition(cell, direction)
                g = groups.get(id(part))
                if g is None:
                    reach = 0
                    for bits, _ in part:
                        reach |= bits
                    groups[id(part)] = [part, 1 << cell, reach]
                else:
                    g[1] |= 1 << cell
        ins = list(in_groups.values())
        out: list[tuple[int, int, PortSet]] = []
        for e_part, s_bits, e_reach in out_groups.values():
            for i_part, d_bits, i_reach in ins:
                if not (i_reach & s_bits and e_reach & d_bits):
                    continue
                for sb, p in i_part:
                    s = sb & s_bits
                    if not s:
                        continue
                    for db, q in e_part:
                        d = db & d_bits
                        if d:
                            r = p & q
                            if r:
                                out.append((s, d, r))
        return out


def _except_covers_metadata(peer: Peer) -> bool:
    return any(IPSet.parse(c).contains(METADATA_IP) for c in peer.excepts)


# --- the graph ----------------------------------------------------------------------------

@dataclass
class PolicyProblem:
    policy: Policy
    path: Path
    message: str
    severity: str = "error"  # error: rejected by the API; note: accepted but suspicious


class NetworkGraph:
    """Reachability over one cluster's pods and policies; immutable once built."""

    def __init__(self, cluster_name: str, pods: list[PodEndpoint], namespaces: dict[str, dict[str, str]],
                 policies: list[Policy], profile: CniProfile = SPEC):
        self.cluster = cluster_name
        self.pods = pods
        self.namespaces = namespaces
        self.all_policies = policies
        self.policies = [q for q in policies if q.valid]
        self.profile = profile
        ip_relevant = [pe.ipset for q in self.policies for r in q.ingress + q.egress for pe in r.peers or ()
                       if pe.shape == "ip" and pe.ipset is not None]
        self.cells = _Cells(pods, namespaces, ip_relevant)
        self.spec = _Evaluator(self.cells, self.policies, profile, spec=True)
        self.practice = self.spec if profile.is_spec else _Evaluator(self.cells, self.policies, profile, spec=False)
        self._by_id = {p.id: p for p in pods}
        self._by_ip = {p.ip: p for p in pods if p.ip and not p.host_network}
        self._by_ns: dict[str, list[PodEndpoint]] = {}
        for p in pods:
            self._by_ns.setdefault(p.namespace, []).append(p)
        self._label_index: dict[str | None, dict[tuple[str, str], list[PodEndpoint]]] = {}  # built per namespace

    # --- lookups --------------------------------------------------------------------------
    def problems(self) -> list[PolicyProblem]:
        out = []
        for q in self.all_policies:
            out.extend(PolicyProblem(q, path, msg) for path, msg in q.problems)
            out.extend(PolicyProblem(q, path, msg, "note") for path, msg in q.notes)
        return out

    def pod(self, pod_id: str) -> PodEndpoint | None:
        return self._by_id.get(pod_id)

    def pods_in(self, namespace: str | None) -> list[PodEndpoint]:
        """The pods of one namespace, in graph order (an index: per-Service scans stay linear)."""
        return self._by_ns.get(namespace, [])

    def pods_selected(self, namespace: str | None, selector: Mapping[str, Any]) -> list[PodEndpoint]:
        """Pods of ``namespace`` an equality selector (a Service's) selects, in graph order.

        Candidates come from a per-namespace label index (the shortest posting list of
        the selector's pairs); each is then checked with :func:`map_selector_matches`.
        """
        if not selector or not isinstance(selector, Mapping):
            return []
        index = self._label_index.get(namespace)
        if index is None:
            index = self._label_index[namespace] = {}
            for pod in self.pods_in(namespace):
                for k, v in pod.labels.items():
                    if isinstance(v, str):
                        index.setdefault((k, v), []).append(pod)
        candidates = min((index.get((k, str(v)), []) for k, v in selector.items()), key=len)
        return [pod for pod in candidates if map_selector_matches(selector, pod.labels)]

    def workload_pods(self, namespace: str, kind: str, name: str) -> list[PodEndpoint]:
        k = kind.lower()
        return [p for p in self.pods_in(namespace) if p.workload_name == name
                and (p.workload_kind.lower() == k or _KIND_ALIASES.get(k) == p.workload_kind)]

    def endpoint(self, text: str) -> Endpoint:
        """``NS/POD``, ``NS/KIND/NAME``, an IP address or ``internet``; ValueError with a readable message."""
        t = text.strip()
        if t.lower() == "internet":
            return ExternalEndpoint("internet", INTERNET)
        try:
            ip = ipaddress.ip_address(t)
        except ValueError:
            ip = None
        if ip is not None:
            pod = self._by_ip.get(str(ip))
            return pod if pod is not None else ExternalEndpoint(str(ip), IPSet.parse(f"{ip}/{ip.max_prefixlen}"))
        parts = t.split("/")
        if len(parts) == 2 and all(parts):
            pod = self._by_id.get(t)
            if pod is None:
                cands = [p for p in self.pods if p.namespace == parts[0] and p.workload_name == parts[1]]
                if len(cands) >= 1 and len({(p.workload_kind) for p in cands}) == 1:
                    return cands[0]
                raise ValueError(f"no pod {t!r} in cluster {self.cluster}" + _did_you_mean(t, self._by_id))
            return pod
        if len(parts) == 3 and all(parts):
            pods = self.workload_pods(*parts)
            if not pods:
                raise ValueError(f"no workload {t!r} in cluster {self.cluster}")
            return pods[0]
        raise ValueError(f"{text!r} is not NS/POD, NS/KIND/NAME, an IP address or 'internet'")

    def isolation(self, pod: PodEndpoint, direction: str, practice: bool = False) -> list[Policy]:
        """Policies isolating ``pod`` for ``direction`` (ANPs and BANP included); empty: not isolated."""
        ev = self.practice if practice else self.spec
        cell = self.cells.cell_of[id(pod)]
        anps, nps, banps = ev.policies_for(cell, direction)
        return anps + nps + banps

    def selected_pods(self, q: Policy) -> list[PodEndpoint]:
        bits = self.spec.subjects(q)
        return [p for c in _bits(bits) for p in self.cells.pods[c]]

    def peer_pods(self, q: Policy, peer: Peer) -> list[PodEndpoint]:
        bits = self.spec.peer_cells(q, peer)
        return [p for c in _bits(bits) for p in self.cells.pods[c]]

    # --- questions ------------------------------------------------------------------------
    def allowed_ports(self, src: Endpoint, dst: Endpoint, practice: bool = True) -> PortSet:
        ev = self.practice if practice else self.spec
        if isinstance(src, PodEndpoint) and src is dst:
            return ALL_PORTS  # NP-46: a pod can always reach itself
        if isinstance(src, PodEndpoint) and isinstance(dst, PodEndpoint):
            return ev.ports_between(self.cells.cell_of[id(src)], self.cells.cell_of[id(dst)])
        if isinstance(src, PodEndpoint) and isinstance(dst, ExternalEndpoint):
            return _union_any(ev.ip_partition(self.cells.cell_of[id(src)], "egress", dst.ips))
        if isinstance(src, ExternalEndpoint) and isinstance(dst, PodEndpoint):
            return _union_any(ev.ip_partition(self.cells.cell_of[id(dst)], "ingress", src.ips))
        return ALL_PORTS  # two external endpoints: outside NetworkPolicy's reach

    def egress_ip_partition(self, pod: PodEndpoint, space: IPSet, practice: bool = False) -> list[tuple[IPSet, PortSet]]:
        ev = self.practice if practice else self.spec
        return ev.ip_partition(self.cells.cell_of[id(pod)], "egress", space)

    def can_reach(self, src: Endpoint, dst: Endpoint, protocol: str = "TCP", port: int | str | None = None) -> Verdict:
        from .network_explain import explain

        return explain(self, src, dst, protocol, port)

    def matrix_blocks(self, practice: bool = True) -> list[tuple[int, int, PortSet]]:
        return (self.practice if practice else self.spec).blocks()

    def connections(self, practice: bool = True) -> dict[tuple[str, str], PortSet]:
        """Every allowed pod pair (``NS/NAME`` ids) with its ports; self-pairs left out."""
        out: dict[tuple[str, str], PortSet] = {}
        cells = self.cells
        for s, d, ports in self.matrix_blocks(practice):
            srcs = [p for c in _bits(s) for p in cells.pods[c]]
            dsts = [p for c in _bits(d) for p in cells.pods[c]]
            for a in srcs:
                for b in dsts:
                    if a is b:
                        continue
                    k = (a.id, b.id)
                    prev = out.get(k)
                    out[k] = ports if prev is None else prev | ports
        return out


_KIND_ALIASES = {"deploy": "Deployment", "deployment": "Deployment", "sts": "StatefulSet", "ds": "DaemonSet",
                 "rs": "ReplicaSet", "cj": "CronJob", "po": "Pod"}


def _did_you_mean(t: str, known: Mapping[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(t, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _union_any(part: list[tuple[Any, PortSet]]) -> PortSet:
    out = NO_PORTS
    for _, p in part:
        out = out | p
    return out


def build(cluster: ClusterInventory, profile: CniProfile | None = None) -> NetworkGraph:
    """The network graph of one cluster (graph builder ``"network"``)."""
    pods = collect_pods(cluster)
    policies = [parse_policy(o) for o in cluster.objects if is_policy(o)]
    policies.sort(key=lambda q: (q.kind, q.namespace or "", q.name))
    namespaces = namespace_labels(cluster, [p.namespace for p in pods])
    if profile is None:
        profile = profile_from_facts(cluster.facts.facts, cluster.facts.kubernetes_version)
    return NetworkGraph(cluster.name, pods, namespaces, policies, profile)


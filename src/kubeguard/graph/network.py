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

A pod whose IP the input does not give (one synthesised from a workload template, one not started
yet) is matched by an address peer (ipBlock, ANP ``networks``, Calico ``nets``) only when the peer
holds every address the pod can get, and not when it holds none of them (:class:`PodAddresses`:
the cluster's pod ranges when named, the pods' IP family, never a loopback or link-local address);
in between the match is undecided, as is every construct the input cannot settle.
"""

from __future__ import annotations

import bisect
import ipaddress
import socket
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable, Iterator, Mapping

from ..model.inventory import ClusterInventory
from ..model.objects import K8sObject, Path
from ..model.podspec import PodSpecView, pod_specs
from ..model.selectors import map_selector_matches, selector_matches
from .network_cni import SPEC, CniProfile, get_profile, profile_from_facts
from .network_policy import (BUILTIN_TIERS, Peer, Policy, PolicyRule, PortEntry, is_policy,
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
    node: str | None = None  # spec.nodeName: known for scheduled pods, never for templates
    unprotected: str = ""  # why the CNI applies no policy to this pod (practice), e.g. a Fargate pod on EKS

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


@dataclass(frozen=True, slots=True)
class NodeEndpoint:
    """A node as a peer: its addresses, which hostNetwork pods and node agents (kubelet probes) use."""

    name: str
    ips: IPSet

    @property
    def id(self) -> str:
        return f"node:{self.name}"

    def __str__(self) -> str:
        return f"node {self.name}"


Endpoint = PodEndpoint | ExternalEndpoint | NodeEndpoint


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
        node = views[0].spec.get("nodeName")
        pods.append(PodEndpoint(
            obj.namespace or "default", obj.name, dict(obj.labels), _pod_ports(views[0]), obj,
            top.kind, top.name, ip=obj.get("status", "podIP"), host_network=views[0].spec.get("hostNetwork") is True,
            standalone=not obj.owner_references, workload=top, node=node if isinstance(node, str) and node else None,
            unprotected=_unprotected(views[0], cluster)))
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
                synthesized=True, workload=obj, unprotected=_unprotected(view, cluster)))
    pods.sort(key=lambda p: (p.namespace, p.name, p.workload_kind))
    return pods


_OS_KEYS = ("kubernetes.io/os", "beta.kubernetes.io/os")


def _unprotected(view: PodSpecView, cluster: ClusterInventory) -> str:
    """``fargate`` or ``windows`` when the pod runs (or must run) where the Amazon VPC CNI enforces no policy."""
    spec = view.spec
    node_name = spec.get("nodeName")
    node = cluster.get("Node", None, node_name) if isinstance(node_name, str) and node_name else None
    labels = dict(node.labels) if node is not None else {}
    selector = spec.get("nodeSelector") if isinstance(spec.get("nodeSelector"), dict) else {}
    if spec.get("schedulerName") == "fargate-scheduler" or labels.get("eks.amazonaws.com/compute-type") == "fargate" \
            or selector.get("eks.amazonaws.com/compute-type") == "fargate" \
            or (isinstance(node_name, str) and node_name.startswith("fargate-")):
        return "fargate"
    if any(labels.get(k) == "windows" or selector.get(k) == "windows" for k in _OS_KEYS):
        return "windows"
    return ""


def node_addresses(cluster: ClusterInventory, pods: Iterable[PodEndpoint]) -> dict[str, set[str]]:
    """Node name -> its addresses: Node status.addresses, pods' status.hostIP, hostNetwork pods' IPs."""
    out: dict[str, set[str]] = defaultdict(set)
    for n in cluster.of_kind("Node"):
        for a in n.get("status", "addresses") or []:
            if isinstance(a, dict) and a.get("type") in ("InternalIP", "ExternalIP") and _valid_ip(str(a.get("address"))):
                out[n.name].add(str(a["address"]))
    for p in pods:
        if p.node:
            host_ip = p.obj.get("status", "hostIP") if not p.synthesized else None
            for ip in (host_ip, p.ip if p.host_network else None):
                if isinstance(ip, str) and _valid_ip(ip):
                    out[p.node].add(ip)
    return dict(out)


def namespace_labels(cluster: ClusterInventory, extra: Iterable[str] = ()) -> dict[str, dict[str, str]]:
    """Labels of every namespace; the control plane always sets kubernetes.io/metadata.name (NP-24)."""
    out: dict[str, dict[str, str]] = {}
    for o in cluster.of_kind("Namespace"):
        out[o.name] = {**{k: str(v) for k, v in o.labels.items()}, NS_NAME_LABEL: o.name}
    for ns in list(cluster.namespaces) + list(extra):
        out.setdefault(ns, {NS_NAME_LABEL: ns})
    return out


# --- where a pod without a known IP can be ----------------------------------------------

# Addresses no pod has: the API refuses them as Endpoints and EndpointSlice addresses (ValidateNonSpecialIP:
# unspecified, loopback, link-local, link-local multicast), and the network model has every pod reach every
# other pod's IP across nodes without NAT, which loopback and link-local addresses cannot be.
NOT_POD_IPS = IPSet.parse_many(("0.0.0.0/32", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/24",
                                "::/128", "::1/128", "fe80::/10", "ff02::/10"))
_FAMILY = {4: IPSet(v4=ALL_IPS.v4), 6: IPSet(v6=ALL_IPS.v6)}
# cloud descriptions (facts["cloud"]["cluster"]): the pod ranges (GKE, AKS overlay/kubenet) and IP family
_NO_RANGE = "the input names no pod range (no Node spec.podCIDRs, Calico IPPool or cloud description)"
_ANY_FAMILY = "address (IPv4 or IPv6: nothing in the input tells the pods' IP family)"
_CLOUD_POD_RANGES = (("clusterIpv4Cidr",), ("ipAllocationPolicy", "clusterIpv4CidrBlock"),
                     ("networkProfile", "podCidrs"), ("networkProfile", "podCidr"))


@dataclass(frozen=True, slots=True)
class PodAddresses:
    """Where the IP of a pod the input gives none for (a template pod, a pod not started yet) can lie.

    ``space``: every address it can have: the cluster's pod ranges when the input names them (Node
    ``spec.podCIDRs``, Calico IPPools, the cloud description's pod ranges, and no known pod IP outside them),
    else any address of the pods' primary IP family when something tells it (pod IPs, Node podCIDRs, the
    cloud description), else any address; never an address in :data:`NOT_POD_IPS`.  ``why`` says which,
    for explanations."""

    space: IPSet
    ranges: IPSet | None = None
    why: str = ""

    def __post_init__(self) -> None:
        if not self.why:
            object.__setattr__(self, "why", f"{_NO_RANGE}, so it may be any {_ANY_FAMILY}")

    @property
    def known(self) -> bool:
        return self.ranges is not None


UNKNOWN_POD_ADDRESSES = PodAddresses(ALL_IPS - NOT_POD_IPS)


def address_match(ips: IPSet, addresses: PodAddresses) -> tuple[bool, bool]:
    """(surely, maybe) ``ips`` contains the IP of a pod whose IP is not known, which lies in ``addresses``."""
    space = addresses.space
    if not space or ips.covers(space):
        return bool(space), False
    return False, bool(ips & space)


def _family(text: Any) -> int | None:
    try:
        return ipaddress.ip_network(str(text).strip(), strict=False).version
    except ValueError:
        return None


def _address(text: str) -> tuple[int, int] | None:
    """(IP version, integer) of an address, None when it is not one (socket is several times faster than
    ipaddress, which counts for every pod of a large cluster)."""
    for fam, version in ((socket.AF_INET, 4), (socket.AF_INET6, 6)):
        try:
            return version, int.from_bytes(socket.inet_pton(fam, text), "big")
        except (OSError, ValueError, TypeError):
            continue
    return None


def _inside(ips: IPSet, address: tuple[int, int]) -> bool:
    version, n = address
    ivs = ips.v4 if version == 4 else ips.v6
    i = bisect.bisect_right(ivs, (n, float("inf"))) - 1
    return i >= 0 and ivs[i][0] <= n <= ivs[i][1]


def pod_addresses(cluster: ClusterInventory, pods: Iterable[PodEndpoint]) -> PodAddresses:
    """Where a pod without a known IP can be (:class:`PodAddresses`), from the cluster's objects and facts."""
    ranges, sources = IPSet(), []
    families: set[int] = set()  # the pods' primary IP family, by every witness

    def add(value: Any, source: str) -> None:
        nonlocal ranges
        for v in value if isinstance(value, list) else [value]:
            if not isinstance(v, str) or "/" not in v:
                continue
            try:
                ranges = ranges | IPSet.parse(v)
            except ValueError:
                continue
            if source not in sources:
                sources.append(source)

    for node in cluster.of_kind("Node"):
        cidrs = node.spec.get("podCIDRs") or node.spec.get("podCIDR")
        add(cidrs, f"Node {node.name} spec.podCIDRs")
        first = cidrs[0] if isinstance(cidrs, list) and cidrs else cidrs
        if (fam := _family(first)) is not None and first:
            families.add(fam)  # podCIDRs[0] is the primary family
    for pool in cluster.of_kind("IPPool"):
        if pool.group.endswith("projectcalico.org"):
            add(pool.spec.get("cidr"), f"Calico IPPool {pool.name} spec.cidr")
    cloud = cluster.facts.facts.get("cloud") if isinstance(cluster.facts.facts, dict) else None
    desc = cloud.get("cluster") if isinstance(cloud, dict) else None
    if isinstance(desc, dict):
        provider = str(cloud.get("provider") or "cloud")

        def at(*path: str) -> Any:
            cur: Any = desc
            for k in path:
                cur = cur.get(k) if isinstance(cur, dict) else None
            return cur

        for path in _CLOUD_POD_RANGES:
            add(at(*path), f"{provider} {'.'.join(path)}")
        for pool in at("nodePools") or []:
            if isinstance(pool, dict):
                add((pool.get("networkConfig") or {}).get("podIpv4CidrBlock"),
                    f"{provider} nodePools {pool.get('name')} networkConfig.podIpv4CidrBlock")
        fam_hint = {"ipv4": 4, "ipv6": 6}.get(str(at("kubernetesNetworkConfig", "ipFamily") or "").lower())
        ip_families = at("networkProfile", "ipFamilies")
        if isinstance(ip_families, list) and ip_families:
            fam_hint = {"ipv4": 4, "ipv6": 6}.get(str(ip_families[0]).lower(), fam_hint)
        stack = str(at("ipAllocationPolicy", "stackType") or "").upper()
        if stack.startswith("IPV4"):
            fam_hint = 4
        if fam_hint:
            families.add(fam_hint)
    live = [(p, a) for p in pods if p.ip and not p.host_network and not p.synthesized
            and (a := _address(p.ip)) is not None]
    families.update(a[0] for _, a in live)  # status.podIP is of the primary family
    family = _FAMILY[next(iter(families))] if len(families) == 1 else ALL_IPS
    fam_text = {4: "IPv4 ", 6: "IPv6 "}.get(next(iter(families)) if len(families) == 1 else 0, "")
    known: IPSet | None = ranges if sources else None
    named = ", ".join(sources[:3]) + (f" and {len(sources) - 3} more" if len(sources) > 3 else "")
    why = ""
    if known is not None:
        outside = next((p for p, a in live if not _inside(known, a)), None)
        if outside is not None:
            known, why = None, (f"pod {outside.id} has IP {outside.ip}, outside the pod ranges the input names "
                                f"({named}), so they are not all of them")
        elif not known & family:
            known, why = None, f"the pod ranges the input names ({named}) are not of the pods' IP family"
    if known is not None:
        space = known & family - NOT_POD_IPS
        return PodAddresses(space, known, f"it lies in the cluster's pod ranges {known & family} ({named})")
    if not why:
        why = _NO_RANGE
    kind = f"{fam_text}address" if fam_text else _ANY_FAMILY
    return PodAddresses(family - NOT_POD_IPS, None, f"{why}, so it may be any {kind}")


# --- explanations -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Reason:
    """One step of an explanation: which policy and which of its fields decided, in which direction."""

    direction: str  # egress | ingress | cni
    decision: str  # allow | deny | pass | not-isolated | no-match | caveat | undecided | info
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
    """The answer for one connection: allowed in practice, allowed by the spec, and why.

    ``undecided``: whether the connection is allowed in practice cannot be told (an undecided reason says
    why); ``allowed`` is then False, meaning "not shown to be allowed", and JSON writes null."""

    allowed: bool
    spec_allowed: bool
    ports: PortSet  # ports surely allowed in practice (every protocol) between the two endpoints
    reasons: tuple[Reason, ...]
    undecided: bool = False
    spec_undecided: bool = False

    @property
    def differs(self) -> bool:
        return (self.allowed, self.undecided) != (self.spec_allowed, self.spec_undecided)

    def to_dict(self) -> dict[str, Any]:
        return {"allowed": None if self.undecided else self.allowed,
                "specAllowed": None if self.spec_undecided else self.spec_allowed, "undecided": self.undecided,
                "reasons": [r.to_dict() for r in self.reasons]}


# --- evaluation ---------------------------------------------------------------------------

class _Cells:
    """Pods grouped by everything that policies can tell apart, with an inverted label index."""

    def __init__(self, pods: list[PodEndpoint], ns_labels: dict[str, dict[str, str]], ip_relevant: list[IPSet],
                 addresses: PodAddresses = UNKNOWN_POD_ADDRESSES):
        self.addresses = addresses  # where the IP of a pod without one (no_ip_bits) can be
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
                   p.standalone, bool(p.ip), p.unprotected)
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
        self.unprotected_bits = 0
        self.no_ip_bits = 0
        self.ips: list[tuple[int, str]] = []  # (cell, a valid pod IP of it)
        self.sig_bits: dict[PortSig, int] = defaultdict(int)
        for c, (ns, labels, sig, _ip, host, standalone, _has_ip, unprotected) in enumerate(self.keys):
            b = 1 << c
            self.ns_bits[ns] |= b
            for k, v in labels:
                self.kv_bits[(k, str(v))] |= b
                self.key_bits[k] |= b
            if host:
                self.host_bits |= b
            if standalone:
                self.standalone_bits |= b
            if unprotected:
                self.unprotected_bits |= b
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


@dataclass(frozen=True, slots=True)
class TierSel:
    """The policies of one tier that select a pod for one direction, in evaluation order."""

    name: str
    default: str  # Deny | Pass: what the tier does with traffic no rule decided, when it isolates the pod
    policies: tuple[Policy, ...]
    isolating: bool  # some policy of the tier isolates the pod for the direction


def _act(action: str, undecided: bool, bound: str | None) -> str | None:
    """The action a rule (or the part of it whose match cannot be told) takes in one bound of the answer.

    The low bound lets undecided Allow rules match nothing and undecided Deny/Pass rules match everything
    they could (Pass as Deny: what a later tier does is unknown); the high bound the opposite.  Matching
    more with Allow only ever allows more (and Deny less), so the true answer lies between the two."""
    if action == "Log":
        return None
    if not undecided or bound is None:
        return action
    if bound == "low":
        return None if action == "Allow" else "Deny"
    return None if action == "Deny" else "Allow"


def _peer_uncertain(peer: Peer) -> bool:
    return bool(peer.undecided) or peer.hosts in ("local", "remote")


def policy_uncertain(q: Policy) -> bool:
    """Whether evaluating ``q`` needs both bounds (some rule, peer or the policy itself is undecided)."""
    return q.uncertain or any(_peer_uncertain(p) for r in q.ingress + q.egress for p in r.peers or ())


class _Evaluator:
    """One semantics (spec or a CNI's practice) over one set of cells and policies.

    ``bound`` is None when every policy can be decided; otherwise the graph keeps a "low" and a "high"
    evaluator and what lies between them is undecided."""

    def __init__(self, cells: _Cells, policies: list[Policy], profile: CniProfile, spec: bool,
                 bound: str | None = None, tiers: Mapping[str, tuple[float, str]] | None = None):
        self.cells = cells
        self.profile = profile
        self.spec = spec
        self.bound = bound
        p = SPEC if spec else profile
        self.enforces = p.enforces
        self.ip_pods = p.ipblock_matches_pod_ips
        self.endport = p.endport
        self.named_ports = p.named_ports
        self.sctp = p.sctp
        self.metadata_except = p.metadata_except_enforced
        self.port_limit = p.port_limit
        self.profile_named_pods = p.named_ports_need_pods
        self._policy_sigs: dict[int, PortSig] = {}
        self._over: dict[str, int] = {}
        admin = p.admin_policies
        vendor = "" if spec else profile.vendor
        known = {**BUILTIN_TIERS, **(tiers or {})}
        by_tier: dict[str, list[Policy]] = defaultdict(list)
        for q in policies:
            if not self.enforces:
                continue
            if q.vendor:
                if q.vendor != vendor:
                    continue
            elif not q.is_np and not admin:
                continue
            by_tier[q.tier].append(q)
        self.policies = [q for t in by_tier.values() for q in t]
        self.has_vendor = any(q.vendor for q in self.policies)  # a CNI's own policies take part
        self.tiers: list[tuple[str, str, list[Policy]]] = []
        for name, pols in by_tier.items():
            order, default = known.get(name, (float("-inf"), "Deny"))
            if name not in known:  # a Calico tier whose Tier object is not in the input: its policies say so
                default = "Deny" if bound != "high" else "Pass"
            self.tiers.append((name, default, sorted(pols, key=lambda q: q.sort_key)))
        self.tiers.sort(key=lambda t: (known.get(t[0], (float("-inf"),))[0], t[0]))
        subject_mask = cells.all & ~cells.host_bits  # hostNetwork pods are node traffic (NP-48)
        if not p.standalone_pods_protected:
            subject_mask &= ~cells.standalone_bits
        if p.ec2_linux_only:
            subject_mask &= ~cells.unprotected_bits
        self.subject_mask = subject_mask
        self._subjects: dict[int, int] = {}
        self._selection: dict[str, list[tuple[TierSel, ...]]] = {}
        self._peer_cache: dict[tuple[int, int], tuple[int, int]] = {}
        self._rule_subject: dict[int, int] = {}
        self._partition_cache: dict[tuple, list[tuple[int, PortSet]]] = {}

    # --- selection ------------------------------------------------------------------------
    def subjects(self, q: Policy) -> int:
        hit = self._subjects.get(id(q))
        if hit is None:
            c = self.cells
            if q.select is not None:
                hit = q.select(c)
            elif q.is_np:
                hit = c.ns_bits.get(q.namespace or "", 0) & c.pod_bits(q.pod_selector)
            else:
                hit = c.namespace_bits(q.ns_selector)
                if q.pod_selector is not None:
                    hit &= c.pod_bits(q.pod_selector)
            hit &= self.subject_mask
            self._subjects[id(q)] = hit
        return hit

    def tiers_for(self, cell: int, direction: str) -> tuple[TierSel, ...]:
        """The tiers with policies selecting ``cell`` for ``direction``, in evaluation order."""
        index = self._selection.get(direction)
        if index is None:  # invert once: policy -> selected cells becomes cell -> tiers, in policy order
            per_cell: list[list[TierSel]] = [[] for _ in range(self.cells.n)]
            for name, default, pols in self.tiers:
                hits: dict[int, list[Policy]] = defaultdict(list)
                for q in pols:
                    if q.isolates(direction) or q.rules(direction):
                        for c in _bits(self.subjects(q)):
                            hits[c].append(q)
                for c, qs in hits.items():
                    per_cell[c].append(TierSel(name, default, tuple(qs), any(q.isolates(direction) for q in qs)))
            index = [tuple(t) for t in per_cell]
            self._selection[direction] = index
        return index[cell]

    def policies_for(self, cell: int, direction: str) -> list[Policy]:
        """Every policy that selects ``cell`` for ``direction``, in evaluation order."""
        return [q for t in self.tiers_for(cell, direction) for q in t.policies]

    # --- peers ------------------------------------------------------------------------------
    def peer_ipset(self, peer: Peer) -> IPSet:
        if peer.shape == "all":
            return ALL_IPS
        if peer.shape not in ("ip", "sel") or peer.ipset is None:
            return NO_IPS
        ips = peer.ipset
        if not self.metadata_except and not ips.contains(METADATA_IP) and _except_covers_metadata(peer):
            ips = ips | IPSet.parse(METADATA_IP + "/32")
        return ips

    def peer_match(self, q: Policy, peer: Peer) -> tuple[int, int]:
        """(cells the peer surely matches, cells it may match: whether it does cannot be told)."""
        key = (id(q), id(peer))
        hit = self._peer_cache.get(key)
        if hit is not None:
            return hit
        c = self.cells
        bits = maybe = 0
        if peer.shape == "all":
            bits = c.all
        elif peer.shape == "pods":
            ns = c.ns_bits.get(q.namespace or "", 0) if peer.ns_selector is None else c.namespace_bits(peer.ns_selector)
            bits = ns & c.pod_bits(peer.pod_selector) & ~c.host_bits
        elif peer.shape in ("ip", "sel"):
            if peer.sel is not None:
                got = peer.sel(c)
                if isinstance(got, tuple):  # (surely, maybe): a CNI selector with addresses (Calico nets)
                    got, unsure = got
                    maybe |= unsure & ~c.host_bits
                bits = got & ~c.host_bits
            if peer.ipset is not None and (self.ip_pods if peer.pod_ips is None else peer.pod_ips):
                ips = self.peer_ipset(peer)
                unknown = c.no_ip_bits & ~c.host_bits  # pods whose IP the input does not give (templates...)
                if unknown:
                    sure, unsure = address_match(ips, c.addresses)
                    bits |= unknown if sure else 0
                    maybe |= unknown if unsure else 0
                for cell, ip in c.ips:
                    if ips.contains(ip):
                        bits |= 1 << cell
            if peer.hosts == "any":
                bits |= c.host_bits
        maybe &= ~bits
        hit = (0, bits | maybe) if peer.undecided else \
            (bits, maybe | (c.host_bits if peer.hosts in ("local", "remote") else 0))
        self._peer_cache[key] = hit
        return hit

    def unknown_ip_uncertain(self, q: Policy) -> bool:
        """Whether a peer of ``q`` may or may not match a pod whose IP is not known (see :meth:`peer_match`),
        without matching every pod IP: an address peer that holds some but not all of the addresses such a pod
        can get, or a CNI selector peer that says so."""
        c = self.cells
        if not c.no_ip_bits & ~c.host_bits:
            return False
        for r in q.ingress + q.egress:
            for peer in r.peers or ():
                if peer.sel is not None and peer.shape == "sel":
                    if self.peer_match(q, peer)[1]:
                        return True
                elif peer.ipset is not None and peer.shape in ("ip", "sel") \
                        and (self.ip_pods if peer.pod_ips is None else peer.pod_ips) \
                        and address_match(self.peer_ipset(peer), c.addresses)[1]:
                    return True
        return False

    def rule_cells(self, q: Policy, rule: PolicyRule) -> tuple[int, int]:
        """(cells the rule's peers surely match, cells they may match)."""
        if rule.peers is None:
            return self.cells.all, 0
        sure = maybe = 0
        for peer in rule.peers:
            s, m = self.peer_match(q, peer)
            sure |= s
            maybe |= m
        unknown = maybe & self.cells.no_ip_bits & ~self.cells.host_bits
        if unknown and self.addresses_cover(rule):
            sure |= unknown  # no peer alone, but their addresses together hold every address such a pod can get
        return sure, maybe & ~sure

    def addresses_cover(self, rule: PolicyRule) -> bool:
        """Whether the address peers of ``rule`` (those matching pod IPs) together hold every address a pod whose IP
        is not known can have (one peer 0.0.0.0/0, another ::/0)."""
        union = NO_IPS
        for peer in rule.peers or ():
            if peer.ipset is not None and peer.sel is None and not peer.undecided and peer.shape in ("ip", "sel") \
                    and (self.ip_pods if peer.pod_ips is None else peer.pod_ips):
                union = union | self.peer_ipset(peer)
        return bool(union) and address_match(union, self.cells.addresses)[0]

    def rule_ips(self, rule: PolicyRule, node: str | None = None) -> tuple[IPSet, IPSet]:
        """(addresses the rule's peers surely match, addresses they may match).

        ``node``: the addresses are a node's, ``local`` (the subject pod's own node), ``remote`` or ``unknown``:
        address peers match them as they match pod IPs (ipBlock on Cilium: never), node peers by relation."""
        if rule.peers is None:
            return ALL_IPS, NO_IPS
        sure = maybe = NO_IPS
        for peer in rule.peers:
            s, m = self.peer_ips(peer, node)
            sure, maybe = sure | s, maybe | m
        return sure, maybe - sure

    def peer_ips(self, peer: Peer, node: str | None = None) -> tuple[IPSet, IPSet]:
        """(addresses the peer surely matches, addresses it may match); ``node`` as in :meth:`rule_ips`."""
        ips = self.peer_ipset(peer)
        unsure = bool(peer.undecided)
        if node is not None:
            if not (self.ip_pods if peer.pod_ips is None else peer.pod_ips):
                ips = NO_IPS
            if peer.hosts in ("any", node):
                ips = ALL_IPS
            elif peer.hosts and node == "unknown":
                ips, unsure = ALL_IPS, True
        return (NO_IPS, ips) if unsure else (ips, NO_IPS)

    def rule_applies(self, rule: PolicyRule, subject: int) -> bool:
        """Whether a rule that also restricts the policy's own pods (Calico) applies to ``subject``."""
        if rule.subject is None:
            return True
        bits = self._rule_subject.get(id(rule))
        if bits is None:
            bits = self._rule_subject[id(rule)] = rule.subject(self.cells)
        return bool(bits >> subject & 1)

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
        out = ALL_PORTS if rule.ports is None else NO_PORTS
        for e in rule.ports or ():
            out = out | self.entry_ports(e, dst_ports)
        for e in rule.exclude:
            out = out - e.resolve(dst_ports)
        return out

    # --- partitions ---------------------------------------------------------------------------
    def _rule_pieces(self, q: Policy, rule: PolicyRule, direction: str,
                     subject: int) -> list[tuple[int, PortSet, str | None]]:
        """(peer cells, ports, action) for one rule; egress named ports resolve on each destination cell."""
        if not self.rule_applies(rule, subject):
            return []
        sure, maybe = self.rule_cells(q, rule)
        undecided = bool(rule.undecided or q.undecided) or (not q.vendor and self.over_limit(subject, direction))
        groups = [(b, a) for b, a in ((sure, _act(rule.action, undecided, self.bound)),
                                      (maybe, _act(rule.action, True, self.bound))) if b and a]
        numeric = None
        if self.profile_named_pods and rule.has_named_ports:
            # the VPC CNI resolves named ports only on pods listed as peers: not for every peer, not for ipBlocks
            numeric = replace(rule, ports=tuple(e for e in rule.ports or () if e.name is None))
            pods = 0 if rule.peers is None else self._pod_peer_cells(q, rule)
            groups = [(b & m, a) for b, a in groups for m in (pods, ~pods) if b & m]
        out = []
        for peers, action in groups:
            r = numeric if numeric is not None and not peers & self._pod_peer_cells(q, rule) else rule
            if direction == "ingress" or not r.has_named_ports:
                sig = self.ingress_sig(q, subject) if direction == "ingress" else None
                out.append((peers, self.rule_ports(r, sig), action))
                continue
            for sig, sb in self.cells.sig_bits.items():
                part = peers & sb
                if part:
                    out.append((part, self.rule_ports(r, sig), action))
        return out

    def _pod_peer_cells(self, q: Policy, rule: PolicyRule) -> int:
        out = 0
        for peer in rule.peers or ():
            if peer.shape == "pods":
                s, m = self.peer_match(q, peer)
                out |= s | m
        return out

    def ingress_sig(self, q: Policy, subject: int) -> PortSig:
        """The named ports an ingress rule resolves against: the destination pod's; on the VPC CNI those of every
        pod the policy selects (its controller resolves them once per policy and programs them on each pod)."""
        if not self.profile_named_pods or q.vendor:
            return self.cells.keys[subject][2]
        hit = self._policy_sigs.get(id(q))
        if hit is None:
            hit = self._policy_sigs[id(q)] = tuple(sorted({p for c in _bits(self.subjects(q))
                                                           for p in self.cells.keys[c][2]}))
        return hit

    def over_limit(self, subject: int, direction: str) -> bool:
        """Whether the pod's policies list more unique port/protocol entries than the CNI programs (VPC CNI: 24
        per peer; which ones it drops is not known, so every entry's ports are undecided in practice)."""
        if not self.port_limit:
            return False
        cells = self._over.get(direction)
        if cells is None:
            cells = 0
            for c in range(self.cells.n):
                entries = set()
                for q in self.policies_for(c, direction):
                    for r in q.rules(direction) if not q.vendor else ():
                        entries.update(("*",) if r.ports is None else ((e.protocol, e.port, e.end_port, e.name)
                                                                       for e in r.ports))
                if len(entries) > self.port_limit:
                    cells |= 1 << c
            self._over[direction] = cells
        return bool(cells >> subject & 1)

    def _key(self, cell: int, direction: str, tiers: tuple[TierSel, ...]) -> tuple:
        restricted = tuple(self.rule_applies(r, cell) for t in tiers for q in t.policies if q.vendor == "calico"
                           for r in q.rules(direction) if r.subject is not None)
        return (direction, tuple(id(q) for t in tiers for q in t.policies),
                self.cells.keys[cell][2] if direction == "ingress" else None, restricted,
                self.over_limit(cell, direction))

    def partition(self, cell: int, direction: str) -> list[tuple[int, PortSet]]:
        """Every peer cell with the ports ``cell`` allows it in ``direction`` (disjoint blocks, non-empty ports)."""
        tiers = self.tiers_for(cell, direction)
        key = self._key(cell, direction, tiers)
        hit = self._partition_cache.get(key)
        if hit is None:
            hit = self._partition(tiers, direction, self.cells.all, _int_diff,
                                  lambda q, r: self._rule_pieces(q, r, direction, cell))
            hit = [(b, p) for b, p in hit if p]
            self._partition_cache[key] = hit
        return hit

    def ip_rule_pieces(self, q: Policy, r: PolicyRule, direction: str, cell: int,
                       node: str | None = None) -> list[tuple[IPSet, PortSet, str | None]]:
        """(addresses, ports, action) for one rule of a policy selecting ``cell``, as :meth:`ip_partition` refines
        by them (``node`` as in :meth:`rule_ips`)."""
        if not self.rule_applies(r, cell):
            return []
        sure, maybe = self.rule_ips(r, node)
        undecided = bool(r.undecided or q.undecided) or (not q.vendor and self.over_limit(cell, direction))
        if self.profile_named_pods and r.has_named_ports:  # addresses: no pod to resolve a name on
            r = replace(r, ports=tuple(e for e in r.ports or () if e.name is None))
        ports = self.rule_ports(r, self.cells.keys[cell][2] if direction == "ingress" else None)
        return [(ips, ports, a) for ips, a in ((sure, _act(r.action, undecided, self.bound)),
                                               (maybe, _act(r.action, True, self.bound))) if a and ips]

    def ip_partition(self, cell: int, direction: str, space: IPSet,
                     node: str | None = None) -> list[tuple[IPSet, PortSet]]:
        """Like :meth:`partition` over external addresses in ``space`` (a node's when ``node`` is given)."""
        tiers = self.tiers_for(cell, direction)

        def pieces(q: Policy, r: PolicyRule) -> list[tuple[IPSet, PortSet, str | None]]:
            return [(ips & space, ports, a) for ips, ports, a in self.ip_rule_pieces(q, r, direction, cell, node)
                    if ips & space]

        return [(b, p) for b, p in self._partition(tiers, direction, space, _ip_diff, pieces) if p]

    @staticmethod
    def _partition(tiers: tuple[TierSel, ...], direction: str, universe: Any, diff: Callable[[Any, Any], Any],
                   pieces: Callable[[Policy, PolicyRule], list[tuple[Any, PortSet, str | None]]]
                   ) -> list[tuple[Any, PortSet]]:
        if not tiers:
            return [(universe, ALL_PORTS)]
        # block: [members, undecided, allowed, passed]
        blocks: list[list[Any]] = [[universe, ALL_PORTS, NO_PORTS, NO_PORTS]]

        def refine(members: Any, ports: PortSet, action: str) -> None:
            nonlocal blocks
            out: list[list[Any]] = []
            for blk in blocks:
                inter = blk[0] & members
                if not inter:
                    out.append(blk)
                    continue
                hit = ports & blk[1]
                if not hit:
                    out.append(blk)
                    continue
                rest = diff(blk[0], inter)
                if rest:
                    out.append([rest, *blk[1:]])
                new = [inter, blk[1] - hit, blk[2], blk[3]]
                if action == "Allow":
                    new[2] = new[2] | hit
                elif action == "Pass":
                    new[3] = new[3] | hit
                out.append(new)
            blocks = out

        for t in tiers:
            for q in t.policies:
                for rule in q.rules(direction):
                    for members, ports, action in pieces(q, rule):
                        if action is not None:
                            refine(members, ports, action)
            deny_rest = t.isolating and t.default == "Deny"
            for b in blocks:  # what the tier passed or, when it does not isolate, did not decide goes on
                b[1] = (NO_PORTS if deny_rest else b[1]) | b[3]
                b[3] = NO_PORTS
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
                 policies: list[Policy], profile: CniProfile = SPEC, tiers: Mapping[str, tuple[float, str]] | None = None,
                 nodes: Mapping[str, Iterable[str]] | None = None, services: Iterable[Any] = (),
                 addresses: PodAddresses = UNKNOWN_POD_ADDRESSES):
        self.cluster = cluster_name
        self.pods = pods
        self.namespaces = namespaces
        self.all_policies = policies
        valid = [q for q in policies if q.valid]
        self.policies = [q for q in valid if not q.vendor]  # the Kubernetes APIs (what the rules lint)
        self.cni_policies = [q for q in valid if q.vendor]  # Calico / Cilium CRDs, enforced only by their CNI
        self.profile = profile
        self.tiers = dict(tiers or {})
        ip_relevant = [s for q in valid for r in q.ingress + q.egress for pe in r.peers or ()
                       for s in (pe.ipset, pe.nets) if pe.shape in ("ip", "sel") and s is not None]
        self.addresses = addresses
        self.cells = _Cells(pods, namespaces, ip_relevant, addresses)
        self.spec, self.spec_hi = self._evaluators(valid, True)
        if profile.is_spec:
            self.practice, self.practice_hi = self.spec, self.spec_hi
        else:
            self.practice, self.practice_hi = self._evaluators(valid, False)
        self.services = list(services)  # Service objects: NP-32 and the VPC CNI's Service limits
        self._services_by_ns: dict[str | None, list[Any]] = {}
        for svc in self.services:
            self._services_by_ns.setdefault(svc.namespace, []).append(svc)
        self._by_id = {p.id: p for p in pods}
        self._by_ip = {p.ip: p for p in pods if p.ip and not p.host_network}
        self._by_ns: dict[str, list[PodEndpoint]] = {}
        for p in pods:
            self._by_ns.setdefault(p.namespace, []).append(p)
        self._label_index: dict[str | None, dict[tuple[str, str], list[PodEndpoint]]] = {}  # built per namespace
        self.nodes = {name: IPSet.parse_many(sorted(ips)) for name, ips in (nodes or {}).items()}
        self._node_by_ip = {ip: name for name, ips in (nodes or {}).items() for ip in ips}

    def _evaluators(self, policies: list[Policy], spec: bool) -> tuple[_Evaluator, _Evaluator]:
        """(low, high): one exact evaluator when nothing is undecided, else the two bounds of the answer."""
        lo = _Evaluator(self.cells, policies, self.profile, spec, None, self.tiers)
        if not any(policy_uncertain(q) or q.tier not in BUILTIN_TIERS and q.tier not in self.tiers
                   for q in lo.policies) and not any(lo.over_limit(c, d) for d in ("ingress", "egress")
                                                      for c in range(self.cells.n)) \
                and not any(lo.unknown_ip_uncertain(q) for q in lo.policies):
            return lo, lo
        return (_Evaluator(self.cells, policies, self.profile, spec, "low", self.tiers),
                _Evaluator(self.cells, policies, self.profile, spec, "high", self.tiers))

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

    def services_in(self, namespace: str | None) -> list[Any]:
        """The Services of one namespace, in graph order (an index: per-pod Service scans stay linear)."""
        return self._services_by_ns.get(namespace, [])

    def workload_pods(self, namespace: str, kind: str, name: str) -> list[PodEndpoint]:
        k = kind.lower()
        return [p for p in self.pods_in(namespace) if p.workload_name == name
                and (p.workload_kind.lower() == k or _KIND_ALIASES.get(k) == p.workload_kind)]

    def endpoint(self, text: str) -> Endpoint:
        """``NS/POD``, ``NS/KIND/NAME``, ``node:NAME``, an IP address or ``internet``; ValueError when unknown."""
        t = text.strip()
        if t.lower() == "internet":
            return ExternalEndpoint("internet", INTERNET)
        if t.lower().startswith("node:"):
            name = t[5:]
            if name not in self.nodes:
                known = ", ".join(sorted(self.nodes)[:8]) or "none (no Node objects or scheduled pods in the input)"
                raise ValueError(f"no node {name!r} in cluster {self.cluster}; known: {known}")
            return NodeEndpoint(name, self.nodes[name])
        try:
            ip = ipaddress.ip_address(t)
        except ValueError:
            ip = None
        if ip is not None:
            pod = self._by_ip.get(str(ip))
            if pod is not None:
                return pod
            node = self._node_by_ip.get(str(ip))
            if node is not None:
                return NodeEndpoint(node, self.nodes[node])
            return ExternalEndpoint(str(ip), IPSet.parse(f"{ip}/{ip.max_prefixlen}"))
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
        raise ValueError(f"{text!r} is not NS/POD, NS/KIND/NAME, node:NAME, an IP address or 'internet'")

    def isolation(self, pod: PodEndpoint, direction: str, practice: bool = False) -> list[Policy]:
        """Policies isolating or deciding for ``pod`` in ``direction`` (admin tiers included); empty: none.

        The CNI's own policies (Calico, Cilium) count even for the spec question: they select pods the same
        way whatever the answer asked for."""
        cell = self.cells.cell_of[id(pod)]
        out = (self.practice if practice else self.spec).policies_for(cell, direction)
        if not practice and self.cni_policies:
            out = out + [q for q in self.practice.policies_for(cell, direction) if q.vendor]
        return out

    def selected_pods(self, q: Policy) -> list[PodEndpoint]:
        bits = (self.practice if q.vendor else self.spec).subjects(q)
        return [p for c in _bits(bits) for p in self.cells.pods[c]]

    def peer_pods(self, q: Policy, peer: Peer) -> list[PodEndpoint]:
        sure, maybe = (self.practice if q.vendor else self.spec).peer_match(q, peer)
        return [p for c in _bits(sure | maybe) for p in self.cells.pods[c]]

    # --- questions ------------------------------------------------------------------------
    def _evs(self, practice: bool) -> tuple[_Evaluator, _Evaluator]:
        return (self.practice, self.practice_hi) if practice else (self.spec, self.spec_hi)

    def node_relation(self, src: Endpoint, dst: Endpoint) -> tuple[str, str | None]:
        """For node traffic (a node or hostNetwork pod on one side, a pod on the other): which side is the node
        (``src``/``dst``, "" when neither) and whether it is the pod's own node (local/remote/None unknown)."""
        def node_of(e: Endpoint) -> tuple[bool, str | None]:
            if isinstance(e, NodeEndpoint):
                return True, e.name
            if isinstance(e, PodEndpoint):
                return e.host_network, e.node
            return False, None

        s_node, s_name = node_of(src)
        d_node, d_name = node_of(dst)
        if s_node == d_node or isinstance(src, ExternalEndpoint) or isinstance(dst, ExternalEndpoint):
            return "", None
        pod_node = d_name if s_node else s_name
        node = s_name if s_node else d_name
        rel = None if node is None or pod_node is None else "local" if node == pod_node else "remote"
        return ("src" if s_node else "dst"), rel

    def _raw(self, ev: _Evaluator, src: Endpoint, dst: Endpoint, rel: str | None) -> PortSet:
        if isinstance(src, PodEndpoint) and src is dst:
            return ALL_PORTS  # NP-46: a pod can always reach itself
        cell = self.cells.cell_of
        node = rel or "unknown"
        if isinstance(src, PodEndpoint) and isinstance(dst, PodEndpoint):
            if src.host_network and not dst.host_network and src.ip and _valid_ip(src.ip):
                return _union_any(ev.ip_partition(cell[id(dst)], "ingress", IPSet.parse(src.ip), node))
            if dst.host_network and not src.host_network and dst.ip and _valid_ip(dst.ip):
                return _union_any(ev.ip_partition(cell[id(src)], "egress", IPSet.parse(dst.ip), node))
            return ev.ports_between(cell[id(src)], cell[id(dst)])
        if isinstance(src, PodEndpoint) and not isinstance(dst, PodEndpoint):
            if src.host_network:
                return ALL_PORTS  # node traffic: no policy selects a hostNetwork pod (NP-48)
            return _union_any(ev.ip_partition(cell[id(src)], "egress", dst.ips,
                                              node if isinstance(dst, NodeEndpoint) else None))
        if isinstance(dst, PodEndpoint) and not isinstance(src, PodEndpoint):
            if dst.host_network:
                return ALL_PORTS
            return _union_any(ev.ip_partition(cell[id(dst)], "ingress", src.ips,
                                              node if isinstance(src, NodeEndpoint) else None))
        return ALL_PORTS  # neither end is a pod: outside NetworkPolicy's reach

    def ports(self, src: Endpoint, dst: Endpoint, practice: bool = True) -> tuple[PortSet, PortSet]:
        """(ports surely allowed, ports whose answer cannot be told) from ``src`` to ``dst``.

        Besides undecided policy constructs, this is where node traffic is settled (NP-47): a pod's own node
        always reaches it; the docs also allow traffic to it, which the CNI may or may not exempt from egress
        policy; when the node of either end is not known (templates), the node's exemption is undecided."""
        lo_ev, hi_ev = self._evs(practice)
        side, rel = self.node_relation(src, dst)
        lo = self._raw(lo_ev, src, dst, rel)
        hi = lo if hi_ev is lo_ev else self._raw(hi_ev, src, dst, rel)
        if side:
            egress_exempt = self.profile.node_egress_allowed if practice else SPEC.node_egress_allowed
            if rel == "local" and (side == "src" or egress_exempt):
                lo = hi = ALL_PORTS
            elif rel != "remote":
                hi = ALL_PORTS
        return lo, hi - lo

    def allowed_ports(self, src: Endpoint, dst: Endpoint, practice: bool = True) -> PortSet:
        """Ports surely allowed (see :meth:`ports` for the undecided ones)."""
        return self.ports(src, dst, practice)[0]

    def egress_ip_partition(self, pod: PodEndpoint, space: IPSet, practice: bool = False) -> list[tuple[IPSet, PortSet]]:
        ev = self.practice if practice else self.spec
        return ev.ip_partition(self.cells.cell_of[id(pod)], "egress", space)

    def can_reach(self, src: Endpoint, dst: Endpoint, protocol: str = "TCP", port: int | str | None = None) -> Verdict:
        from .network_explain import explain

        return explain(self, src, dst, protocol, port)

    def matrix_blocks(self, practice: bool = True) -> list[tuple[int, int, PortSet]]:
        """Surely allowed traffic as rectangles (source cells, destination cells, ports); pairs of a hostNetwork
        pod and a pod are settled by :meth:`host_pairs` (NP-47)."""
        return self._evs(practice)[0].blocks()

    def undecided_blocks(self, practice: bool = True) -> list[tuple[int, int, PortSet]]:
        """Rectangles whose answer cannot be told because of undecided policy constructs (the high bound minus
        the low one); pairs of a hostNetwork pod and a pod are settled one by one (:meth:`host_pairs`).

        Computed like :meth:`_Evaluator.blocks` over both bounds at once: cells grouped by their (low, high)
        partitions per direction, each pair of groups split by the two partitions laid over each other, so the
        work follows the partitions, not the cell pairs."""
        lo_ev, hi_ev = self._evs(practice)
        if hi_ev is lo_ev:
            return []
        n = self.cells.n
        in_groups: dict[tuple[int, int], list[Any]] = {}
        out_groups: dict[tuple[int, int], list[Any]] = {}
        for cell in range(n):
            for direction, groups in (("ingress", in_groups), ("egress", out_groups)):
                lo, hi = lo_ev.partition(cell, direction), hi_ev.partition(cell, direction)
                g = groups.get((id(lo), id(hi)))
                if g is None:
                    reach = 0
                    for bits, _ in hi:
                        reach |= bits
                    groups[(id(lo), id(hi))] = [_overlay(lo, hi), 1 << cell, reach]
                else:
                    g[1] |= 1 << cell
        ins = list(in_groups.values())
        out: list[tuple[int, int, PortSet]] = []
        for e_part, s_bits, e_reach in out_groups.values():
            for i_part, d_bits, i_reach in ins:
                if not (i_reach & s_bits and e_reach & d_bits):
                    continue
                for sb, in_lo, in_hi in i_part:
                    src = sb & s_bits
                    if not src:
                        continue
                    for db, eg_lo, eg_hi in e_part:
                        dst = db & d_bits
                        if dst:
                            u = (in_hi & eg_hi) - (in_lo & eg_lo)
                            if u:
                                out.append((src, dst, u))
        return out

    def host_pairs(self, practice: bool = True) -> Iterator[tuple[PodEndpoint, PodEndpoint, PortSet, PortSet]]:
        """(a, b, allowed, undecided) for every pair of a hostNetwork pod and another pod, both ways: node traffic
        whose answer depends on the two pods' nodes (NP-47), which cells do not record."""
        hosts = [p for p in self.pods if p.host_network]
        others = [p for p in self.pods if not p.host_network] if hosts else []
        for h in hosts:
            for o in others:
                for a, b in ((h, o), (o, h)):
                    yield (a, b, *self.ports(a, b, practice))

    def connections(self, practice: bool = True) -> dict[tuple[str, str], PortSet]:
        """Every surely allowed pod pair (``NS/NAME`` ids) with its ports; self-pairs left out."""
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
        for a, b, allowed, _ in self.host_pairs(practice):
            if allowed:
                out[(a.id, b.id)] = allowed
            else:
                out.pop((a.id, b.id), None)
        return out


def _overlay(lo: list[tuple[int, PortSet]], hi: list[tuple[int, PortSet]]) -> list[tuple[int, PortSet, PortSet]]:
    """Two partitions of the same peer cells (the low and high bound of one direction) laid over each other:
    (cells, low ports, high ports) wherever the high bound allows something (the low one allows less)."""
    out = []
    for hb, hp in hi:
        rest = hb
        for lb, lp in lo:
            both = hb & lb
            if both:
                out.append((both, lp, hp))
                rest &= ~lb
        if rest:
            out.append((rest, NO_PORTS, hp))
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


def cni_policies(cluster: ClusterInventory) -> tuple[list[Policy], dict[str, tuple[float, str]]]:
    """Calico and Cilium policies of the cluster in the IR, and Calico's tiers (name -> order, default)."""
    from . import network_calico as calico
    from . import network_cilium as cilium

    calico_in = calico.read_objects(cluster.objects) if any(calico.is_calico(o) for o in cluster.objects) else None
    out: list[Policy] = []
    if calico_in is not None:
        out.extend(q for o in calico.policy_objects(cluster.objects) if (q := calico.parse_policy(o, calico_in)))
    for o in cluster.objects:
        if cilium.is_cilium(o):
            out.extend(cilium.parse_policies(o))
    return out, calico_in.tiers if calico_in is not None else {}


def build(cluster: ClusterInventory, profile: CniProfile | None = None) -> NetworkGraph:
    """The network graph of one cluster (graph builder ``"network"``)."""
    pods = collect_pods(cluster)
    policies = [parse_policy(o) for o in cluster.objects if is_policy(o)]
    vendor, tiers = cni_policies(cluster)
    policies.extend(vendor)
    policies.sort(key=lambda q: (q.kind, q.namespace or "", q.name))
    namespaces = namespace_labels(cluster, [p.namespace for p in pods])
    if profile is None:
        profile = profile_from_facts(cluster.facts.facts, cluster.facts.kubernetes_version)
        vendors = {q.vendor for q in vendor}
        if profile.is_spec and len(vendors) == 1:  # the CNI was not told: its own policies in the input name it
            profile = get_profile(vendors.pop())
            profile = replace(profile, title=f"{profile.title} (inferred from its policies in the input)")
    return NetworkGraph(cluster.name, pods, namespaces, policies, profile, tiers=tiers,
                        nodes=node_addresses(cluster, pods), services=cluster.of_kind("Service"),
                        addresses=pod_addresses(cluster, pods))


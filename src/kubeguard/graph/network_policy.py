"""NetworkPolicy, AdminNetworkPolicy and BaselineAdminNetworkPolicy parsed into one small IR.

Parsing applies the API server's defaulting (policyTypes, protocol TCP, absent
podSelector) and its validation (netpol-semantics.md A.3).  A policy the API
would reject is kept with its ``problems`` and left out of evaluation: it
cannot exist in a cluster.  Every rule, peer and port entry keeps its field
path so that explanations and findings name the exact field.

Peers are normalised to a few shapes: ``pods`` (a namespace selector -- None
meaning the policy's own namespace -- and a pod selector), ``ip`` (an
:class:`IPSet`), ``sel`` (a CNI policy's own selector syntax: a pod matcher plus
addresses and node traffic, see :mod:`.network_vendor`), ``all`` and ``none``.
``rule.peers is None`` means "every peer" and ``rule.ports is None`` means "every
port and protocol".

Every policy sits in a tier (netpol-semantics.md B): tiers are evaluated by
order, policies in a tier by order, rules in order; Allow and Deny decide, Pass
goes to the next tier, and a tier that selects the pod but does not decide
applies its default (Deny for the NetworkPolicy tier, Pass for the admin
tiers).  What cannot be decided statically (ANP ``domainNames``, L7 rules,
DNS names, node selectors...) is kept with an ``undecided`` reason: the
engine then computes the answer both ways and reports the difference as
undecided instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model.objects import K8sObject, Path
from ..model.selectors import selector_is_valid
from .network_sets import ALL_IPS, IPSet, PortSet

NP_KIND = "NetworkPolicy"
ANP_KIND = "AdminNetworkPolicy"
BANP_KIND = "BaselineAdminNetworkPolicy"
CNP_KIND = "ClusterNetworkPolicy"  # policy.networking.k8s.io/v1alpha2, the successor of ANP and BANP
POLICY_KINDS = (NP_KIND, ANP_KIND, BANP_KIND, CNP_KIND)
_NP_GROUP = "networking.k8s.io"
_ANP_GROUP = "policy.networking.k8s.io"

# tiers: name -> (order, default action when a policy of the tier selects the pod but no rule decides);
# the orders are Calico's (kube-admin 1,000, default 1,000,000, kube-baseline 10,000,000), which also gives
# the upstream order Admin -> NetworkPolicy -> Baseline; names break ties as Calico does
ADMIN_TIER, KUBE_ADMIN_TIER = "adminnetworkpolicy", "kube-admin"
DEFAULT_TIER = "default"
BASELINE_TIER, KUBE_BASELINE_TIER = "baselineadminnetworkpolicy", "kube-baseline"
CILIUM_DENY_TIER = "cilium-deny"  # Cilium deny rules win over every allow, whatever the policy kind
BUILTIN_TIERS: dict[str, tuple[float, str]] = {
    CILIUM_DENY_TIER: (-1.0, "Pass"), ADMIN_TIER: (1000.0, "Pass"), KUBE_ADMIN_TIER: (1000.0, "Pass"),
    DEFAULT_TIER: (1_000_000.0, "Deny"), BASELINE_TIER: (10_000_000.0, "Pass"),
    KUBE_BASELINE_TIER: (10_000_000.0, "Pass")}
_PORT_NAME = re.compile(r"^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$")


@dataclass(frozen=True, slots=True)
class Peer:
    path: Path
    shape: str  # pods | ip | sel | none | all
    ns_selector: dict | None = None  # pods: None = the policy's own namespace
    pod_selector: dict | None = None  # pods: {} = every pod
    ipset: IPSet | None = None  # ip, sel: the addresses matched
    text: str = ""
    pod_ips: bool | None = None  # whether ipset matches pod IPs: None = the CNI profile decides (ipBlock)
    excepts: tuple[str, ...] = ()  # ipBlock.except as written
    sel: Any = None  # sel: callable(cells) -> bitset of the (non-hostNetwork) pod cells matched
    nets: IPSet | None = None  # sel: addresses its pods must also have (Calico nets with a selector)
    hosts: str = ""  # node traffic matched (hostNetwork pods, nodes): "" none | any | local | remote
    undecided: str = ""  # why whether this peer matches cannot be told; what it could match is above


@dataclass(frozen=True, slots=True)
class PortEntry:
    path: Path
    protocol: str | None  # None: any protocol (ANP namedPort)
    port: int | None = None
    end_port: int | None = None
    name: str | None = None

    def resolve(self, dst_ports: tuple[tuple[str, str, int], ...] | None) -> PortSet:
        """Ports this entry allows on a destination with ``dst_ports`` (name, protocol, number)."""
        if self.name is not None:
            out = PortSet.none()
            for name, proto, number in dst_ports or ():
                if name == self.name and (self.protocol is None or proto == self.protocol):
                    out = out | PortSet.of(proto, number)
            return out
        assert self.protocol is not None
        if self.port is None:
            return PortSet.of(self.protocol)
        return PortSet.of(self.protocol, self.port, self.end_port)

    def __str__(self) -> str:
        proto = self.protocol or "any protocol"
        if self.name is not None:
            return f"{proto} port named {self.name!r}"
        if self.port is None:
            return f"{proto} (every port)"
        if self.end_port is not None:
            return f"{proto} {self.port}-{self.end_port}"
        return f"{proto} {self.port}"


@dataclass(frozen=True, slots=True)
class PolicyRule:
    path: Path
    index: int
    peers: tuple[Peer, ...] | None  # None: every peer
    ports: tuple[PortEntry, ...] | None  # None: every port and protocol
    action: str = "Allow"  # Allow | Deny | Pass | Log (Calico: matches, decides nothing)
    name: str = ""
    exclude: tuple[PortEntry, ...] = ()  # ports taken out again (Calico notPorts, notProtocol)
    subject: Any = None  # Calico: the rule also restricts the policy's own pods (callable(cells) -> bits)
    undecided: str = ""  # why whether this rule matches cannot be told statically (L7, DNS names...)

    @property
    def has_named_ports(self) -> bool:
        return any(p.name is not None for p in (self.ports or ()) + self.exclude)

    def port_set(self, dst_ports: tuple[tuple[str, str, int], ...] | None) -> PortSet:
        out = PortSet.all() if self.ports is None else PortSet.none()
        for e in self.ports or ():
            out = out | e.resolve(dst_ports)
        for e in self.exclude:
            out = out - e.resolve(dst_ports)
        return out


@dataclass(frozen=True, slots=True, eq=False)
class Policy:
    obj: K8sObject
    kind: str
    namespace: str | None
    name: str
    pod_selector: dict | None  # subject pods (None for an ANP subject of whole namespaces)
    ns_selector: dict | None  # subject namespaces; None: the policy's own namespace
    ingress_isolates: bool
    egress_isolates: bool
    ingress: tuple[PolicyRule, ...] = ()
    egress: tuple[PolicyRule, ...] = ()
    priority: int = 0
    problems: tuple[tuple[Path, str], ...] = ()  # the API server would reject the object
    notes: tuple[tuple[Path, str], ...] = ()  # accepted, but probably not what was meant
    tier: str = DEFAULT_TIER
    order: float = 1000.0  # within the tier, lower first (Kubernetes NetworkPolicies sit at 1000 in Calico)
    vendor: str = ""  # "" for the Kubernetes APIs, else the CNI whose own policy this is (calico, cilium)
    select: Any = None  # vendor subject matcher: callable(cells) -> bitset; None: the Kubernetes selectors
    undecided: str = ""  # why the whole policy's effect cannot be told (its tier's order is unknown...)

    @property
    def ref(self) -> str:
        kind = f"{self.kind}.{self.obj.group}" if self.vendor else self.kind  # Calico's NetworkPolicy is not v1's
        return f"{kind}/{self.namespace}/{self.name}" if self.namespace else f"{kind}/{self.name}"

    @property
    def is_np(self) -> bool:
        """A ``networking.k8s.io`` NetworkPolicy (not a CNI's policy of the same kind name)."""
        return self.kind == NP_KIND and not self.vendor

    @property
    def sort_key(self) -> tuple[float, str]:
        # Calico orders policies by order, then name; it names Kubernetes NetworkPolicies knp.default.NAME
        return (self.order, f"knp.default.{self.name}" if self.is_np else self.name)

    @property
    def uncertain(self) -> bool:
        """Whether any part of this policy is undecided (the engine then evaluates it both ways)."""
        return bool(self.undecided) or any(r.undecided or any(p.undecided for p in r.peers or ())
                                           for r in self.ingress + self.egress)

    @property
    def valid(self) -> bool:
        return not self.problems

    def rules(self, direction: str) -> tuple[PolicyRule, ...]:
        return self.ingress if direction == "ingress" else self.egress

    def isolates(self, direction: str) -> bool:
        return self.ingress_isolates if direction == "ingress" else self.egress_isolates


@dataclass
class _Ctx:
    problems: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[tuple[Path, str]] = field(default_factory=list)

    def bad(self, path: Path, msg: str) -> None:
        self.problems.append((path, msg))


def is_policy(obj: K8sObject) -> bool:
    """A Kubernetes API policy (NetworkPolicy, ANP, BANP, ClusterNetworkPolicy); CNI CRDs: network_vendor."""
    if obj.kind == NP_KIND:
        return obj.group in (_NP_GROUP, "extensions")
    if obj.kind == CNP_KIND:
        return obj.group == _ANP_GROUP and obj.api_version.endswith("/v1alpha2")
    return obj.kind in (ANP_KIND, BANP_KIND) and obj.group == _ANP_GROUP


def parse_policy(obj: K8sObject) -> Policy:
    if obj.kind == NP_KIND:
        return _parse_np(obj)
    return _parse_admin(obj)


def _selector(ctx: _Ctx, value: Any, path: Path) -> dict | None:
    if value is None:
        return None
    if not selector_is_valid(value):
        ctx.bad(path, "invalid label selector")
        return None
    return value


# --- NetworkPolicy --------------------------------------------------------------------

def _parse_np(obj: K8sObject) -> Policy:
    ctx = _Ctx()
    spec = obj.raw.get("spec")
    if spec is None:
        spec = {}
        ctx.bad(("spec",), "spec is missing")
    if not isinstance(spec, dict):
        ctx.bad(("spec",), "spec must be a mapping")
        spec = {}
    sel = spec.get("podSelector")
    if sel is None:
        sel = {}  # NP-03: absent podSelector selects every pod of the namespace
    else:
        sel = _selector(ctx, sel, ("spec", "podSelector")) or {}
    ingress_raw, egress_raw = spec.get("ingress"), spec.get("egress")
    for key, val in (("ingress", ingress_raw), ("egress", egress_raw)):
        if val is not None and not isinstance(val, list):
            ctx.bad(("spec", key), f"{key} must be a list")
    ingress_raw = ingress_raw if isinstance(ingress_raw, list) else []
    egress_raw = egress_raw if isinstance(egress_raw, list) else []
    types = spec.get("policyTypes")
    if types:
        if not isinstance(types, list) or any(t not in ("Ingress", "Egress") for t in types):
            ctx.bad(("spec", "policyTypes"), "policyTypes values must be Ingress or Egress")
            types = [t for t in types if t in ("Ingress", "Egress")] if isinstance(types, list) else []
        ing, eg = "Ingress" in types, "Egress" in types
    else:
        # API defaulting (NP-07/08/09): Ingress always, Egress iff egress rules exist
        ing, eg = True, len(egress_raw) > 0
    if not ing and ingress_raw:
        ctx.notes.append((("spec", "ingress"), "ingress rules are ignored: policyTypes does not list Ingress"))
    if not eg and egress_raw:
        ctx.notes.append((("spec", "egress"), "egress rules are ignored: policyTypes does not list Egress"))
    if not spec.get("policyTypes") and egress_raw and not ingress_raw:
        ctx.notes.append((("spec", "egress"), "policyTypes is absent and egress rules exist, so the defaulted policyTypes "
                                     "[Ingress, Egress] also deny all ingress to the selected pods"))
    ingress = tuple(_np_rule(ctx, r, ("spec", "ingress", i), i, "from") for i, r in enumerate(ingress_raw)) if ing else ()
    egress = tuple(_np_rule(ctx, r, ("spec", "egress", i), i, "to") for i, r in enumerate(egress_raw)) if eg else ()
    return Policy(obj, NP_KIND, obj.namespace, obj.name, sel, None, ing, eg, ingress, egress,
                  problems=tuple(ctx.problems), notes=tuple(ctx.notes))


def _np_rule(ctx: _Ctx, raw: Any, path: Path, index: int, peer_key: str) -> PolicyRule:
    if not isinstance(raw, dict):
        ctx.bad(path, "rule must be a mapping")
        return PolicyRule(path, index, (), ())
    peers_raw = raw.get(peer_key)
    peers: tuple[Peer, ...] | None = None
    if peers_raw:  # absent or [] (NP-14): every peer
        if not isinstance(peers_raw, list):
            ctx.bad(path + (peer_key,), f"{peer_key} must be a list")
            peers = ()
        else:
            peers = tuple(_np_peer(ctx, p, path + (peer_key, j)) for j, p in enumerate(peers_raw))
    ports_raw = raw.get("ports")
    ports: tuple[PortEntry, ...] | None = None
    if ports_raw:  # absent or [] (NP-15): every port and protocol
        if not isinstance(ports_raw, list):
            ctx.bad(path + ("ports",), "ports must be a list")
            ports = ()
        else:
            ports = tuple(e for j, p in enumerate(ports_raw) if (e := _np_port(ctx, p, path + ("ports", j))))
    if peers is not None and ports and any(e.name for e in ports) and peers and all(p.shape == "ip" for p in peers):
        ctx.notes.append((path, "a named port cannot be resolved on ipBlock peers (no pod), so this rule allows "
                                "nothing through it (NP-37)"))
    return PolicyRule(path, index, peers, ports)


def _np_peer(ctx: _Ctx, raw: Any, path: Path) -> Peer:
    if not isinstance(raw, dict):
        ctx.bad(path, "peer must be a mapping")
        return Peer(path, "none")
    has_ip = raw.get("ipBlock") is not None
    has_sel = raw.get("podSelector") is not None or raw.get("namespaceSelector") is not None
    if has_ip and has_sel:
        ctx.bad(path, "a peer may set ipBlock or podSelector/namespaceSelector, not both")
        return Peer(path, "none")
    if not has_ip and not has_sel:
        ctx.bad(path, "a peer must set podSelector, namespaceSelector or ipBlock")
        return Peer(path, "none")
    if has_ip:
        ipset, text = _ip_block(ctx, raw["ipBlock"], path + ("ipBlock",))
        excepts = raw["ipBlock"].get("except") if isinstance(raw["ipBlock"], dict) else None
        return Peer(path, "ip" if ipset is not None else "none", ipset=ipset, text=text,
                    excepts=tuple(str(e) for e in excepts) if isinstance(excepts, list) else ())
    nss = _selector(ctx, raw.get("namespaceSelector"), path + ("namespaceSelector",))
    pods = _selector(ctx, raw.get("podSelector"), path + ("podSelector",))
    if raw.get("namespaceSelector") is not None and nss is None or raw.get("podSelector") is not None and pods is None:
        return Peer(path, "none")
    return Peer(path, "pods", ns_selector=nss, pod_selector=pods if pods is not None else {},
                text=_peer_text(nss, pods))


def _ip_block(ctx: _Ctx, raw: Any, path: Path) -> tuple[IPSet | None, str]:
    if not isinstance(raw, dict) or not isinstance(raw.get("cidr"), str):
        ctx.bad(path + ("cidr",), "ipBlock.cidr is required")
        return None, ""
    try:
        base = IPSet.parse(raw["cidr"])
    except ValueError as exc:
        ctx.bad(path + ("cidr",), f"invalid CIDR {raw['cidr']!r}: {exc}")
        return None, ""
    if "/" not in raw["cidr"]:
        ctx.bad(path + ("cidr",), f"invalid CIDR {raw['cidr']!r}: no prefix length")
        return None, ""
    result = base
    excepts = raw.get("except") or []
    if not isinstance(excepts, list):
        ctx.bad(path + ("except",), "except must be a list")
        return None, ""
    for k, e in enumerate(excepts):
        try:
            ex = IPSet.parse(str(e))
        except ValueError as exc:
            ctx.bad(path + ("except", k), f"invalid CIDR {e!r}: {exc}")
            return None, ""
        if not base.covers(ex) or ex == base:
            ctx.bad(path + ("except", k), f"except {e} must be strictly inside cidr {raw['cidr']}")
            return None, ""
        result = result - ex
    text = raw["cidr"] + (f" except {', '.join(str(e) for e in excepts)}" if excepts else "")
    return result, text


def _np_port(ctx: _Ctx, raw: Any, path: Path) -> PortEntry | None:
    if not isinstance(raw, dict):
        ctx.bad(path, "port entry must be a mapping")
        return None
    proto = raw.get("protocol", "TCP") or "TCP"
    if proto not in ("TCP", "UDP", "SCTP"):
        ctx.bad(path + ("protocol",), f"unsupported protocol {proto!r}; the API accepts TCP, UDP and SCTP")
        return None
    port, end = raw.get("port"), raw.get("endPort")
    if isinstance(port, bool) or (port is not None and not isinstance(port, (int, str))):
        ctx.bad(path + ("port",), "port must be a number or a port name")
        return None
    if isinstance(port, str):
        if not _PORT_NAME.match(port):
            ctx.bad(path + ("port",), f"{port!r} is not a valid port name (IANA service name)")
            return None
        if end is not None:
            ctx.bad(path + ("endPort",), "endPort requires a numeric port")
            return None
        return PortEntry(path, proto, name=port)
    if port is not None and not 1 <= port <= 65535:
        ctx.bad(path + ("port",), f"port {port} is outside 1-65535")
        return None
    if end is not None:
        if port is None:
            ctx.bad(path + ("endPort",), "endPort requires port")
            return None
        if isinstance(end, bool) or not isinstance(end, int) or not port <= end <= 65535:
            ctx.bad(path + ("endPort",), f"endPort {end!r} must be a number between port ({port}) and 65535")
            return None
    return PortEntry(path, proto, port, end)


def _peer_text(nss: dict | None, pods: dict | None) -> str:
    def sel(s: dict | None) -> str:
        if s is None:
            return ""
        if not s.get("matchLabels") and not s.get("matchExpressions"):
            return "{}"
        parts = [f"{k}={v}" for k, v in (s.get("matchLabels") or {}).items()]
        for e in s.get("matchExpressions") or []:
            vals = ",".join(str(v) for v in e.get("values") or [])
            parts.append(f"{e.get('key')} {e.get('operator')}" + (f" ({vals})" if vals else ""))
        return ",".join(parts)

    if nss is None:
        return f"pods [{sel(pods)}] in the policy's namespace"
    if pods is None or sel(pods) == "{}":
        return f"all pods in namespaces [{sel(nss)}]"
    return f"pods [{sel(pods)}] in namespaces [{sel(nss)}]"


# --- AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1), ClusterNetworkPolicy (v1alpha2) ---------

_NODES_UNDECIDED = ("nodes peers select nodes by their labels; traffic to node addresses is not resolved "
                    "to nodes here")
_DOMAINS_UNDECIDED = "domainNames peers match the addresses DNS returns at run time"


def _parse_admin(obj: K8sObject) -> Policy:
    ctx = _Ctx()
    spec = obj.spec
    v2 = obj.kind == CNP_KIND
    baseline = obj.kind == BANP_KIND
    priority = 0
    if v2:
        tier_name = spec.get("tier")
        if tier_name not in ("Admin", "Baseline"):
            ctx.bad(("spec", "tier"), "tier must be Admin or Baseline")
        tier = KUBE_BASELINE_TIER if tier_name == "Baseline" else KUBE_ADMIN_TIER
    elif baseline:
        tier = BASELINE_TIER
        if obj.name != "default":
            ctx.bad(("metadata", "name"), "a BaselineAdminNetworkPolicy must be named 'default'")
    else:
        tier = ADMIN_TIER
    if not baseline:
        priority = spec.get("priority")
        if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= 1000:
            ctx.bad(("spec", "priority"), "priority must be a number between 0 and 1000")
            priority = 1000
    subject = spec.get("subject")
    ns_sel: dict | None = None
    pod_sel: dict | None = None
    if not isinstance(subject, dict) or len([k for k in ("namespaces", "pods") if subject.get(k) is not None]) != 1:
        ctx.bad(("spec", "subject"), "subject must set exactly one of namespaces or pods")
    elif subject.get("namespaces") is not None:
        ns_sel = _selector(ctx, subject["namespaces"], ("spec", "subject", "namespaces"))
    else:
        pods = subject["pods"] if isinstance(subject["pods"], dict) else {}
        ns_sel = _selector(ctx, pods.get("namespaceSelector", {} if v2 else None),
                           ("spec", "subject", "pods", "namespaceSelector"))
        pod_sel = _selector(ctx, pods.get("podSelector"), ("spec", "subject", "pods", "podSelector"))
        if ns_sel is None or pod_sel is None:
            ctx.bad(("spec", "subject", "pods"), "subject.pods needs namespaceSelector and podSelector")
    actions = ("Allow", "Deny") if baseline else ("Accept", "Deny", "Pass") if v2 else ("Allow", "Deny", "Pass")
    rules = {}
    for direction, peer_key in (("ingress", "from"), ("egress", "to")):
        raw = spec.get(direction) or []
        if not isinstance(raw, list):
            ctx.bad(("spec", direction), f"{direction} must be a list")
            raw = []
        if v2 and len(raw) > 25:
            ctx.bad(("spec", direction), f"at most 25 {direction} rules are allowed")
        rules[direction] = tuple(_admin_rule(ctx, r, ("spec", direction, i), i, peer_key, actions, direction, v2)
                                 for i, r in enumerate(raw))
    return Policy(obj, obj.kind, None, obj.name, pod_sel, ns_sel if ns_sel is not None else {},
                  bool(rules["ingress"]), bool(rules["egress"]), rules["ingress"], rules["egress"], priority,
                  tuple(ctx.problems), tuple(ctx.notes), tier=tier, order=float(priority))


def _admin_rule(ctx: _Ctx, raw: Any, path: Path, index: int, peer_key: str, actions: tuple[str, ...],
                direction: str, v2: bool = False) -> PolicyRule:
    if not isinstance(raw, dict):
        ctx.bad(path, "rule must be a mapping")
        return PolicyRule(path, index, (), (), "Deny")
    action = raw.get("action")
    if action not in actions:
        ctx.bad(path + ("action",), f"action must be one of {', '.join(actions)}")
        action = "Deny"
    action = "Allow" if action == "Accept" else action
    peers_raw = raw.get(peer_key)
    if not isinstance(peers_raw, list) or not peers_raw:
        ctx.bad(path + (peer_key,), f"{peer_key} needs at least one peer")
        peers_raw = []
    peers = []
    for j, p in enumerate(peers_raw):
        ppath = path + (peer_key, j)
        p = p if isinstance(p, dict) else {}
        if p.get("namespaces") is not None:
            nss = _selector(ctx, p["namespaces"], ppath + ("namespaces",))
            peers.append(Peer(ppath, "pods", ns_selector=nss, pod_selector={}, text=_peer_text(nss or {}, None)))
        elif p.get("pods") is not None:
            pp = p["pods"] if isinstance(p["pods"], dict) else {}
            nss = _selector(ctx, pp.get("namespaceSelector"), ppath + ("pods", "namespaceSelector"))
            pods = _selector(ctx, pp.get("podSelector"), ppath + ("pods", "podSelector"))
            peers.append(Peer(ppath, "pods", ns_selector=nss if nss is not None else {},
                              pod_selector=pods if pods is not None else {}, text=_peer_text(nss or {}, pods)))
        elif p.get("networks") is not None and direction == "egress":
            ipset = IPSet()
            for k, c in enumerate(p["networks"] if isinstance(p["networks"], list) else []):
                try:
                    ipset = ipset | IPSet.parse(str(c))
                except ValueError as exc:
                    ctx.bad(ppath + ("networks", k), f"invalid CIDR {c!r}: {exc}")
            peers.append(Peer(ppath, "ip", ipset=ipset, text="networks " + ", ".join(map(str, p["networks"])),
                              pod_ips=True))  # networks match pod IPs too, by definition
        elif p.get("nodes") is not None and direction == "egress":
            peers.append(Peer(ppath, "sel", hosts="any", text="nodes", undecided=_NODES_UNDECIDED))
        elif p.get("domainNames") is not None and direction == "egress":
            if action != "Allow":
                ctx.bad(ppath + ("domainNames",), "domainNames peers are only allowed in Allow/Accept rules")
            peers.append(Peer(ppath, "ip", ipset=ALL_IPS, pod_ips=False, text="domainNames "
                              + ", ".join(map(str, p["domainNames"] if isinstance(p["domainNames"], list) else [])),
                              undecided=_DOMAINS_UNDECIDED))
        else:
            # fail closed: Allow matches nothing, Deny/Pass match everything
            ctx.notes.append((ppath, "peer has no recognised field; the rule fails closed"))
            peers.append(Peer(ppath, "none" if action == "Allow" else "all", text="unrecognised peer"))
    ports: tuple[PortEntry, ...] | None = None
    if v2:
        ports = _cnp_protocols(ctx, raw.get("protocols"), path)
    elif raw.get("ports"):
        ports = _anp_ports(ctx, raw["ports"], path)
    return PolicyRule(path, index, tuple(peers), ports, action, str(raw.get("name") or ""))


def _anp_ports(ctx: _Ctx, ports_raw: Any, path: Path) -> tuple[PortEntry, ...]:
    out = []
    for j, e in enumerate(ports_raw if isinstance(ports_raw, list) else []):
        epath = path + ("ports", j)
        e = e if isinstance(e, dict) else {}
        if isinstance(e.get("portNumber"), dict):
            pn = e["portNumber"]
            proto, num = pn.get("protocol", "TCP"), pn.get("port")
            if proto in ("TCP", "UDP", "SCTP") and isinstance(num, int) and 1 <= num <= 65535:
                out.append(PortEntry(epath, proto, num))
            else:
                ctx.bad(epath + ("portNumber",), "portNumber needs protocol TCP/UDP/SCTP and port 1-65535")
        elif isinstance(e.get("namedPort"), str):
            out.append(PortEntry(epath, None, name=e["namedPort"]))
        elif isinstance(e.get("portRange"), dict):
            pr = e["portRange"]
            proto, lo, hi = pr.get("protocol", "TCP"), pr.get("start"), pr.get("end")
            if proto in ("TCP", "UDP", "SCTP") and isinstance(lo, int) and isinstance(hi, int) and 1 <= lo < hi <= 65535:
                out.append(PortEntry(epath, proto, lo, hi))
            else:
                ctx.bad(epath + ("portRange",), "portRange needs protocol and 1 <= start < end <= 65535")
        else:
            ctx.bad(epath, "port entry must set portNumber, namedPort or portRange")
    return tuple(out)


def _cnp_protocols(ctx: _Ctx, raw: Any, path: Path) -> tuple[PortEntry, ...] | None:
    """ClusterNetworkPolicy ``protocols``: exactly one of tcp/udp/sctp (optional destinationPort: a number or a
    range) or destinationNamedPort per entry; absent: every port and protocol."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        ctx.bad(path + ("protocols",), "protocols must be a non-empty list")
        return ()
    out = []
    for j, e in enumerate(raw):
        epath = path + ("protocols", j)
        keys = [k for k in ("tcp", "udp", "sctp", "destinationNamedPort") if isinstance(e, dict) and k in e]
        if len(keys) != 1:
            ctx.bad(epath, "a protocols entry sets exactly one of tcp, udp, sctp or destinationNamedPort")
            continue
        key = keys[0]
        if key == "destinationNamedPort":
            if isinstance(e[key], str) and e[key]:
                out.append(PortEntry(epath, None, name=e[key]))
            else:
                ctx.bad(epath + (key,), "destinationNamedPort must be a port name")
            continue
        body = e[key] if isinstance(e[key], dict) else {}
        dport = body.get("destinationPort")
        proto = key.upper()
        if dport is None:
            out.append(PortEntry(epath, proto))
        elif isinstance(dport, dict) and isinstance(dport.get("number"), int) and not isinstance(dport["number"], bool) \
                and 1 <= dport["number"] <= 65535 and "range" not in dport:
            out.append(PortEntry(epath + (key, "destinationPort"), proto, dport["number"]))
        elif isinstance(dport, dict) and isinstance(dport.get("range"), dict) and "number" not in dport:
            lo, hi = dport["range"].get("start"), dport["range"].get("end")
            if isinstance(lo, int) and isinstance(hi, int) and 1 <= lo < hi <= 65535:
                out.append(PortEntry(epath + (key, "destinationPort"), proto, lo, hi))
            else:
                ctx.bad(epath + (key, "destinationPort", "range"), "range needs 1 <= start < end <= 65535")
        else:
            ctx.bad(epath + (key, "destinationPort"), "destinationPort sets exactly one of number or range")
    return tuple(out)

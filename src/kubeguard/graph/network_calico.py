"""Calico's own policies (netpol-semantics.md B.3): NetworkPolicy and GlobalNetworkPolicy of
``projectcalico.org/v3`` and ``crd.projectcalico.org/v1``, Tiers, NetworkSets and GlobalNetworkSets,
translated into the engine's tiered IR.

Modelled exactly: tiers by order with their default action (a Tier object absent from the input
makes its policies undecided), policies by order (none: last) then name, rules in order with Allow,
Deny, Pass and Log; ``types`` defaulted as Calico's client does; the selector language (``==``,
``!=``, ``has()``, ``in``, ``not in``, ``contains``, ``starts with``, ``ends with``, ``!``, ``&&``,
``||``, ``all()``, ``global()``) over pod labels plus ``projectcalico.org/namespace`` and
``projectcalico.org/orchestrator``, and over namespace labels plus ``projectcalico.org/name``;
``nets``/``notNets``, ``selector``/``notSelector``/``namespaceSelector`` (all of them must match),
network sets matched by labels, ``protocol``/``notProtocol`` (TCP, UDP, SCTP; others match none of
them), ``ports``/``notPorts`` with ranges ``a:b`` and named ports, and a rule's own-side restriction
(``destination`` of an ingress rule, ``source`` of an egress rule).  Undecided with the reason:
``http`` matches, ``serviceAccounts``, ``services``, source ports, ``ipVersion``, own-side ``nets``,
``serviceAccountSelector`` and selectors on service-account labels.  Staged policies are previews
and enforce nothing; ``preDNAT``/``doNotTrack``/``applyOnForward`` policies apply to host endpoints only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..model.objects import K8sObject, Path
from .network_policy import DEFAULT_TIER, Peer, Policy, PolicyRule, PortEntry
from .network_sets import ALL_IPS, IPSet

GROUPS = ("projectcalico.org", "crd.projectcalico.org")
POLICY_KINDS = ("NetworkPolicy", "GlobalNetworkPolicy")
_PROTOCOLS = {"TCP": "TCP", "UDP": "UDP", "SCTP": "SCTP", 6: "TCP", 17: "UDP", 132: "SCTP"}
_OTHER_PROTOCOLS = ("ICMP", "ICMPv6", "UDPLite")
_SA_LABEL = "projectcalico.org/serviceaccount"


# --- the selector language ----------------------------------------------------------------

Labels = dict[str, str]
Match = Callable[[Labels], bool]
_TOKEN = re.compile(r"""\s*(?:(?P<str>'[^']*'|"[^"]*")|(?P<op>==|!=|&&|\|\||[!(){},])|(?P<word>[A-Za-z0-9_./\-]+))""")


class SelectorError(ValueError):
    pass


@dataclass
class Selector:
    """A parsed Calico selector: ``match(labels)`` and the label keys it reads."""

    text: str
    match: Match
    keys: frozenset[str]
    is_global: bool = False  # global(): non-namespaced endpoints (host endpoints, global network sets)


def parse_selector(text: str) -> Selector:
    """Parse a Calico selector expression; SelectorError with the position on bad syntax."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = str(text)
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise SelectorError(f"unexpected {text[pos:].strip()[:10]!r} at {pos}")
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    keys: set[str] = set()
    is_global = False
    i = 0

    def peek(n: int = 0) -> tuple[str, str]:
        return tokens[i + n] if i + n < len(tokens) else ("", "")

    def take(value: str | None = None) -> tuple[str, str]:
        nonlocal i
        tok = peek()
        if not tok[0] or value is not None and tok[1] != value:
            raise SelectorError(f"expected {value or 'more'} in {text!r}")
        i += 1
        return tok

    def literal() -> str:
        kind, val = take()
        if kind != "str":
            raise SelectorError(f"expected a quoted value in {text!r}")
        return val[1:-1]

    def or_expr() -> Match:
        left = and_expr()
        while peek()[1] == "||":
            take()
            right = and_expr()
            left = (lambda a, b: lambda lab: a(lab) or b(lab))(left, right)
        return left

    def and_expr() -> Match:
        left = unary()
        while peek()[1] == "&&":
            take()
            right = unary()
            left = (lambda a, b: lambda lab: a(lab) and b(lab))(left, right)
        return left

    def unary() -> Match:
        nonlocal is_global
        kind, val = peek()
        if val == "!":
            take()
            inner = unary()
            return lambda lab: not inner(lab)
        if val == "(":
            take()
            inner = or_expr()
            take(")")
            return inner
        if kind != "word":
            raise SelectorError(f"expected a label or function in {text!r}")
        take()
        if val in ("all", "global") and peek()[1] == "(":
            take("(")
            take(")")
            is_global = is_global or val == "global"
            return lambda lab: True
        if val == "has" and peek()[1] == "(":
            take("(")
            key = take()[1]
            take(")")
            keys.add(key)
            return lambda lab: key in lab
        key = val
        keys.add(key)
        op_kind, op = peek()
        if op in ("==", "!="):
            take()
            v = literal()
            return (lambda lab: lab.get(key) == v) if op == "==" else (lambda lab: lab.get(key) != v)
        if op in ("in", "not", "contains", "starts", "ends"):
            take()
            if op == "not":
                take("in")
            elif op in ("starts", "ends"):
                take("with")
            if op in ("in", "not"):
                take("{")
                values: set[str] = set()
                while peek()[1] != "}":
                    values.add(literal())
                    if peek()[1] == ",":
                        take()
                take("}")
                if op == "in":
                    return lambda lab: lab.get(key) in values
                return lambda lab: lab.get(key) not in values
            v = literal()
            if op == "contains":
                return lambda lab: key in lab and v in lab[key]
            if op == "starts":
                return lambda lab: key in lab and lab[key].startswith(v)
            return lambda lab: key in lab and lab[key].endswith(v)
        raise SelectorError(f"expected an operator after {key!r} in {text!r}")

    if not tokens:
        return Selector(text, lambda lab: True, frozenset())
    match = or_expr()
    if i != len(tokens):
        raise SelectorError(f"unexpected {tokens[i][1]!r} in {text!r}")
    return Selector(text, match, frozenset(keys), is_global)


# --- objects ------------------------------------------------------------------------------

def is_calico(obj: K8sObject) -> bool:
    return obj.group in GROUPS


@dataclass
class CalicoInput:
    """The Calico objects of one cluster that policies refer to."""

    tiers: dict[str, tuple[float, str]] = field(default_factory=dict)
    netsets: list[tuple[str | None, Labels, IPSet]] = field(default_factory=list)  # (namespace or None, labels, nets)
    host_endpoints: list[Labels] = field(default_factory=list)


def read_objects(objects: list[K8sObject]) -> CalicoInput:
    out = CalicoInput()
    for o in objects:
        if not is_calico(o):
            continue
        if o.kind == "Tier":
            order = o.spec.get("order")
            order = float(order) if isinstance(order, (int, float)) and not isinstance(order, bool) else 1_000_000.0
            out.tiers[o.name] = (order, "Pass" if o.spec.get("defaultAction") == "Pass" else "Deny")
        elif o.kind in ("NetworkSet", "GlobalNetworkSet"):
            nets = IPSet()
            for n in o.spec.get("nets") or []:
                try:
                    nets = nets | IPSet.parse(str(n))
                except ValueError:
                    continue
            out.netsets.append((o.namespace if o.kind == "NetworkSet" else None,
                                {str(k): str(v) for k, v in o.labels.items()}, nets))
        elif o.kind == "HostEndpoint":
            out.host_endpoints.append({str(k): str(v) for k, v in o.labels.items()})
    return out


def policy_objects(objects: list[K8sObject]) -> list[K8sObject]:
    """Calico policies to evaluate: the v3 API when present (it serves the same objects as the CRDs)."""
    pols = [o for o in objects if is_calico(o) and o.kind in POLICY_KINDS]
    if any(o.group == "projectcalico.org" for o in pols):
        pols = [o for o in pols if o.group == "projectcalico.org"]
    return pols


# --- policies -----------------------------------------------------------------------------

class _Ctx:
    def __init__(self) -> None:
        self.problems: list[tuple[Path, str]] = []
        self.notes: list[tuple[Path, str]] = []

    def selector(self, text: Any, path: Path) -> Selector | None:
        if text is None or (isinstance(text, str) and not text.strip()):
            return None
        try:
            return parse_selector(str(text))
        except SelectorError as exc:
            self.problems.append((path, f"invalid selector: {exc}"))
            return None


def _cell_labels(cells: Any) -> list[Labels]:
    """Per cell: pod labels plus the ones Calico adds (computed once per cells)."""
    out = cells.__dict__.get("_calico_labels")
    if out is None:
        out = cells.__dict__["_calico_labels"] = [
            {**dict(key[1]), "projectcalico.org/namespace": key[0], "projectcalico.org/orchestrator": "k8s"}
            for key in cells.keys]
    return out


def _ns_labels(cells: Any, ns: str) -> Labels:
    return {**cells.ns_labels.get(ns, {}), "projectcalico.org/name": ns}


def _pod_bits(cells: Any, sel: Selector | None, not_sel: Selector | None, ns_sel: Selector | None,
              scope: str | None, nets: IPSet | None, not_nets: IPSet | None) -> int | tuple[int, int]:
    """Pod cells (not hostNetwork) matching every given part of an entity rule (cached per cells and parts); with
    ``nets``/``notNets``, ``(surely, maybe)`` when pods whose IP is not in the input may or may not match."""
    if ns_sel is not None and ns_sel.is_global:
        return 0
    cache = cells.__dict__.setdefault("_calico", {})
    key = tuple(x.text if isinstance(x, Selector) else x for x in (sel, not_sel, ns_sel, scope, nets, not_nets))
    hit = cache.get(key)
    if hit is None:
        hit = cache[key] = _match_cells(cells, sel, not_sel, ns_sel, scope, nets, not_nets)
    return hit


def _match_cells(cells: Any, sel: Selector | None, not_sel: Selector | None, ns_sel: Selector | None,
                 scope: str | None, nets: IPSet | None, not_nets: IPSet | None) -> int | tuple[int, int]:
    if ns_sel is not None:  # namespaces first: a selector is evaluated once per namespace, not per pod
        candidates = 0
        for ns in cells.ns_labels:
            if ns_sel.match(_ns_labels(cells, ns)):
                candidates |= cells.ns_bits.get(ns, 0)
    else:
        candidates = cells.all if scope is None else cells.ns_bits.get(scope, 0)
    candidates &= ~cells.host_bits
    labels = _cell_labels(cells)
    bits = maybe = 0
    unknown = _unknown_ip(cells, nets, not_nets) if nets is not None or not_nets is not None else None
    while candidates:
        low = candidates & -candidates
        candidates ^= low
        c = low.bit_length() - 1
        lab = labels[c]
        if sel is not None and not sel.match(lab) or not_sel is not None and not_sel.match(lab):
            continue
        if unknown is not None:
            ip = cells.pods[c][0].ip
            if not ip or low & cells.no_ip_bits:  # the pod's IP is not in the input: where can it be?
                if unknown == "maybe":
                    maybe |= low
                if unknown != "yes":
                    continue
            else:
                try:
                    inside = (nets is None or nets.contains(ip)) and (not_nets is None or not not_nets.contains(ip))
                except ValueError:
                    inside = False
                if not inside:
                    continue
        bits |= low
    return (bits, maybe) if maybe else bits


def _unknown_ip(cells: Any, nets: IPSet | None, not_nets: IPSet | None) -> str:
    """Whether a pod whose IP is not in the input is inside ``nets`` minus ``notNets``: yes, no or maybe (its IP
    lies in ``cells.addresses.space``, see network.PodAddresses)."""
    space = cells.addresses.space
    inside = space if nets is None else space & nets
    if not_nets is not None:
        inside = inside - not_nets
    return "no" if not inside else "yes" if inside.covers(space) else "maybe"


def _nets(ctx: _Ctx, raw: Any, path: Path) -> IPSet | None:
    if raw is None:
        return None
    out = IPSet()
    for k, n in enumerate(raw if isinstance(raw, list) else []):
        try:
            out = out | IPSet.parse(str(n))
        except ValueError as exc:
            ctx.problems.append((path + (k,), f"invalid CIDR {n!r}: {exc}"))
    return out


def _ports(ctx: _Ctx, raw: Any, protocols: tuple[str, ...], path: Path) -> tuple[PortEntry, ...]:
    out = []
    for k, p in enumerate(raw if isinstance(raw, list) else []):
        ppath = path + (k,)
        for proto in protocols:
            if isinstance(p, int) and not isinstance(p, bool) and 1 <= p <= 65535:
                out.append(PortEntry(ppath, proto, p))
            elif isinstance(p, str) and re.fullmatch(r"\d+:\d+", p):
                lo, hi = (int(x) for x in p.split(":"))
                if not 1 <= lo <= hi <= 65535:
                    ctx.problems.append((ppath, f"invalid port range {p!r}"))
                    break
                out.append(PortEntry(ppath, proto, lo, hi))
            elif isinstance(p, str) and re.fullmatch(r"\d+", p) and 1 <= int(p) <= 65535:
                out.append(PortEntry(ppath, proto, int(p)))
            elif isinstance(p, str) and p:
                out.append(PortEntry(ppath, proto, name=p))
            else:
                ctx.problems.append((ppath, f"invalid port {p!r}"))
                break
    return tuple(out)


def _protocol(ctx: _Ctx, value: Any, path: Path) -> str | None:
    if value is None:
        return None
    v = _PROTOCOLS.get(value.upper() if isinstance(value, str) else value)
    if v is not None:
        return v
    if value in _OTHER_PROTOCOLS or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 255):
        return "other"
    ctx.problems.append((path, f"invalid protocol {value!r}"))
    return "other"


@dataclass(frozen=True)
class _Scope:
    namespace: str | None  # the policy's namespace; None for a GlobalNetworkPolicy
    calico: CalicoInput


def _peer(ctx: _Ctx, raw: dict, path: Path, scope: _Scope) -> tuple[Peer, str]:
    """An entity rule (source of an ingress rule, destination of an egress rule) as a peer; its undecided reason."""
    sel = ctx.selector(raw.get("selector"), path + ("selector",))
    not_sel = ctx.selector(raw.get("notSelector"), path + ("notSelector",))
    ns_sel = ctx.selector(raw.get("namespaceSelector"), path + ("namespaceSelector",))
    nets = _nets(ctx, raw.get("nets"), path + ("nets",))
    not_nets = _nets(ctx, raw.get("notNets"), path + ("notNets",))
    why = ""
    if any(s is not None and _SA_LABEL in s.keys for s in (sel, not_sel)):
        why = "the selector reads service-account labels, which are not modelled"
    for key in ("serviceAccounts", "services"):
        if raw.get(key):
            why = why or f"{key} matches are not modelled"
    labelled = sel is not None or not_sel is not None or ns_sel is not None
    text = " ".join(f"{k} {raw[k]!s}" for k in ("namespaceSelector", "selector", "notSelector", "nets", "notNets")
                    if raw.get(k) is not None) or "any endpoint or address"
    # addresses: nets (minus notNets) when no selector; with selectors, the network sets they select
    if not labelled:  # addresses only: pods, nodes and the outside alike, by IP
        if nets is None and not_nets is None:
            return Peer(path, "all", text=text, undecided=why), why
        ips = (nets if nets is not None else ALL_IPS) - (not_nets or IPSet())
        return Peer(path, "sel", ipset=ips, pod_ips=True, text=text, undecided=why), why
    ips = IPSet()
    for ns, labels, set_nets in scope.calico.netsets:
        if ns_sel is not None:
            ok = ns is None if ns_sel.is_global else ns is not None and ns_sel.match(
                {**labels, "projectcalico.org/name": ns})
        else:
            ok = scope.namespace is None or ns == scope.namespace
        if ok and (sel is None or sel.match(labels)) and (not_sel is None or not not_sel.match(labels)):
            ips = ips | set_nets
    if nets is not None:
        ips = ips & nets
    if not_nets is not None:
        ips = ips - not_nets
    hosts = ""
    if scope.calico.host_endpoints and any((sel is None or sel.match(h)) and (not_sel is None or not not_sel.match(h))
                                           for h in scope.calico.host_endpoints):
        hosts, why = "any", why or "the selector matches host endpoints (node traffic), which are not modelled"
    return Peer(path, "sel", ipset=ips or None, pod_ips=True, text=text, nets=nets, hosts=hosts, undecided=why,
                sel=lambda cells: _pod_bits(cells, sel, not_sel, ns_sel, scope.namespace, nets, not_nets)), why


def _own_side(ctx: _Ctx, raw: dict, path: Path, scope: _Scope) -> tuple[Callable | None, str]:
    """The rule's restriction of the policy's own pods (ingress: destination, egress: source)."""
    sel = ctx.selector(raw.get("selector"), path + ("selector",))
    not_sel = ctx.selector(raw.get("notSelector"), path + ("notSelector",))
    ns_sel = ctx.selector(raw.get("namespaceSelector"), path + ("namespaceSelector",))
    why = ""
    if raw.get("nets") is not None or raw.get("notNets") is not None:
        why = "nets on the policy's own side of a rule are not modelled"
    for key in ("serviceAccounts", "services"):
        if raw.get(key):
            why = why or f"{key} matches are not modelled"
    if sel is None and not_sel is None and ns_sel is None:
        return None, why
    return (lambda cells: _pod_bits(cells, sel, not_sel, ns_sel, None, None, None)), why


def _rule(ctx: _Ctx, raw: Any, path: Path, index: int, direction: str, scope: _Scope) -> PolicyRule:
    if not isinstance(raw, dict):
        ctx.problems.append((path, "rule must be a mapping"))
        return PolicyRule(path, index, (), (), "Deny")
    action = raw.get("action")
    if action not in ("Allow", "Deny", "Log", "Pass"):
        ctx.problems.append((path + ("action",), "action must be Allow, Deny, Log or Pass"))
        action = "Deny"
    why = ""
    if raw.get("http"):
        why = "http matches are L7 and are not decided statically"
    if raw.get("ipVersion") is not None:
        why = why or f"the rule matches IPv{raw['ipVersion']} only; pod address families are not modelled"
    proto = _protocol(ctx, raw.get("protocol"), path + ("protocol",))
    not_proto = _protocol(ctx, raw.get("notProtocol"), path + ("notProtocol",))
    peer_key, own_key = ("source", "destination") if direction == "ingress" else ("destination", "source")
    peer_raw = raw.get(peer_key) if isinstance(raw.get(peer_key), dict) else {}
    own_raw = raw.get(own_key) if isinstance(raw.get(own_key), dict) else {}
    dst_raw = raw.get("destination") if isinstance(raw.get("destination"), dict) else {}
    src_raw = raw.get("source") if isinstance(raw.get("source"), dict) else {}
    if src_raw.get("ports") or src_raw.get("notPorts"):
        why = why or "source ports are not modelled (clients use ephemeral ports)"
    peer, peer_why = _peer(ctx, peer_raw, path + (peer_key,), scope)
    subject, own_why = _own_side(ctx, own_raw, path + (own_key,), scope)
    why = why or own_why
    protocols = ("TCP", "UDP", "SCTP") if proto is None else (proto,) if proto != "other" else ()
    if not_proto is not None and not_proto != "other":
        protocols = tuple(p for p in protocols if p != not_proto)
    ports: tuple[PortEntry, ...] | None
    if dst_raw.get("ports") is not None:
        if proto not in ("TCP", "UDP", "SCTP"):
            ctx.problems.append((path + ("destination", "ports"), "ports need protocol TCP, UDP or SCTP"))
        ports = _ports(ctx, dst_raw["ports"], protocols, path + ("destination", "ports"))
    elif proto is None and not_proto is None:
        ports = None
    else:
        ports = tuple(PortEntry(path + ("protocol" if proto else "notProtocol",), p) for p in protocols)
    exclude = _ports(ctx, dst_raw.get("notPorts"), protocols, path + ("destination", "notPorts"))
    peers = None if peer.shape == "all" and not peer_why else (peer,)
    return PolicyRule(path, index, peers, ports, action, exclude=exclude, subject=subject, undecided=why)


def parse_policy(obj: K8sObject, calico: CalicoInput) -> Policy | None:
    """A Calico NetworkPolicy or GlobalNetworkPolicy in the IR; None when it cannot apply to pods."""
    ctx = _Ctx()
    spec = obj.spec if isinstance(obj.spec, dict) else {}
    if spec.get("preDNAT") or spec.get("doNotTrack") or spec.get("applyOnForward") and not spec.get("selector"):
        return None  # host-endpoint policies: they never apply to pods
    glob = obj.kind == "GlobalNetworkPolicy"
    scope = _Scope(None if glob else (obj.namespace or "default"), calico)
    tier = str(spec.get("tier") or DEFAULT_TIER)
    order = spec.get("order")
    order = float(order) if isinstance(order, (int, float)) and not isinstance(order, bool) else math.inf
    sel = ctx.selector(spec.get("selector"), ("spec", "selector"))
    ns_sel = ctx.selector(spec.get("namespaceSelector"), ("spec", "namespaceSelector")) if glob else None
    why = ""
    sa_sel = spec.get("serviceAccountSelector")
    if sa_sel and str(sa_sel).strip() != "all()":
        why = "serviceAccountSelector selects pods by service account, which is not modelled"
    if sel is not None and _SA_LABEL in sel.keys:
        why = why or "the selector reads service-account labels, which are not modelled"
    ingress_raw = spec.get("ingress") if isinstance(spec.get("ingress"), list) else []
    egress_raw = spec.get("egress") if isinstance(spec.get("egress"), list) else []
    types = spec.get("types")
    if not types:  # Calico's client defaulting (libcalico-go defaultPolicyTypesField)
        types = ["Ingress"] if not egress_raw else ["Egress"] if not ingress_raw else ["Ingress", "Egress"]
    if not isinstance(types, list) or any(t not in ("Ingress", "Egress") for t in types):
        ctx.problems.append((("spec", "types"), "types values must be Ingress or Egress"))
        types = []
    rules = {}
    for direction, raw, name in (("ingress", ingress_raw, "Ingress"), ("egress", egress_raw, "Egress")):
        rules[direction] = tuple(_rule(ctx, r, ("spec", direction, i), i, direction, scope)
                                 for i, r in enumerate(raw)) if name in types else ()
        if name not in types and raw:
            ctx.notes.append((("spec", direction), f"{direction} rules are ignored: types does not list {name}"))
    if tier not in calico.tiers and tier != DEFAULT_TIER:
        why = why or f"tier {tier!r} is not in the input, so its order and default action are unknown"

    def select(cells: Any) -> int:
        return _pod_bits(cells, sel, None, ns_sel, scope.namespace, None, None)

    return Policy(obj, obj.kind, None if glob else scope.namespace, obj.name, None, None, "Ingress" in types,
                  "Egress" in types, rules["ingress"], rules["egress"], problems=tuple(ctx.problems),
                  notes=tuple(ctx.notes), tier=tier, order=order, vendor="calico", select=select, undecided=why)

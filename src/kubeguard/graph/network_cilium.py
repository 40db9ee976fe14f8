"""Cilium's own policies (netpol-semantics.md B.2): CiliumNetworkPolicy and
CiliumClusterwideNetworkPolicy (``cilium.io/v2``), translated into the engine's tiered IR.

Cilium evaluates every allow rule of NetworkPolicies, CNPs and CCNPs as one union, and deny rules win
over any allow whatever the policy kind: the deny rules go into a tier of their own before the
default tier.  An endpoint is in default deny for a direction when a policy selecting it has rules
for that direction (``ingress`` or ``ingressDeny``...), unless ``enableDefaultDeny`` says otherwise.

Modelled exactly: ``endpointSelector`` and ``fromEndpoints``/``toEndpoints`` label selectors with
Cilium's keys (``k8s:``/``any:`` prefixes, ``io.kubernetes.pod.namespace``,
``io.cilium.k8s.namespace.labels.*``; a CNP's selectors are limited to its namespace unless they name
one, a CCNP's to pods of any namespace), ``fromEntities``/``toEntities`` (``world``, ``cluster``,
``host``, ``remote-node``, ``all``...), ``fromCIDR``/``fromCIDRSet`` with ``except`` (never matching
pods or nodes), ``toPorts`` ports with ``endPort`` and protocol ``ANY``, named ports, ``icmps`` (no
TCP/UDP/SCTP effect), rules without peers (every peer on their ports) and empty rules (nothing).
Undecided with the reason: L7 ``rules``, ``serverNames``, TLS and ``listener`` settings,
``authentication``, ``toFQDNs``, ``toServices``, ``toGroups``, ``fromNodes``/``toNodes``,
``cidrGroupRef``/``cidrGroupSelector``, ``fromRequires``/``toRequires``, the ``kube-apiserver``
entity, and selectors on service-account or cluster labels.  ``nodeSelector`` (host) policies
apply to nodes, not pods.
"""

from __future__ import annotations

from typing import Any, Callable

from ..model.objects import K8sObject, Path
from ..model.selectors import selector_is_valid, selector_matches
from .network_policy import CILIUM_DENY_TIER, DEFAULT_TIER, Peer, Policy, PolicyRule, PortEntry
from .network_sets import ALL_IPS, IPSet

GROUP = "cilium.io"
KINDS = ("CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy")
_NS_KEY = "io.kubernetes.pod.namespace"
_NS_LABELS = "io.cilium.k8s.namespace.labels."
_UNMODELLED_KEYS = ("io.cilium.k8s.policy.serviceaccount", "io.cilium.k8s.policy.cluster")
_V4, _V6 = IPSet.parse("0.0.0.0/0"), IPSet.parse("::/0")
_L3 = {"ingress": ("fromEndpoints", "fromCIDR", "fromCIDRSet", "fromEntities", "fromNodes", "fromGroups"),
       "egress": ("toEndpoints", "toCIDR", "toCIDRSet", "toEntities", "toNodes", "toGroups", "toFQDNs",
                  "toServices")}
_UNDECIDED_PEERS = {"fromNodes": "fromNodes selects nodes by label, which is not modelled",
                    "toNodes": "toNodes selects nodes by label, which is not modelled",
                    "fromGroups": "fromGroups (cloud security groups) are not modelled",
                    "toGroups": "toGroups (cloud security groups) are not modelled",
                    "toFQDNs": "toFQDNs match the addresses DNS returns at run time",
                    "toServices": "toServices are not modelled"}


def is_cilium(obj: K8sObject) -> bool:
    return obj.group == GROUP and obj.kind in KINDS


def _key(k: str) -> tuple[str, bool]:
    """A selector key as our identity labels name it; False when its source is not modelled."""
    for prefix in ("k8s:", "any:"):
        if k.startswith(prefix):
            k = k[len(prefix):]
    return k, ":" not in k and k not in _UNMODELLED_KEYS


def _normalise(sel: dict) -> tuple[dict, bool, set[str]]:
    """(selector with plain keys, whether every key is modelled, the keys)."""
    ok = True
    keys: set[str] = set()
    labels = {}
    for k, v in (sel.get("matchLabels") or {}).items():
        nk, good = _key(str(k))
        ok &= good
        keys.add(nk)
        labels[nk] = str(v)
    exprs = []
    for e in sel.get("matchExpressions") or []:
        nk, good = _key(str(e.get("key")))
        ok &= good
        keys.add(nk)
        exprs.append({**e, "key": nk})
    return {"matchLabels": labels, "matchExpressions": exprs}, ok, keys


def _identity(cells: Any, c: int) -> dict[str, str]:
    ns = cells.keys[c][0]
    out = dict(cells.keys[c][1])
    out[_NS_KEY] = ns
    for k, v in cells.ns_labels.get(ns, {}).items():
        out[_NS_LABELS + k] = v
    return out


def _matcher(sel: dict, namespace: str | None) -> tuple[Callable[[Any], int], bool]:
    """Bits of the pod cells an endpoint selector matches, and whether it is fully modelled.

    A CNP's selector not naming a namespace is limited to the CNP's; a CCNP's matches pods of any
    namespace (Cilium's getEndpointSelector adds ``io.kubernetes.pod.namespace`` Exists)."""
    norm, ok, keys = _normalise(sel)
    scoped = namespace is not None and _NS_KEY not in keys and not any(k.startswith(_NS_LABELS) for k in keys)

    key = (repr(norm), namespace if scoped else None)

    def bits(cells: Any) -> int:
        cache = cells.__dict__.setdefault("_cilium", {})
        hit = cache.get(key)
        if hit is None:
            hit = 0
            for c in range(cells.n):
                if scoped and cells.keys[c][0] != namespace:
                    continue
                if selector_matches(norm, _identity(cells, c)):
                    hit |= 1 << c
            hit = cache[key] = hit & ~cells.host_bits
        return hit

    return bits, ok


def _entities(names: list, path: Path) -> Peer:
    """fromEntities/toEntities as one peer (entities are ORed)."""
    ips, hosts, pods, why = IPSet(), set(), False, ""
    for e in names:
        e = str(e)
        if e in ("all",):
            return Peer(path, "all", text="entity all")
        if e in ("world", "world-ipv4", "world-ipv6"):
            ips = ips | (_V4 if e == "world-ipv4" else _V6 if e == "world-ipv6" else ALL_IPS)
        elif e == "cluster":
            pods = True
            hosts.update(("local", "remote"))
        elif e == "host":
            hosts.add("local")
        elif e == "remote-node":
            hosts.add("remote")
        elif e == "kube-apiserver":
            why = "the kube-apiserver entity matches the API server's addresses, which are not known here"
            ips = ips | ALL_IPS
            hosts.update(("local", "remote"))
        # init, health, unmanaged, ingress, none: no pod, node or outside address of ours
    host = "any" if {"local", "remote"} <= hosts else next(iter(hosts), "")
    return Peer(path, "sel", ipset=ips or None, pod_ips=False, hosts=host, undecided=why,
                sel=(lambda cells: cells.all & ~cells.host_bits) if pods else None,
                text="entities " + ", ".join(map(str, names)))


def _cidrs(ctx: list, items: list, path: Path, with_except: bool) -> tuple[IPSet, str]:
    out, why = IPSet(), ""
    for k, item in enumerate(items):
        if with_except:
            if not isinstance(item, dict):
                ctx.append((path + (k,), "a CIDR set entry must be a mapping"))
                continue
            if item.get("cidrGroupRef") or item.get("cidrGroupSelector"):
                why = "cidrGroupRef/cidrGroupSelector refer to CiliumCIDRGroups, which are not modelled"
                continue
            cidr, excepts = item.get("cidr"), item.get("except") or []
        else:
            cidr, excepts = item, []
        try:
            block = IPSet.parse(str(cidr))
            for e in excepts:
                block = block - IPSet.parse(str(e))
        except ValueError as exc:
            ctx.append((path + (k,), f"invalid CIDR {cidr!r}: {exc}"))
            continue
        out = out | block
    return out, why


def _ports(ctx: list, to_ports: list, path: Path) -> tuple[tuple[PortEntry, ...] | None, str]:
    """toPorts as port entries (None: every port) and the reason when L7 or TLS settings make it undecided."""
    if not to_ports:
        return None, ""
    entries: list[PortEntry] = []
    why = ""
    for i, pr in enumerate(to_ports):
        if not isinstance(pr, dict):
            ctx.append((path + (i,), "a toPorts entry must be a mapping"))
            continue
        if pr.get("rules"):
            why = why or "L7 rules filter requests after the connection is accepted; not decided statically"
        for key in ("serverNames", "originatingTLS", "terminatingTLS", "listener"):
            if pr.get(key):
                why = why or f"{key} is not decided statically"
        ports = pr.get("ports")
        if not ports:
            return None, why  # a port rule without ports: every port
        for j, p in enumerate(ports):
            ppath = path + (i, "ports", j)
            if not isinstance(p, dict):
                ctx.append((ppath, "a port must be a mapping"))
                continue
            proto = str(p.get("protocol") or "ANY").upper()
            protos = ("TCP", "UDP", "SCTP") if proto == "ANY" else (proto,)
            if proto not in ("ANY", "TCP", "UDP", "SCTP"):
                ctx.append((ppath + ("protocol",), f"unsupported protocol {proto!r}"))
                continue
            port, end = str(p.get("port", "0")), p.get("endPort")
            for pro in protos:
                if port.isdigit():
                    n = int(port)
                    if n == 0:
                        entries.append(PortEntry(ppath, pro))
                    elif 1 <= n <= 65535 and (end is None or isinstance(end, int) and n <= end <= 65535):
                        entries.append(PortEntry(ppath, pro, n, end if end else None))
                    else:
                        ctx.append((ppath, f"invalid port {port}" + (f"-{end}" if end else "")))
                        break
                else:
                    entries.append(PortEntry(ppath, pro, name=port))
    return tuple(entries), why


def _rule(ctx: list, raw: Any, path: Path, index: int, direction: str, namespace: str | None,
          action: str) -> PolicyRule:
    if not isinstance(raw, dict):
        ctx.append((path, "rule must be a mapping"))
        return PolicyRule(path, index, (), (), action)
    l3 = [k for k in _L3[direction] if raw.get(k)]
    if len(l3) > 1:
        ctx.append((path, f"combining {l3[0]} and {l3[1]} in one rule is not supported by Cilium"))
    why = ""
    if raw.get("authentication") and (raw["authentication"] or {}).get("mode") not in (None, "disabled"):
        why = "mutual authentication is required, which is not decided statically"
    for key in ("fromRequires", "toRequires"):
        if raw.get(key):
            why = why or f"{key} is not modelled"
    ports, ports_why = _ports(ctx, raw.get("toPorts") or [], path + ("toPorts",))
    why = why or ports_why
    if raw.get("icmps") and raw.get("toPorts"):
        ctx.append((path, "icmps cannot be combined with toPorts in one rule"))
    if raw.get("icmps") and not raw.get("toPorts"):
        ports = ()  # ICMP only: no TCP, UDP or SCTP traffic
    peers: tuple[Peer, ...] | None
    if not l3:
        if raw.get("toPorts") or raw.get("icmps"):
            peers = None  # L4 only: every peer on these ports
        else:
            peers = ()  # an empty rule allows nothing (it only puts the endpoint into default deny)
    else:
        key = l3[0]
        kpath = path + (key,)
        value = raw[key]
        if key in ("fromEndpoints", "toEndpoints"):
            out = []
            for j, sel in enumerate(value if isinstance(value, list) else []):
                if not selector_is_valid(sel):
                    ctx.append((kpath + (j,), "invalid endpoint selector"))
                    continue
                norm_keys = {str(k) for k in (sel.get("matchLabels") or {})} | {
                    str(e.get("key")) for e in sel.get("matchExpressions") or []}
                reserved = sorted(k for k in norm_keys if k.startswith("reserved:"))
                if reserved:
                    out.append(_entities([k.split(":", 1)[1] for k in reserved], kpath + (j,)))
                    continue
                bits, ok = _matcher(sel, namespace)
                out.append(Peer(kpath + (j,), "sel", sel=bits, text=f"endpoints {sel}",
                                undecided="" if ok else "the selector reads labels that are not modelled "
                                                        "(service account, cluster or another source)"))
            peers = tuple(out)
        elif key in ("fromEntities", "toEntities"):
            peers = (_entities(value if isinstance(value, list) else [], kpath),)
        elif key in ("fromCIDR", "toCIDR", "fromCIDRSet", "toCIDRSet"):
            ips, cidr_why = _cidrs(ctx, value if isinstance(value, list) else [], kpath, key.endswith("Set"))
            peers = (Peer(kpath, "ip", ipset=ips, pod_ips=False, text=f"{key} {value}", undecided=cidr_why),)
        else:
            candidates = ALL_IPS if key == "toFQDNs" else None
            peers = (Peer(kpath, "sel", ipset=candidates, pod_ips=False, hosts="any" if "Nodes" in key else "",
                          sel=(lambda cells: cells.all & ~cells.host_bits) if key in ("toServices",) else None,
                          text=key, undecided=_UNDECIDED_PEERS[key]),)
    return PolicyRule(path, index, peers, ports, action, undecided=why)


def parse_policies(obj: K8sObject) -> list[Policy]:
    """Each rule of a CNP/CCNP (``spec`` and every ``specs`` entry) as two IR policies: its deny rules in the
    deny tier, its allow rules (with the default-deny switch) in the default tier."""
    namespace = (obj.namespace or "default") if obj.kind == "CiliumNetworkPolicy" else None
    raw = obj.raw
    specs: list[tuple[Path, Any]] = []
    if isinstance(raw.get("spec"), dict):
        specs.append((("spec",), raw["spec"]))
    for i, s in enumerate(raw.get("specs") if isinstance(raw.get("specs"), list) else []):
        specs.append((("specs", i), s))
    out: list[Policy] = []
    for base, spec in specs:
        problems: list[tuple[Path, str]] = []
        if not isinstance(spec, dict):
            continue
        if spec.get("nodeSelector") is not None:
            continue  # host policies apply to nodes
        sel = spec.get("endpointSelector")
        if not isinstance(sel, dict) or not selector_is_valid(sel):
            problems.append((base + ("endpointSelector",), "endpointSelector is required and must be a label selector"))
            sel = {}
        select, ok = _matcher(sel, namespace)
        undecided = "" if ok else "the endpointSelector reads labels that are not modelled (service account, cluster...)"
        rules: dict[str, tuple[PolicyRule, ...]] = {}
        for key, direction, action in (("ingress", "ingress", "Allow"), ("egress", "egress", "Allow"),
                                       ("ingressDeny", "ingress", "Deny"), ("egressDeny", "egress", "Deny")):
            items = spec.get(key) if isinstance(spec.get(key), list) else []
            rules[key] = tuple(_rule(problems, r, base + (key, i), i, direction, namespace, action)
                               for i, r in enumerate(items))
        default_deny = spec.get("enableDefaultDeny") if isinstance(spec.get("enableDefaultDeny"), dict) else {}
        isolates = {d: default_deny.get(d) if isinstance(default_deny.get(d), bool)
                    else bool(rules[d] or rules[d + "Deny"]) for d in ("ingress", "egress")}
        common = dict(problems=tuple(problems), vendor="cilium", select=select, undecided=undecided)
        name = obj.name if base == ("spec",) else f"{obj.name}[{base[1]}]"
        out.append(Policy(obj, obj.kind, namespace, name, None, None, isolates["ingress"], isolates["egress"],
                          rules["ingress"], rules["egress"], tier=DEFAULT_TIER, order=1000.0, **common))
        if rules["ingressDeny"] or rules["egressDeny"]:
            out.append(Policy(obj, obj.kind, namespace, name, None, None, False, False, rules["ingressDeny"],
                              rules["egressDeny"], tier=CILIUM_DENY_TIER, order=0.0, **common))
    return out

"""Why a connection is allowed, denied or undecided: the deciding policies and rules, per direction.

The verdict comes from the reachability engine (:mod:`.network`); this module
walks the same tiers (admin -> NetworkPolicy and the CNI's own policies ->
baseline) for one pair of endpoints and names the policy, rule, peer and port
entry behind each step.  When the CNI enforces less than the API, the practice
walk also records where a construct behaved differently and why (a "caveat");
what cannot be decided statically is reported with decision ``undecided``.
"""

from __future__ import annotations

from typing import Callable

from ..model.objects import K8sObject, Path, render_path
from .network import (Endpoint, ExternalEndpoint, NetworkGraph, NodeEndpoint, PodAddresses, PodEndpoint, Reason,
                      TierSel, Verdict, _act, _Evaluator)
from .network_policy import Peer, Policy, PolicyRule, PortEntry
from .network_sets import ALL_IPS, NO_PORTS, IPSet, PortSet

Locate = Callable[[K8sObject, Path], "int | None"]


def query_ports(dst: Endpoint, protocol: str, port: int | str | None) -> tuple[PortSet, str]:
    """The port set asked about and how to say it; a named port resolves on the destination pod."""
    protocol = protocol.upper()
    if port is None:
        return PortSet.of(protocol), f"{protocol} (any port)"
    if isinstance(port, str) and not port.isdigit():
        if not isinstance(dst, PodEndpoint):
            raise ValueError(f"port name {port!r} needs a pod as destination")
        nums = [n for name, proto, n in dst.ports if name == port and proto == protocol]
        if not nums:
            raise ValueError(f"{dst} has no {protocol} container port named {port!r}")
        return PortSet.of(protocol, nums[0]), f"{protocol}/{nums[0]} ({port})"
    n = int(port)
    if not 1 <= n <= 65535:
        raise ValueError(f"port {n} is outside 1-65535")
    return PortSet.of(protocol, n), f"{protocol}/{n}"


def _addresses(e: Endpoint) -> IPSet | None:
    if isinstance(e, PodEndpoint):
        try:
            return IPSet.parse(e.ip) if e.ip else None
        except ValueError:
            return None
    return e.ips


class _Walk:
    def __init__(self, g: NetworkGraph, ev: _Evaluator, spec: _Evaluator | None, locate: Locate | None):
        self.g, self.ev, self.spec_ev, self.locate = g, ev, spec, locate
        self.reasons: list[Reason] = []

    def reason(self, direction: str, decision: str, message: str, q: Policy | None = None,
               path: Path | None = None) -> None:
        file = line = None
        if q is not None:
            file = q.obj.source.file
            line = self.locate(q.obj, path or ()) if self.locate is not None else q.obj.source.line
        r = Reason(direction, decision, message, q.ref if q else None, render_path(path) if path else None, file, line)
        if r not in self.reasons:
            self.reasons.append(r)

    def caveat(self, q: Policy, path: Path, switch: str) -> None:
        self.reason("cni", "caveat", f"{q.ref} {render_path(path)}: {self.ev.profile.reason(switch)}", q, path)

    # --- matching -------------------------------------------------------------------------
    def peer_hit(self, ev: _Evaluator, q: Policy, peer: Peer, other: Endpoint, node: str | None) -> tuple[bool, bool]:
        """(surely matches, may match) ``other`` as ``peer`` of ``q``."""
        if isinstance(other, PodEndpoint) and not (other.host_network and _addresses(other) is not None):
            cell = self.g.cells.cell_of[id(other)]
            sure, maybe = ev.peer_match(q, peer)
            return bool(sure >> cell & 1), bool(maybe >> cell & 1)
        ips = _addresses(other) or ALL_IPS
        sure_ips, maybe_ips = ev.peer_ips(peer, node)
        return bool(sure_ips & ips), bool(maybe_ips & ips)

    def matching_peer(self, q: Policy, rule: PolicyRule, other: Endpoint,
                      node: str | None) -> tuple[Peer | bool | None, bool]:
        """(the first matching peer -- True when the rule has no peer list, None when none matches, whether the
        match is only possible)."""
        if rule.peers is None:
            return True, False
        maybe_peer = None
        for peer in rule.peers:
            sure, maybe = self.peer_hit(self.ev, q, peer, other, node)
            if self.spec_ev is not None and not q.vendor:
                spec_hit = self.peer_hit(self.spec_ev, q, peer, other, node)
                if (sure, maybe) != spec_hit and peer.shape == "ip":
                    pods_or_nodes = isinstance(other, (PodEndpoint, NodeEndpoint))
                    self.caveat(q, peer.path, "ipblock_matches_pod_ips" if pods_or_nodes else "metadata_except_enforced")
            if sure:
                return peer, False
            if maybe and maybe_peer is None:
                maybe_peer = peer
        if maybe_peer is not None and self.ev.addresses_cover(rule):
            # the rule's address peers together hold every address a pod without a known IP can get
            first = next((p for p in rule.peers if _unknown_ip(p, other)), None)
            if first is not None:
                return first, False
        return (maybe_peer, True) if maybe_peer is not None else (None, False)

    def _pod_peer_hit(self, q: Policy, rule: PolicyRule, other: Endpoint, node: str | None) -> bool:
        return any(p.shape == "pods" and any(self.peer_hit(self.ev, q, p, other, node)) for p in rule.peers or ())

    def entry_ports(self, q: Policy, e: PortEntry, dst_ports, want: PortSet) -> PortSet:
        got = self.ev.entry_ports(e, dst_ports) & want
        if self.spec_ev is not None:
            spec = self.spec_ev.entry_ports(e, dst_ports) & want
            if bool(spec) != bool(got):
                if e.name is not None and not self.ev.named_ports:
                    self.caveat(q, e.path, "named_ports")
                elif e.protocol == "SCTP" and not self.ev.sctp:
                    self.caveat(q, e.path, "sctp")
                elif e.end_port is not None:
                    self.caveat(q, e.path + ("endPort",), "endport")
        if e.end_port is not None and self.ev.profile.endport_unknown and got:
            msg = f"{q.ref} {render_path(e.path)}: {self.ev.profile.reason('endport_unknown')}"
            self.reason("cni", "info", msg, q, e.path)
        return got

    def rule_ports(self, q: Policy, rule: PolicyRule, dst_ports, want: PortSet,
                   named: bool = True) -> tuple[PortSet, PortEntry | None]:
        if rule.ports is None:
            out, first = want, None
        else:
            out, first = NO_PORTS, None
            for e in rule.ports:
                if e.name is not None and not named:
                    self.caveat(q, e.path, "named_ports_need_pods")
                    continue
                got = self.entry_ports(q, e, dst_ports, want)
                if got and first is None:
                    first = e
                out = out | got
        for e in rule.exclude:
            out = out - e.resolve(dst_ports)
        return out, first

    # --- one direction ------------------------------------------------------------------------
    def side(self, direction: str, subject: PodEndpoint, other: Endpoint, want: PortSet, what: str,
             node: str | None) -> PortSet:
        """Ports of ``want`` this direction allows (in the evaluator's bound); appends the reasons."""
        g, ev = self.g, self.ev
        cell = g.cells.cell_of[id(subject)]
        dst = subject if direction == "ingress" else other
        dst_ports = dst.ports if isinstance(dst, PodEndpoint) else None
        arrow = f"from {other}" if direction == "ingress" else f"to {other}"
        if not ev.enforces:
            self.reason("cni", "caveat", ev.profile.reason("enforces"))
            return want
        if subject.host_network:
            self.reason(direction, "not-isolated", f"{subject} uses hostNetwork: NetworkPolicies do not select it; "
                                                   f"its traffic is node traffic (NP-48)")
            return want
        tiers = ev.tiers_for(cell, direction)
        if self.spec_ev is not None:
            spec_selected = self.spec_ev.policies_for(cell, direction)
            for switch, dropped in (("standalone_pods_protected", subject.standalone
                                     and not ev.profile.standalone_pods_protected),
                                    ("ec2_linux_only", subject.unprotected and ev.profile.ec2_linux_only)):
                for q in spec_selected if dropped else ():
                    self.caveat(q, ("spec",), switch)
            if not ev.profile.admin_policies:
                for q in spec_selected:
                    if not q.is_np:
                        self.caveat(q, ("spec",), "admin_policies")
        if not tiers:
            self.reason(direction, "not-isolated", f"no policy selects {subject} for {direction}, so all "
                                                   f"{direction} is allowed (NP-01)")
            return want
        open_ports, allowed = want, NO_PORTS
        for t in tiers:
            if not open_ports:
                break
            passed = NO_PORTS
            union = all(q.is_np for q in t.policies)
            misses: list[str] = []
            for q in t.policies:
                for rule in q.rules(direction):
                    if not open_ports:
                        break
                    if not ev.rule_applies(rule, cell):
                        continue
                    peer, maybe = self.matching_peer(q, rule, other, node)
                    rdst = ev.ingress_sig(q, cell) if direction == "ingress" else dst_ports
                    named = not ev.profile_named_pods or q.vendor != "" or self._pod_peer_hit(q, rule, other, node)
                    ports, entry = self.rule_ports(q, rule, rdst, open_ports, named)
                    if peer is None or not ports:
                        if union:
                            misses.append(f"{render_path(rule.path)} of {q.name}: " + (
                                f"no peer matches {other}" if peer is None else
                                f"ports {', '.join(str(e) for e in rule.ports or ())} do not include {what}"))
                        continue
                    why, where = "", rule.path
                    if maybe:
                        why = next((p.undecided for p in rule.peers or () if p.undecided), "")
                        if not why and isinstance(peer, Peer) and _unknown_ip(peer, other):
                            why, where = _ip_block_why(q, peer, other, g.addresses), _peer_field(q, peer)
                        why = why or "whether the node is the pod's own is not known"
                    why = why or rule.undecided or q.undecided or (
                        not q.vendor and ev.over_limit(cell, direction)
                        and ev.profile.reason("port_limit", count="entries"))
                    if why:
                        self.reason(direction, "undecided", f"{q.ref} {render_path(where)} ({rule.action}) may "
                                                            f"match {what} {arrow}: {why}", q, where)
                    action = _act(rule.action, bool(why), ev.bound)
                    if action is None:
                        continue
                    self._decided(direction, t, q, rule, action, what, arrow, peer, entry, subject, union)
                    if action == "Allow":
                        allowed = allowed | ports
                    elif action == "Pass":
                        passed = passed | ports
                    open_ports = open_ports - ports
            if t.isolating and t.default == "Deny" and open_ports:
                names = ", ".join(q.ref for q in t.policies)
                if union:
                    detail = "; ".join(misses[:6]) + (f"; ... {len(misses) - 6} more" if len(misses) > 6 else "")
                    if not any(q.rules(direction) for q in t.policies):
                        detail = f"they have no {direction} rules (deny all {direction})"
                    self.reason(direction, "deny", f"{subject} is isolated for {direction} by {names}; none of their "
                                                   f"rules allows {what} {arrow}" + (f" ({detail})" if detail else ""),
                                t.policies[0], ("spec", "podSelector") if t.policies[0].is_np else ("spec",))
                else:
                    self.reason(direction, "deny", f"tier {t.name} selects {subject} for {direction} ({names}) and no "
                                                   f"rule decided {what} {arrow}, so its default action Deny applies",
                                t.policies[0], ("spec",))
                open_ports = NO_PORTS
            open_ports = open_ports | passed
        if open_ports:
            self.reason(direction, "not-isolated", f"no tier decided {what} {arrow} for {subject}, so it is allowed")
        return allowed | open_ports

    def _decided(self, direction: str, t: TierSel, q: Policy, rule: PolicyRule, action: str, what: str, arrow: str,
                 peer: Peer | bool | None, entry: PortEntry | None, subject: PodEndpoint, union: bool) -> None:
        if union:
            self.reason(direction, "allow", f"{q.ref} {render_path(rule.path)} allows {what} {arrow}"
                                            f"{_via(peer, entry)}", q, rule.path)
            return
        prio = f" (priority {q.priority})" if q.kind in ("AdminNetworkPolicy", "ClusterNetworkPolicy") else \
            f" (tier {q.tier}, order {q.order:g})" if q.vendor == "calico" else ""
        tail = {"Pass": ", so the next tier decides",
                "Deny": " (deny rules win over every allow)" if q.vendor == "cilium" else ""}.get(action, "")
        if q.kind == "BaselineAdminNetworkPolicy" or q.tier == "kube-baseline":
            tail += f" (no NetworkPolicy selects {subject})"
        self.reason(direction, action.lower(), f"{q.ref}{prio} {render_path(rule.path)} {action}s {what} {arrow}"
                                               f"{_via(peer, entry)}{tail}", q, rule.path)


def _unknown_ip(peer: Peer, other: Endpoint) -> bool:
    """Whether ``peer`` may match ``other`` only because it names addresses and ``other`` is a pod whose IP the
    input does not give."""
    return peer.ipset is not None and isinstance(other, PodEndpoint) and not other.host_network \
        and _addresses(other) is None


def _peer_field(q: Policy, peer: Peer) -> Path:
    return peer.path + ("ipBlock",) if q.is_np and peer.shape == "ip" else peer.path


def _ip_block_why(q: Policy, peer: Peer, pod: PodEndpoint, addresses: PodAddresses) -> str:
    """Why an address peer may or may not cover a pod without a known IP (a template pod, a pod not started)."""
    block = f"ipBlock {peer.text}" if q.is_np and peer.shape == "ip" else peer.text
    has = "a template pod gets one when it starts" if pod.synthesized else "no status.podIP yet"
    return (f"{block} covers only part of the addresses that pod can have, and its IP is not in the input ({has}); "
            f"{addresses.why}")


def _via(peer: Peer | bool | None, entry: PortEntry | None) -> str:
    parts = []
    if isinstance(peer, Peer):
        parts.append(f"{render_path(peer.path[-2:])} ({peer.text})")
    else:
        parts.append("any peer")
    parts.append(f"{render_path(entry.path[-2:])} ({entry})" if entry is not None else "any port")
    return " via " + " and ".join(parts)


def walk(g: NetworkGraph, src: Endpoint, dst: Endpoint, want: PortSet, what: str, practice: bool,
         locate: Locate | None = None, high: bool = False) -> tuple[PortSet, list[Reason]]:
    """Walk both directions for ``want``; returns the ports the walk allows (the low bound, or the high one
    with ``high``) and its reasons."""
    lo, hi = g._evs(practice)
    spec_lo = g.spec_hi if high else g.spec
    w = _Walk(g, hi if high else lo, spec_lo if practice and g.practice is not g.spec else None, locate)
    if isinstance(src, PodEndpoint) and src is dst:
        w.reason("egress", "allow", f"{src} talks to itself: a pod cannot block access to itself (NP-46)")
        return want, w.reasons
    side, rel = g.node_relation(src, dst)
    node = (rel or "unknown") if side else None
    if side:
        node_ep, pod = (src, dst) if side == "src" else (dst, src)
        exempt = g.profile.node_egress_allowed if practice else True
        if rel == "local" and (side == "src" or exempt):
            w.reason("ingress" if side == "src" else "egress", "allow",
                     f"{node_ep} is the node {pod} runs on: traffic {'from' if side == 'src' else 'to'} it is always "
                     f"allowed (NP-47)")
            return want, w.reasons
        if rel == "local":
            w.reason("egress", "undecided", f"{node_ep} is the node {pod} runs on; "
                                            + g.profile.reason("node_egress"))
        elif rel is None:
            w.reason("ingress" if side == "src" else "egress", "undecided",
                     f"whether {node_ep} is the node {pod} runs on is not known (a template pod has no node): "
                     f"traffic from a pod's own node is always allowed (NP-47)")
    out = want
    if isinstance(src, PodEndpoint):
        out = out & w.side("egress", src, dst, want, what, node)
    elif isinstance(src, NodeEndpoint):
        w.reason("egress", "not-isolated", f"{src} is a node: no egress policy applies to it (NP-48)")
    else:
        w.reason("egress", "not-isolated", f"{src} is outside the pod network: no egress policy applies (NP-45)")
    if isinstance(dst, PodEndpoint):
        out = out & w.side("ingress", dst, src, want, what, node)
    elif isinstance(dst, NodeEndpoint):
        w.reason("ingress", "not-isolated", f"{dst} is a node: no ingress policy applies to it (NP-48)")
    else:
        w.reason("ingress", "not-isolated", f"{dst} is outside the pod network: no ingress policy applies (NP-44)")
    return out, w.reasons


def _state(lo: PortSet, undecided: PortSet, want: PortSet) -> tuple[bool, bool]:
    allowed = bool(lo & want)
    return allowed, not allowed and bool(undecided & want)


def explain(g: NetworkGraph, src: Endpoint, dst: Endpoint, protocol: str = "TCP", port: int | str | None = None,
            locate: Locate | None = None) -> Verdict:
    """The verdict for one connection with the reasons in both directions (CNI caveats, undecided parts)."""
    want, what = query_ports(dst, protocol, port)
    spec_lo, spec_u = g.ports(src, dst, False)
    spec_allowed, spec_undecided = _state(spec_lo, spec_u, want)
    lo, u = g.ports(src, dst, True)
    allowed, undecided = _state(lo, u, want)
    practice_differs = g.practice is not g.spec and (allowed, undecided) != (spec_allowed, spec_undecided)
    # the CNI's own policies decide in practice only: their walk explains even an answer the spec shares
    practice_walk = practice_differs or (g.practice is not g.spec and g.practice.has_vendor)
    _, reasons = walk(g, src, dst, want, what, practice=practice_walk, locate=locate)
    if practice_differs:
        state = "undecided" if undecided else "allowed" if allowed else "denied"
        spec_state = "undecided" if spec_undecided else "allowed" if spec_allowed else "denied"
        head = Reason("cni", "caveat", f"{state} in practice on {g.profile.title}, {spec_state} by the policies as "
                                       f"written")
        reasons = [head] + reasons
    if undecided or spec_undecided:  # the high walk names what could still allow it
        _, more = walk(g, src, dst, want, what, practice=practice_walk, locate=locate, high=True)
        reasons += [r for r in more if r.decision == "undecided" and r not in reasons]
    np32 = _source_rewritten(g, src, dst, want, allowed) if not undecided else []
    if np32:
        undecided, allowed = True, False
        reasons = reasons + np32
    if not allowed:
        reasons += _timing_caveats(g, src, dst)
    return Verdict(allowed, spec_allowed, lo, tuple(reasons), undecided, spec_undecided)


def _source_rewritten(g: NetworkGraph, src: Endpoint, dst: Endpoint, want: PortSet, allowed: bool) -> list[Reason]:
    """NP-32: traffic from outside reaching ``dst`` through a NodePort or LoadBalancer Service may arrive from
    the client, the load balancer or a node (SNAT), depending on plugin, load balancer and
    externalTrafficPolicy.  The answer stands only when every such source gets the same one."""
    if not isinstance(src, ExternalEndpoint) or not isinstance(dst, PodEndpoint) or dst.host_network:
        return []
    from .network_exposure import rewriting_exposures

    paths = rewriting_exposures(g, dst, want)
    if not paths:
        return []
    cell = g.cells.cell_of[id(dst)]
    admitted = IPSet()
    for ips, p in g.practice.ip_partition(cell, "ingress", ALL_IPS):
        if p & want == want:
            admitted = admitted | ips
    everywhere = admitted.covers(ALL_IPS)
    nowhere = not any(p & want for _, p in g.practice_hi.ip_partition(cell, "ingress", ALL_IPS))
    out = []
    for svc, snat in paths:
        if everywhere:
            continue  # every source is admitted
        if not snat and nowhere and not allowed:
            continue  # a proxying load balancer's address is denied like every other
        how = ("externalTrafficPolicy Cluster lets the receiving node SNAT the client to its own address, and a "
               "pod's own node is always admitted (NP-47)") if snat else \
            "a load balancer may proxy the connection, so the pod sees the load balancer's address"
        out.append(Reason("ingress", "undecided", f"{svc.kind} {svc.namespace}/{svc.name} exposes {dst} outside the "
                                                  f"cluster: {how}; which source the ingress policy sees is not "
                                                  f"defined (NP-32)", f"Service/{svc.namespace}/{svc.name}",
                          "spec.externalTrafficPolicy" if snat else "spec.type", svc.source.file, svc.source.line))
    return out


def _timing_caveats(g: NetworkGraph, src: Endpoint, dst: Endpoint) -> list[Reason]:
    """NP-49: answers are the steady state; a denied answer does not hold while the VPC CNI in standard mode
    has not programmed a new pod yet."""
    prof = g.profile
    if prof.enforcing_mode != "standard" or not any(isinstance(e, PodEndpoint) and not e.host_network
                                                    for e in (src, dst)):
        return []
    return [Reason("cni", "caveat", prof.reason("enforcing_mode"))]



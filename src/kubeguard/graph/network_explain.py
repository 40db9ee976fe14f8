"""Why a connection is allowed or denied: the deciding policies and rules, per direction.

The verdict comes from the reachability engine (:mod:`.network`); this module
walks the same layers (ANP -> NetworkPolicy -> BANP) for one pair of endpoints
and names the policy, rule, peer and port entry behind each step.  When the
CNI enforces less than the API, the practice walk also records where a
construct behaved differently and why (a "caveat").
"""

from __future__ import annotations

from typing import Callable

from ..model.objects import K8sObject, Path, render_path
from .network import (ExternalEndpoint, NetworkGraph, PodEndpoint, Reason, Verdict, _Evaluator)
from .network_policy import Peer, Policy, PolicyRule, PortEntry
from .network_sets import NO_PORTS, PortSet

Locate = Callable[[K8sObject, Path], "int | None"]


def query_ports(dst: PodEndpoint | ExternalEndpoint, protocol: str, port: int | str | None) -> tuple[PortSet, str]:
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
        self.reasons.append(Reason(direction, decision, message, q.ref if q else None,
                                   render_path(path) if path else None, file, line))

    def caveat(self, q: Policy, path: Path, switch: str) -> None:
        msg = f"{q.ref} {render_path(path)}: {self.ev.profile.reason(switch)}"
        if not any(r.message == msg for r in self.reasons):
            self.reason("cni", "caveat", msg, q, path)

    # --- matching -------------------------------------------------------------------------
    def peer_matches(self, ev: _Evaluator, q: Policy, peer: Peer, other: PodEndpoint | ExternalEndpoint) -> bool:
        if isinstance(other, PodEndpoint):
            return bool(ev.peer_cells(q, peer) >> self.g.cells.cell_of[id(other)] & 1)
        return bool(ev.peer_ipset(peer) & other.ips)

    def matching_peer(self, q: Policy, rule: PolicyRule, other: PodEndpoint | ExternalEndpoint) -> Peer | None | bool:
        """The first matching peer, True when the rule has no peer list, None when nothing matches."""
        if rule.peers is None:
            return True
        for peer in rule.peers:
            hit = self.peer_matches(self.ev, q, peer, other)
            if self.spec_ev is not None and hit != self.peer_matches(self.spec_ev, q, peer, other):
                if isinstance(other, PodEndpoint) and peer.shape == "ip":
                    self.caveat(q, peer.path, "ipblock_matches_pod_ips")
                elif peer.shape == "ip":
                    self.caveat(q, peer.path, "metadata_except_enforced")
            if hit:
                return peer
        return None

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
            if not any(r.message == msg for r in self.reasons):
                self.reason("cni", "info", msg, q, e.path)
        return got

    def rule_ports(self, q: Policy, rule: PolicyRule, dst_ports, want: PortSet) -> tuple[PortSet, PortEntry | None]:
        if rule.ports is None:
            return want, None
        out, first = NO_PORTS, None
        for e in rule.ports:
            got = self.entry_ports(q, e, dst_ports, want)
            if got and first is None:
                first = e
            out = out | got
        return out, first

    # --- one direction ------------------------------------------------------------------------
    def side(self, direction: str, subject: PodEndpoint, other: PodEndpoint | ExternalEndpoint,
             want: PortSet, what: str) -> PortSet:
        """Ports of ``want`` this direction allows; appends the reasons."""
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
        anps, nps, banps = ev.policies_for(cell, direction)
        if self.spec_ev is not None and subject.standalone and not ev.profile.standalone_pods_protected:
            sa, sn, sb = self.spec_ev.policies_for(cell, direction)
            for q in sa + sn + sb:
                self.caveat(q, ("spec",), "standalone_pods_protected")
        if self.spec_ev is not None and not ev.profile.admin_policies:
            sa, _, sb = self.spec_ev.policies_for(cell, direction)
            for q in sa + sb:
                self.caveat(q, ("spec",), "admin_policies")
        if not (anps or nps or banps):
            self.reason(direction, "not-isolated", f"no policy selects {subject} for {direction}, so all "
                                                   f"{direction} is allowed (NP-01)")
            return want
        undecided, allowed, passed = want, NO_PORTS, NO_PORTS
        for q in anps:
            for rule in q.rules(direction):
                if not undecided:
                    break
                peer = self.matching_peer(q, rule, other)
                if peer is None:
                    continue
                ports, entry = self.rule_ports(q, rule, dst_ports, undecided)
                if not ports:
                    continue
                self.reason(direction, rule.action.lower(),
                            f"{q.ref} (priority {q.priority}) {render_path(rule.path)} {rule.action}s {what} "
                            f"{arrow}{_via(peer, entry)}"
                            + (", so NetworkPolicies decide" if rule.action == "Pass" else ""), q, rule.path)
                if rule.action == "Allow":
                    allowed = allowed | ports
                elif rule.action == "Pass":
                    passed = passed | ports
                undecided = undecided - ports
        rest = undecided | passed
        if not rest:
            return allowed
        return allowed | self._np_or_baseline(direction, subject, other, nps, banps, rest, dst_ports, what, arrow)

    def _np_or_baseline(self, direction: str, subject: PodEndpoint, other: PodEndpoint | ExternalEndpoint,
                        nps: list[Policy], banps: list[Policy], rest: PortSet, dst_ports, what: str,
                        arrow: str) -> PortSet:
        if nps:
            allowed = NO_PORTS
            misses: list[str] = []
            for q in nps:
                for rule in q.rules(direction):
                    peer = self.matching_peer(q, rule, other)
                    ports, entry = self.rule_ports(q, rule, dst_ports, rest)
                    if peer is not None and ports:
                        allowed = allowed | ports
                        self.reason(direction, "allow", f"{q.ref} {render_path(rule.path)} allows {what} "
                                                        f"{arrow}{_via(peer, entry)}", q, rule.path)
                    elif peer is None:
                        misses.append(f"{render_path(rule.path)} of {q.name}: no peer matches {other}")
                    else:
                        misses.append(f"{render_path(rule.path)} of {q.name}: ports "
                                      f"{', '.join(str(e) for e in rule.ports or ())} do not include {what}")
            left = rest - allowed
            if left:
                names = ", ".join(q.ref for q in nps)
                detail = "; ".join(misses[:6]) + (f"; ... {len(misses) - 6} more" if len(misses) > 6 else "")
                if not any(q.rules(direction) for q in nps):
                    detail = f"they have no {direction} rules (deny all {direction})"
                self.reason(direction, "deny", f"{subject} is isolated for {direction} by {names}; none of their "
                                               f"rules allows {what} {arrow}" + (f" ({detail})" if detail else ""),
                            nps[0], ("spec", "podSelector"))
            return allowed
        undecided, allowed = rest, NO_PORTS
        for q in banps:
            for rule in q.rules(direction):
                if not undecided:
                    break
                peer = self.matching_peer(q, rule, other)
                if peer is None:
                    continue
                ports, entry = self.rule_ports(q, rule, dst_ports, undecided)
                if not ports:
                    continue
                self.reason(direction, rule.action.lower(), f"{q.ref} {render_path(rule.path)} {rule.action}s {what} "
                                                            f"{arrow}{_via(peer, entry)} (no NetworkPolicy selects "
                                                            f"{subject})", q, rule.path)
                if rule.action == "Allow":
                    allowed = allowed | ports
                undecided = undecided - ports
        if undecided:
            self.reason(direction, "not-isolated", f"no NetworkPolicy selects {subject} for {direction} and no "
                                                   f"baseline rule matches, so it is allowed")
        return allowed | undecided


def _via(peer: Peer | bool | None, entry: PortEntry | None) -> str:
    parts = []
    if isinstance(peer, Peer):
        parts.append(f"{render_path(peer.path[-2:])} ({peer.text})")
    else:
        parts.append("any peer")
    parts.append(f"{render_path(entry.path[-2:])} ({entry})" if entry is not None else "any port")
    return " via " + " and ".join(parts)


def walk(g: NetworkGraph, src: PodEndpoint | ExternalEndpoint, dst: PodEndpoint | ExternalEndpoint, want: PortSet,
         what: str, practice: bool, locate: Locate | None = None) -> tuple[PortSet, list[Reason]]:
    """Walk both directions for ``want``; returns the ports the walk allows and its reasons."""
    w = _Walk(g, g.practice if practice else g.spec, g.spec if practice and g.practice is not g.spec else None,
              locate)
    if isinstance(src, PodEndpoint) and src is dst:
        w.reason("egress", "allow", f"{src} talks to itself: a pod cannot block access to itself (NP-46)")
        return want, w.reasons
    out = want
    if isinstance(src, PodEndpoint):
        out = out & w.side("egress", src, dst, want, what)
    else:
        w.reason("egress", "not-isolated", f"{src} is outside the pod network: no egress policy applies (NP-45)")
    if isinstance(dst, PodEndpoint):
        out = out & w.side("ingress", dst, src, want, what)
    else:
        w.reason("ingress", "not-isolated", f"{dst} is outside the pod network: no ingress policy applies (NP-44)")
    return out, w.reasons


def explain(g: NetworkGraph, src: PodEndpoint | ExternalEndpoint, dst: PodEndpoint | ExternalEndpoint,
            protocol: str = "TCP", port: int | str | None = None, locate: Locate | None = None) -> Verdict:
    """The verdict for one connection with the reasons in both directions (and CNI caveats)."""
    want, what = query_ports(dst, protocol, port)
    spec_allowed = bool(g.allowed_ports(src, dst, False) & want)
    allowed = spec_allowed
    _, reasons = walk(g, src, dst, want, what, practice=False, locate=locate)
    if g.practice is not g.spec:
        allowed = bool(g.allowed_ports(src, dst, True) & want)
        if allowed != spec_allowed:
            _, practice_reasons = walk(g, src, dst, want, what, practice=True, locate=locate)
            head = Reason("cni", "caveat", f"{'allowed' if allowed else 'denied'} in practice on {g.profile.title}, "
                                           f"{'denied' if allowed else 'allowed'} by the policies as written")
            reasons = [head] + practice_reasons
    return Verdict(allowed, spec_allowed, g.allowed_ports(src, dst, True), tuple(reasons))

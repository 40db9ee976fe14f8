"""Peer tool ids <-> our rule codes, from each rule's ``peers`` metadata (issue 3 §3).

Users migrating from another scanner name checks the way that tool does: ``checkov:CKV_K8S_16``,
``kubescape:C-0057``, ``trivy:KSV-0017`` (also ``KSV017`` or ``AVD-KSV-0017``).  Ids are compared in a
normalised form, so case, zero padding and Trivy's ``AVD-`` prefix do not matter.  One peer id may map to
several of our rules (a broad peer check split into precise ones) and one rule to several peer ids.
"""

from __future__ import annotations

import re
from collections import defaultdict
from ..rules._meta import PEERS
from ..rules._registry import Registry

_NUMBERED = re.compile(r"^(?:AVD-)?(KSV|KCV|C|CKV2?_K8S)[-_]?0*(\d+)$")


def normalise(peer_id: str) -> str:
    """A comparison key: ``KSV017``, ``AVD-KSV-0017`` and ``ksv-0017`` give the same key."""
    s = peer_id.strip().upper()
    m = _NUMBERED.match(s)
    return f"{m.group(1)}#{int(m.group(2))}" if m else s


def split_peer_ref(text: str) -> tuple[str, str] | None:
    """``checkov:CKV_K8S_16`` -> (checkov, CKV_K8S_16); None when the text does not start with a known peer."""
    peer, sep, pid = text.partition(":")
    peer = peer.strip().lower()
    if not sep or peer not in PEERS or not pid.strip():
        return None
    return peer, pid.strip()


class PeerIndex:
    """Both directions of the mapping for one registry."""

    def __init__(self, registry: Registry):
        self._to_rules: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._spelled: dict[tuple[str, str], str] = {}
        for rule in registry:
            for peer, ids in rule.meta.peers.items():
                for pid in ids:
                    key = (peer, normalise(pid))
                    if rule.code not in self._to_rules[key]:
                        self._to_rules[key].append(rule.code)
                    self._spelled.setdefault(key, pid)

    def rules_for(self, peer: str, peer_id: str) -> tuple[str, ...]:
        """Our rule codes equivalent to a peer's check id (empty when none is)."""
        return tuple(self._to_rules.get((peer, normalise(peer_id)), ()))

    def peer_ids(self, peer: str) -> list[str]:
        """Every id of ``peer`` that some rule lists, in the peer's own spelling, sorted naturally."""
        keys = [k for k in self._to_rules if k[0] == peer]
        return [self._spelled[k] for k in sorted(keys, key=lambda k: _natural(k[1]))]

    def resolve(self, text: str) -> tuple[str, ...] | None:
        """``peer:id`` -> rule codes; None when ``text`` is not a peer reference."""
        ref = split_peer_ref(text)
        if ref is None:
            return None
        return self.rules_for(*ref)


def _natural(s: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s))


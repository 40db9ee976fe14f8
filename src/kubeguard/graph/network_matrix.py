"""The reachability matrix at pod, workload or namespace level, and the difference of two matrices.

Built from the engine's rectangles (source cells x destination cells x ports),
so the work is proportional to cells, not to pods squared, until rows are
written out.  At workload and namespace level a pair is allowed on the ports
that any pod pair between the two groups is allowed (the union), and traffic
between different pods of the same group is kept on the diagonal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from .network import NetworkGraph, PodEndpoint, _bits
from .network_sets import NO_PORTS, PROTOCOLS, PortSet

LEVELS = ("pod", "workload", "namespace")


def node_id(pod: PodEndpoint, level: str) -> str:
    if level == "pod":
        return pod.id
    if level == "workload":
        return pod.workload_id
    return pod.namespace


@dataclass
class Matrix:
    level: str
    nodes: list[str]
    namespaces: list[str]  # namespace of each node
    allowed: dict[tuple[int, int], PortSet]  # (src, dst) -> ports, non-empty only
    differs: set[tuple[int, int]] = field(default_factory=set)  # pairs where practice != spec
    undecided: dict[tuple[int, int], PortSet] = field(default_factory=dict)  # ports whose answer cannot be told
    sizes: list[int] = field(default_factory=list)  # pods behind each node
    semantics: str = "spec"
    cni: str = "upstream NetworkPolicy semantics"
    cluster: str = ""

    def ports(self, i: int, j: int) -> PortSet:
        return self.allowed.get((i, j), NO_PORTS)

    def pairs(self) -> Iterator[tuple[int, int]]:
        n = len(self.nodes)
        for i in range(n):
            for j in range(n):
                if i != j or self.has_inner(i):
                    yield i, j

    def has_inner(self, i: int) -> bool:
        """Whether node ``i`` stands for several pods, so traffic among them is a real pair."""
        return self.level != "pod" and bool(self.sizes) and self.sizes[i] > 1

    def rows(self, protocols: tuple[str, ...] = PROTOCOLS) -> Iterator[dict[str, Any]]:
        """The JSON/CSV rows: per pair and protocol, ``port: null`` for every (or no) port, else one row per range."""
        cache: dict[int, tuple[PortSet | None, list[tuple[str, int | None, int | None, bool]]]] = {}
        names = self.nodes
        for i, j in self.pairs():
            p = self.allowed.get((i, j))
            hit = cache.get(id(p))
            if hit is None:  # keep p alive in the cache so its id is not reused
                hit = cache[id(p)] = (p, _parts(p or NO_PORTS, protocols))
            src, dst = names[i], names[j]
            for proto, port, end, ok in hit[1]:
                row = {"src": src, "dst": dst, "port": port, "protocol": proto, "allowed": ok}
                if end is not None:
                    row["endPort"] = end
                yield row
            u = self.undecided.get((i, j))
            if u is None:
                continue
            hit = cache.get(id(u))
            if hit is None:
                hit = cache[id(u)] = (u, _parts(u, protocols))
            for proto, port, end, ok in hit[1]:
                if ok:  # undecided: "allowed" is null, neither shown allowed nor shown denied
                    row = {"src": src, "dst": dst, "port": port, "protocol": proto, "allowed": None,
                           "undecided": True}
                    if end is not None:
                        row["endPort"] = end
                    yield row


def rows_of(ports: PortSet | None, protocols: tuple[str, ...] = PROTOCOLS) -> list[dict[str, Any]]:
    """The row bodies (without src and dst) for one pair allowed ``ports``."""
    out = []
    for proto, port, end, ok in _parts(ports or NO_PORTS, protocols):
        row: dict[str, Any] = {"port": port, "protocol": proto, "allowed": ok}
        if end is not None:
            row["endPort"] = end
        out.append(row)
    return out


def _parts(ports: PortSet, protocols: tuple[str, ...]) -> list[tuple[str, int | None, int | None, bool]]:
    out: list[tuple[str, int | None, int | None, bool]] = []
    for proto in protocols:
        if ports.protocol_is_all(proto):
            out.append((proto, None, None, True))
            continue
        runs = ports.ranges(proto)
        if not runs:
            out.append((proto, None, None, False))
        out.extend((proto, lo, hi if hi > lo else None, True) for lo, hi in runs)
    return out


def _natural(name: str) -> list[Any]:
    """Sort key reading digit runs as numbers: ns2 before ns10, app9 before app10."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", name)]


def build_matrix(g: NetworkGraph, level: str = "pod", practice: bool = True) -> Matrix:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    names = sorted({node_id(p, level) for p in g.pods}, key=_natural)
    index = {n: i for i, n in enumerate(names)}
    nss = [n.split("/", 1)[0] for n in names]
    allowed, undecided = _aggregate(g, level, index, practice)
    sizes = [0] * len(names)
    for p in g.pods:
        sizes[index[node_id(p, level)]] += 1
    m = Matrix(level, names, nss, allowed, sizes=sizes, cluster=g.cluster,
               semantics="practice" if practice and g.practice is not g.spec else "spec",
               cni=g.profile.title, undecided=undecided)
    if g.practice is not g.spec:
        other, other_u = _aggregate(g, level, index, not practice)
        m.differs = {k for k in set(allowed) | set(other) | set(undecided) | set(other_u)
                     if (allowed.get(k, NO_PORTS), undecided.get(k, NO_PORTS))
                     != (other.get(k, NO_PORTS), other_u.get(k, NO_PORTS))}
    return m


def _aggregate(g: NetworkGraph, level: str, index: dict[str, int],
               practice: bool) -> tuple[dict[tuple[int, int], PortSet], dict[tuple[int, int], PortSet]]:
    """(allowed, undecided) ports per pair of nodes of the level."""
    cells = g.cells
    groups = [[index[node_id(p, level)] for p in cells.pods[c]] for c in range(cells.n)]
    out: dict[tuple[int, int], PortSet] = {}
    undecided: dict[tuple[int, int], PortSet] = {}
    for target, blocks in ((out, g.matrix_blocks(practice)), (undecided, g.undecided_blocks(practice))):
        for s, d, ports in blocks:
            srcs = [a for c in _bits(s) for a in groups[c]]
            dsts = [b for c in _bits(d) for b in groups[c]]
            if level == "pod":
                # the engine's rectangles are disjoint and a pod is one node: no union needed
                target.update({(a, b): ports for a in srcs for b in dsts})
                continue
            for a in srcs:
                for b in dsts:
                    prev = target.get((a, b))
                    target[(a, b)] = ports if prev is None else prev | ports
    if g.cells.host_bits:  # node traffic, settled pair by pair (NP-47)
        pairs: dict[tuple[int, int], tuple[PortSet, PortSet]] = {}
        for pa, pb, ok, unsure in g.host_pairs(practice):
            k = (index[node_id(pa, level)], index[node_id(pb, level)])
            if level == "pod":
                pairs[k] = (ok, unsure)
            else:
                prev = pairs.get(k, (NO_PORTS, NO_PORTS))
                pairs[k] = (prev[0] | ok, prev[1] | unsure)
        for k, (ok, unsure) in pairs.items():
            for target, ports in ((out, ok), (undecided, unsure)):
                if level != "pod":
                    ports = ports | target.get(k, NO_PORTS)
                if ports:
                    target[k] = ports
                else:
                    target.pop(k, None)
    if level == "pod":
        for i in range(len(index)):
            out.pop((i, i), None)  # a pod's traffic to itself is always allowed (NP-46), not a pair
            undecided.pop((i, i), None)
    else:
        # a single-pod group on the diagonal is that pod talking to itself, not a pair
        sizes = [0] * len(index)
        for c in range(cells.n):
            for a in groups[c]:
                sizes[a] += 1
        for i, n in enumerate(sizes):
            if n < 2:
                out.pop((i, i), None)
                undecided.pop((i, i), None)
    if level == "pod":
        return out, undecided  # per pod pair, undecided is already the high bound minus the allowed ports
    for k in list(undecided):
        rest = undecided[k] - out.get(k, NO_PORTS)
        if rest:
            undecided[k] = rest
        else:
            del undecided[k]
    return out, undecided


@dataclass
class Change:
    src: str
    dst: str
    gained: PortSet
    lost: PortSet

    def to_dict(self) -> dict[str, Any]:
        return {"src": self.src, "dst": self.dst, "gained": str(self.gained) if self.gained else None,
                "lost": str(self.lost) if self.lost else None}


@dataclass
class MatrixDiff:
    level: str
    changes: list[Change]
    added_nodes: list[str]
    removed_nodes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "addedEndpoints": self.added_nodes, "removedEndpoints": self.removed_nodes,
                "changes": [c.to_dict() for c in self.changes]}


def diff_matrices(old: Matrix, new: Matrix) -> MatrixDiff:
    """Connections gained and lost; an endpoint present on one side only has all its connections counted."""
    nodes = sorted(set(old.nodes) | set(new.nodes))
    oi = {n: i for i, n in enumerate(old.nodes)}
    ni = {n: i for i, n in enumerate(new.nodes)}
    changes = []
    for a in nodes:
        for b in nodes:
            if a == b and old.level == "pod":
                continue
            before = old.ports(oi[a], oi[b]) if a in oi and b in oi else NO_PORTS
            after = new.ports(ni[a], ni[b]) if a in ni and b in ni else NO_PORTS
            if before != after:
                changes.append(Change(a, b, after - before, before - after))
    return MatrixDiff(old.level, changes, sorted(set(new.nodes) - set(old.nodes)),
                      sorted(set(old.nodes) - set(new.nodes)))

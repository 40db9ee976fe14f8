"""The three ways the engine answers must agree on random scenarios (deterministic seeds).

1. the whole matrix (rectangles of cells, used by ``netpol matrix``/``diff``),
2. the pair query (used by ``can-reach`` for its verdict),
3. the explanation walk (rule by rule, used for the reasons).

2 and 3 are written independently of each other (partition refinement vs a
direct walk over the policies), so agreement on hundreds of random pairs is a
real check of both.
"""

from __future__ import annotations

import pytest

from kubeguard.graph.network import ExternalEndpoint, _bits
from kubeguard.graph.network_explain import walk
from kubeguard.graph.network_sets import IPSet, PortSet

from .helpers import graph
from .scenarios import scenario

PROBES = (("TCP", 80), ("TCP", 8080), ("TCP", 443), ("UDP", 53), ("TCP", 53), ("TCP", 5432), ("SCTP", 7000),
          ("TCP", 8003), ("TCP", 1234), ("UDP", 9000), ("TCP", 9000))
EXTERNAL = ("10.2.3.4", "10.1.9.9", "93.184.216.34", "172.16.5.7", "8.8.8.8")
CASES = [(seed, cni, admin, ips) for seed in range(12)
         for cni, admin, ips in ((None, False, False), (None, True, True), ("cilium", False, True),
                                 ("azure-npm", False, False), ("aws-vpc-cni", True, True))]


@pytest.mark.parametrize("seed,cni,admin,ips", CASES, ids=[f"seed{c[0]}-{c[1]}-{'anp' if c[2] else 'np'}-"
                                                             f"{'ips' if c[3] else 'noip'}" for c in CASES])
def test_matrix_pair_query_and_explanation_agree(seed, cni, admin, ips):
    docs = scenario(seed, admin_policies=admin, pod_ips=ips)
    g = graph(*docs, cni=cni)
    for practice in (False, True):
        matrix = g.connections(practice)
        undecided = _undecided_pairs(g, practice)
        for a in g.pods:
            for b in g.pods:
                if a is b:
                    continue
                pair, unsure = g.ports(a, b, practice)
                assert matrix.get((a.id, b.id), PortSet.none()) == pair, (a.id, b.id, practice)
                assert undecided.get((a.id, b.id), PortSet.none()) == unsure, (a.id, b.id, practice, "undecided")
                for proto, port in PROBES:
                    want = PortSet.of(proto, port)
                    walked, reasons = walk(g, a, b, want, f"{proto}/{port}", practice)
                    assert bool(walked) == bool(pair & want), (
                        f"seed {seed}: {a.id} -> {b.id} {proto}/{port} practice={practice}: engine "
                        f"{bool(pair & want)}, walk {bool(walked)}: {[r.message for r in reasons]}")
                    high, _ = walk(g, a, b, want, f"{proto}/{port}", practice, high=True)
                    assert bool(high) == bool((pair | unsure) & want), (seed, a.id, b.id, proto, port, "high")
            for ip in EXTERNAL:
                ext = ExternalEndpoint(ip, IPSet.parse(ip + "/32"))
                for src, dst in ((a, ext), (ext, a)):
                    pair = g.allowed_ports(src, dst, practice)
                    for proto, port in PROBES[:4]:
                        want = PortSet.of(proto, port)
                        walked, reasons = walk(g, src, dst, want, "x", practice)
                        assert bool(walked) == bool(pair & want), (seed, str(src), str(dst), proto, port, practice,
                                                                   [r.message for r in reasons])


def _undecided_pairs(g, practice: bool) -> dict[tuple[str, str], PortSet]:
    """The undecided ports per pod pair from the engine's rectangles (and pair by pair for node traffic)."""
    out: dict[tuple[str, str], PortSet] = {}
    cells = g.cells
    for s, d, ports in g.undecided_blocks(practice):
        for a in [p for c in _bits(s) for p in cells.pods[c]]:
            for b in [p for c in _bits(d) for p in cells.pods[c]]:
                if a is not b:
                    out[(a.id, b.id)] = out.get((a.id, b.id), PortSet.none()) | ports
    for a, b, _, unsure in g.host_pairs(practice):
        if unsure:
            out[(a.id, b.id)] = unsure
        else:
            out.pop((a.id, b.id), None)
    return out


VENDOR_CASES = [(seed, vendor) for seed in range(10) for vendor in ("calico", "cilium")]


@pytest.mark.parametrize("seed,vendor", VENDOR_CASES, ids=[f"seed{s}-{v}" for s, v in VENDOR_CASES])
def test_cni_policies_matrix_pair_query_and_explanation_agree(seed, vendor):
    """With Calico or Cilium policies (tiers, orders, Deny/Pass/Log, deny rules, entities, undecided L7): the
    matrix, the pair query and the walk agree on the surely allowed ports, and the high bound of the walk on
    the undecided ones."""
    import random

    from .scenarios import calico_policies, cilium_policies

    docs = scenario(seed, n_policies=4, pod_ips=True)
    names = [d["metadata"]["name"] for d in docs if d["kind"] == "Namespace"]
    r = random.Random(seed * 7 + 1)
    docs += (calico_policies if vendor == "calico" else cilium_policies)(r, names, 4)
    g = graph(*docs, cni=vendor)
    matrix = g.connections(True)
    for a in g.pods:
        for b in g.pods:
            if a is b:
                continue
            pair, unsure = g.ports(a, b, True)
            assert matrix.get((a.id, b.id), PortSet.none()) == pair, (a.id, b.id)
            for proto, port in PROBES:
                want = PortSet.of(proto, port)
                walked, reasons = walk(g, a, b, want, f"{proto}/{port}", True)
                assert bool(walked) == bool(pair & want), (seed, a.id, b.id, proto, port,
                                                           [r.message for r in reasons])
                high, _ = walk(g, a, b, want, f"{proto}/{port}", True, high=True)
                assert bool(high) == bool((pair | unsure) & want), (seed, a.id, b.id, proto, port, "high")
        for ip in EXTERNAL:
            ext = ExternalEndpoint(ip, IPSet.parse(ip + "/32"))
            for src, dst in ((a, ext), (ext, a)):
                pair = g.allowed_ports(src, dst, True)
                for proto, port in PROBES[:4]:
                    want = PortSet.of(proto, port)
                    walked, reasons = walk(g, src, dst, want, "x", True)
                    assert bool(walked) == bool(pair & want), (seed, str(src), str(dst), proto, port,
                                                               [r.message for r in reasons])


@pytest.mark.parametrize("seed", range(6))
def test_fast_json_rows_equal_the_plain_rows(seed):
    import orjson

    from kubeguard.graph.network_matrix import LEVELS, build_matrix
    from kubeguard.report.netpol_matrix import render_matrix

    g = graph(*scenario(seed, n_pods=12, admin_policies=seed % 2 == 1, pod_ips=True))
    for level in LEVELS:
        m = build_matrix(g, level)
        for protocols in (("TCP", "UDP", "SCTP"), ("UDP",)):
            assert orjson.loads(render_matrix(m, "json", protocols=protocols)) == list(m.rows(protocols)), level

"""Differential test against IBM's network-config-analyzer (NCA) on random scenarios.

NCA is an optional reference tool with pinned dependencies (PyYAML, networkx...)
that would fight ours, so it lives in its own virtualenv: ``.venv-nca`` at the
repository root, or the ``nca`` executable named by ``KUBEGUARD_NCA``::

    python3 -m venv .venv-nca && .venv-nca/bin/pip install network-config-analyzer

Documented deviations of NCA (netpol-semantics.md part D and NP-09/NP-11) are
filtered, not ignored:

* ipBlock never matches pods in NCA: we compare with our Cilium >= 1.16
  profile, whose only difference from the spec profile is exactly that switch;
* NCA treats ``egress: []`` without policyTypes as egress-isolating and rejects
  rules for a direction missing from policyTypes: NCA gets each policy with its
  defaulted policyTypes and podSelector written out and without the ignored
  rules (the same object the API server would store);
* NCA evaluates Exists/DoesNotExist of a peer's podSelector only over the
  policy's own namespace even when the peer also has a namespaceSelector
  (``PeerContainer.get_peers_with_key(self.namespace, ...)`` in NCA 2.1.0),
  contrary to LabelSelector semantics (NP-21, NP-25): the scenarios given to
  NCA use only In/NotIn there (``nca_safe``); our side of it is covered by
  test_semantics and test_consistency;
* only pod-to-pod pairs are compared (NCA adds its own IP-range endpoints), and
  a pod's traffic to itself is left out (NP-46).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.nca_io import find_nca, pod_connections, run_connectivity, write_inputs
from kubeguard.graph.network_sets import PortSet

from .helpers import graph
from .scenarios import scenario

SEEDS = range(100, 124)
NCA = find_nca()
pytestmark = pytest.mark.skipif(
    NCA is None, reason="network-config-analyzer not installed: python3 -m venv .venv-nca && "
                        ".venv-nca/bin/pip install network-config-analyzer (or set KUBEGUARD_NCA)")


def _as_stored(doc: dict) -> dict:
    """A NetworkPolicy as the API server stores it: policyTypes and podSelector defaulted, ignored rules gone."""
    spec = dict(doc["spec"])
    spec.setdefault("podSelector", {})  # a struct in the API: absent is stored as {}
    types = spec.get("policyTypes") or (["Ingress"] + (["Egress"] if spec.get("egress") else []))
    spec["policyTypes"] = types
    for direction, name in (("ingress", "Ingress"), ("egress", "Egress")):
        if name not in types:
            spec.pop(direction, None)
    return {**doc, "spec": spec}


def _run_nca(seed: int, tmp: Path) -> tuple[list[dict], dict[tuple[str, str], PortSet], str]:
    docs = scenario(seed, n_ns=4, n_pods=10, n_policies=8, nca_safe=True)
    kinds: dict[str, list[dict]] = {"Namespace": [], "Pod": [], "NetworkPolicy": []}
    for doc in docs:
        kinds[doc["kind"]].append(_as_stored(doc) if doc["kind"] == "NetworkPolicy" else doc)
    write_inputs(tmp / f"s{seed}", kinds["Namespace"], kinds["Pod"], kinds["NetworkPolicy"])
    proc = run_connectivity(NCA, tmp / f"s{seed}", timeout=120)
    return docs, pod_connections(proc.stdout), proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def nca_results(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nca")
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(SEEDS, pool.map(lambda s: _run_nca(s, tmp), SEEDS)))


@pytest.mark.parametrize("seed", SEEDS)
def test_connectivity_matches_network_config_analyzer(seed, nca_results):
    docs, theirs, raw = nca_results[seed]
    assert "Error" not in raw, raw[-2000:]
    g = graph(*docs, facts={"cni": {"name": "cilium", "version": "1.16.0"}})
    ours = g.connections(practice=True)
    diffs = []
    for a in g.pods:
        for b in g.pods:
            if a is b:
                continue
            mine, other = ours.get((a.id, b.id), PortSet.none()), theirs.get((a.id, b.id), PortSet.none())
            if mine != other:
                diffs.append(f"{a.id} -> {b.id}: kubeguard {mine}, NCA {other}")
    assert not diffs, f"seed {seed}: {len(diffs)} pairs differ:\n" + "\n".join(diffs[:10])

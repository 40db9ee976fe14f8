"""configz read from some nodes only: the read nodes are judged, the others are named, never passed."""

from __future__ import annotations

import json
from pathlib import Path

from kubeguard.collect.live import collect, to_manifest_set
from kubeguard.collect.live_config import LiveOptions
from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import Inventory
from kubeguard.model.settings import Settings
from kubeguard.rules._registry import default_registry

from .conftest import write_kubeconfig
from .fakeapi import BUILTIN, obj

HARDENED = json.loads((Path(__file__).resolve().parents[1] / "nodeconfig" / "data" /
                       "kubelet-configz-hardened.json").read_text())["kubeletconfig"]


def _scan(fake, tmp_path, configz):
    nodes = [obj("v1", "Node", n) for n in ("n1", "n2", "n3")]
    c = fake(nodes, BUILTIN, token="t", configz=configz)
    kc = write_kubeconfig(tmp_path / "config", {"c1": {"server": c.url, "token": "t"}}, current="c1")
    [r] = collect(LiveOptions(kubeconfig=str(kc)), environ={})
    ms = to_manifest_set([r])
    result = run_scan(ScanInput(Inventory.build(ms.clusters.values(), ms.objects), ms.report), default_registry(),
                      Settings(include=("node/*",)))
    return r, result, {rr.rule: rr for rr in result.rule_results}


def test_read_nodes_are_judged_and_the_unread_node_is_named(fake, tmp_path):
    insecure = {**HARDENED, "readOnlyPort": 10255}
    r, result, rr = _scan(fake, tmp_path, {"n1": insecure, "n2": HARDENED})  # n3 answers 503
    assert set(r.facts.facts["kubelet"]) == {"n1", "n2"}
    assert list(r.facts.facts["kubeletUnread"]) == ["n3"] and "503" in r.facts.facts["kubeletUnread"]["n3"]
    unavailable = r.report.unavailable["c1"]
    assert "kubelet" not in unavailable and "1 of 3 nodes" in unavailable["kubelet (some nodes)"]
    assert any("not read on n3" in i.message and i.level == "warning" for i in r.report.issues)
    # n1 fails the read-only port rule; n3 was not evaluated, and the reason says so
    assert rr["ND004"].status == "FAIL"
    assert "also not evaluated: kubelet on node n3: its configz could not be read" in rr["ND004"].reason
    [f] = [f for f in result.findings if f.rule == "ND004"]
    assert f.path == "kubelet.n1.readOnlyPort" and "node n1" in f.message
    # every read node passes the anonymous-auth rule: UNKNOWN for n3, never PASS
    assert rr["ND001"].status == "UNKNOWN" and rr["ND001"].reason.startswith("kubelet on node n3:")
    assert "n1" not in rr["ND001"].reason and "n2" not in rr["ND001"].reason


def test_no_node_read_makes_the_kubelet_input_unavailable(fake, tmp_path):
    r, _, rr = _scan(fake, tmp_path, {})
    assert r.report.unavailable["c1"]["kubelet"].startswith("3 of 3 nodes")
    assert "kubeletUnread" not in r.facts.facts
    assert rr["ND001"].status == "UNKNOWN" and rr["ND001"].reason.startswith("not collected: kubelet")

from __future__ import annotations

from dataclasses import replace

import pytest

from kubeguard.collect.files import read_paths
from kubeguard.engine.run import ConfigError, ScanInput, run_scan
from kubeguard.model import ClusterFacts, CollectionReport, Inventory, K8sObject
from kubeguard.model.settings import Settings
from kubeguard.rules._registry import Registry, default_registry

REG = default_registry()
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "a"},
       "spec": {"containers": [{"name": "c", "image": "x", "securityContext": {"privileged": True}}]}}


def _inv(*clusters):
    objs = [K8sObject.from_raw(POD, c) for c in clusters]
    return Inventory.build([ClusterFacts(c) for c in clusters], objs)


def test_unavailable_inputs_make_rules_unknown_never_pass():
    report = CollectionReport()
    report.mark_unavailable("b", "Deployment", "forbidden (403)")
    report.mark_unavailable("c", "*", "connection refused")
    inv = Inventory.build([ClusterFacts("a"), ClusterFacts("b"), ClusterFacts("c")],
                          [K8sObject.from_raw({**POD, "spec": {"containers": [{"name": "c", "image": "x"}]}}, "a"),
                           K8sObject.from_raw({**POD, "spec": {"containers": [{"name": "c", "image": "x"}]}}, "b")])
    res = run_scan(ScanInput(inv, report), REG, Settings(include=("WL001",)))
    by = {rr.cluster: rr for rr in res.rule_results}
    assert by["a"].status == "PASS"
    assert by["b"].status == "UNKNOWN" and "Deployment (forbidden (403))" in by["b"].reason
    assert by["c"].status == "UNKNOWN" and "connection refused" in by["c"].reason


def test_failures_win_over_unknown():
    report = CollectionReport()
    report.mark_unavailable("a", "Deployment", "timeout")
    res = run_scan(ScanInput(_inv("a"), report), REG, Settings(include=("WL001",)))
    assert res.rule_results[0].status == "FAIL"


def test_rule_exception_is_error_status_and_scan_goes_on():
    def boom(pod, ctx):
        raise ValueError("bad shape")

    reg = Registry([replace(REG.get("WL001"), evaluate=boom)])
    res = run_scan(ScanInput(_inv("a", "b")), reg)
    assert [rr.status for rr in res.rule_results] == ["ERROR", "ERROR"]
    assert all(f.status == "ERROR" and "ValueError: bad shape" in f.message for f in res.findings)


def test_not_applicable_without_targets():
    inv = Inventory.build([ClusterFacts("a")], [])
    res = run_scan(ScanInput(inv), REG, Settings(include=("WL001",)))
    assert res.rule_results[0].status == "NOT_APPLICABLE"


def test_unknown_rule_selector_is_config_error():
    with pytest.raises(ConfigError):
        run_scan(ScanInput(_inv("a")), REG, Settings(include=("NOPE123",)))


def test_controller_owned_pods_are_not_double_counted():
    deploy = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "a", "uid": "u1"},
              "spec": {"template": {"spec": POD["spec"]}}}
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
          "metadata": {"name": "d-1", "namespace": "a", "uid": "u2",
                       "ownerReferences": [{"kind": "Deployment", "name": "d", "uid": "u1", "controller": True}]},
          "spec": {"template": {"spec": POD["spec"]}}}
    pod = {**POD, "metadata": {"name": "d-1-x", "namespace": "a", "uid": "u3",
                               "ownerReferences": [{"kind": "ReplicaSet", "name": "d-1", "uid": "u2", "controller": True}]}}
    orphan = {**POD, "metadata": {"name": "lonely", "namespace": "a",
                                  "ownerReferences": [{"kind": "ReplicaSet", "name": "gone", "uid": "zz", "controller": True}]}}
    inv = Inventory.build([], [K8sObject.from_raw(o, "c") for o in (deploy, rs, pod, orphan)])
    res = run_scan(ScanInput(inv), REG, Settings(include=("WL001",)))
    assert sorted(f.name for f in res.findings) == ["d", "lonely"]

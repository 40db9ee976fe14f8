"""RB rules never PASS on what was not collected, and run on a whole cluster deterministically."""

from __future__ import annotations

from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import ClusterFacts, CollectionReport, Inventory, K8sObject
from kubeguard.model.settings import Settings
from kubeguard.rules._registry import default_registry

REG = default_registry()
RB = tuple(r.code for r in REG if r.code.startswith("RB"))


def _objects():
    return [K8sObject.from_raw(o, "c") for o in (
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "r", "namespace": "a"},
         "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
         "metadata": {"name": "r", "namespace": "a"},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
         "subjects": [{"kind": "ServiceAccount", "name": "w", "namespace": "a"}]},
    )]


def test_rules_are_unknown_when_cluster_roles_were_not_collected():
    report = CollectionReport()
    report.mark_unavailable("c", "ClusterRole", "forbidden (403)")
    inv = Inventory.build([ClusterFacts("c", source="snapshot")], _objects())
    result = run_scan(ScanInput(inv, report), REG, Settings(include=RB))
    status = {r.rule: r.status for r in result.rule_results}
    assert status["RB010"] == "UNKNOWN" and status["RB002"] == "UNKNOWN"
    assert "ClusterRole" in next(r.reason for r in result.rule_results if r.rule == "RB010")
    assert status["RB004"] == "UNKNOWN"  # no ServiceAccount in the input: not evaluated


def test_clean_cluster_passes():
    inv = Inventory.build([ClusterFacts("c", source="snapshot")], _objects())
    result = run_scan(ScanInput(inv), REG, Settings(include=tuple(c for c in RB if c != "RB004")))
    assert not [f for f in result.findings if f.status == "FAIL"]
    assert {r.status for r in result.rule_results if r.rule in ("RB010", "RB002", "RB003")} == {"PASS"}

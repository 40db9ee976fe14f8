"""Network rules never guess: without NetworkPolicies collected they are UNKNOWN, with them they decide."""

from __future__ import annotations

from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import ClusterFacts, CollectionReport, Inventory, K8sObject, Status
from kubeguard.model.settings import Settings
from kubeguard.rules._registry import default_registry

from .helpers import pod


def _scan(report: CollectionReport):
    objs = [K8sObject.from_raw(pod("shop", "web", {"app": "web"}), "live")]
    inv = Inventory.build([ClusterFacts("live", provider="eks", source="live")], objs)
    return run_scan(ScanInput(inv, report), default_registry(),
                    Settings(include=("NW001", "NW002", "NW003", "NW006"), include_preview=True))


def test_network_rules_are_unknown_when_policies_were_not_collected():
    report = CollectionReport()
    report.mark_unavailable("live", "NetworkPolicy", "forbidden (403)")
    result = _scan(report)
    assert not [f for f in result.findings if f.status == Status.FAIL.value], "no guessed failures"
    statuses = {r.rule: (r.status, r.reason) for r in result.rule_results}
    for code in ("NW001", "NW002", "NW003", "NW006"):
        assert statuses[code][0] == Status.UNKNOWN.value and "NetworkPolicy (forbidden (403))" in statuses[code][1]


def test_the_same_rules_fail_when_collection_was_complete():
    result = _scan(CollectionReport())
    failed = {f.rule for f in result.findings if f.status == Status.FAIL.value}
    assert failed == {"NW001", "NW002", "NW003", "NW006"}

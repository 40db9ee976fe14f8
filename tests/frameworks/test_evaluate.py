"""Requirement status, evidence and score, from rule results (engine/frameworks.py)."""

from __future__ import annotations

import pytest

from kubeguard.engine.frameworks import (
    EVIDENCE_CAP, FrameworkError, compliance_score, evaluate_frameworks, requirement_status, resolve_frameworks,
)
from kubeguard.frameworks._model import Framework, Requirement
from kubeguard.model.findings import Finding
from kubeguard.model.result import RuleResult


def req(rules=(), needs=None, rid="1.1"):
    return Requirement(id=rid, title="requirement under test", rules=tuple(rules), needs=needs)


@pytest.mark.parametrize("statuses, expected", [
    ({"A": "FAIL", "B": "UNKNOWN"}, "FAIL"),          # a failure decides even when another input is missing
    ({"A": "FAIL", "B": "PASS"}, "FAIL"),
    ({"A": "PASS", "B": "UNKNOWN"}, "UNKNOWN"),       # missing input is never a pass
    ({"A": "PASS", "B": "ERROR"}, "UNKNOWN"),         # a rule that raised decided nothing
    ({"A": "PASS"}, "UNKNOWN"),                       # B was not run at all
    ({"A": "PASS", "B": "EXEMPT"}, "PASS"),
    ({"A": "EXEMPT", "B": "EXEMPT"}, "PASS"),
    ({"A": "PASS", "B": "NOT_APPLICABLE"}, "PASS"),
    ({"A": "NOT_APPLICABLE", "B": "NOT_APPLICABLE"}, "NOT_APPLICABLE"),
])
def test_requirement_status_precedence(statuses, expected):
    st, reason = requirement_status(req(["A", "B"]), statuses)
    assert st == expected
    if expected == "UNKNOWN":
        missing = [c for c in ("A", "B") if statuses.get(c) in (None, "UNKNOWN", "ERROR")]
        assert all(c in reason for c in missing), reason


def test_requirement_without_rules_is_manual_and_says_what_it_needs():
    assert requirement_status(req(), {}) == ("MANUAL", "needs human judgement")
    st, reason = requirement_status(req(needs="node"), {"A": "PASS"})
    assert st == "MANUAL" and "node access" in reason


def test_not_run_reason_names_the_rule():
    st, reason = requirement_status(req(["WL001", "WL002"]), {"WL001": "PASS"})
    assert st == "UNKNOWN" and reason == "not run: WL002"


def test_score_counts_only_decided_requirements():
    assert compliance_score({"PASS": 3, "FAIL": 1, "UNKNOWN": 10, "MANUAL": 50}) == 75.0
    assert compliance_score({"PASS": 0, "FAIL": 0, "UNKNOWN": 2}) is None


def _finding(rule, name, cluster="c1", path="spec.containers[0].securityContext.privileged", status="FAIL"):
    return Finding(rule, rule.lower(), "t", "high", status, cluster, "shop", "Deployment", "apps/v1", name,
                   f"{name} fails {rule}", container="app", path=path, file="deploy.yaml", line=7)


FW = Framework(id="test-fw", version="1", title="Test framework", kind="benchmark", source="https://example.com",
               requirements=(req(["A"], rid="1"), req(["A", "B"], rid="2"), req(["C"], rid="3"),
                             req(needs="node", rid="4"), req(["D"], rid="5")))


def test_evaluate_frameworks_per_cluster_with_evidence():
    results = [RuleResult("A", "c1", "FAIL", passed=1, failed=2), RuleResult("B", "c1", "PASS", passed=4),
               RuleResult("C", "c1", "NOT_APPLICABLE"), RuleResult("D", "c1", "EXEMPT", exempt=1),
               RuleResult("A", "c2", "PASS", passed=3), RuleResult("B", "c2", "UNKNOWN", reason="x"),
               RuleResult("C", "c2", "PASS", passed=1), RuleResult("D", "c2", "PASS", passed=1)]
    findings = [_finding("A", "web"), _finding("A", "api"), _finding("A", "db", status="EXEMPT"),
                _finding("B", "other", cluster="c2", status="PASS")]
    [doc] = evaluate_frameworks([FW], results, findings, ["c1", "c2"])
    assert doc["key"] == "test-fw-1" and doc["automated"] == 4 and doc["total"] == 5
    assert [r["id"] for r in doc["requirements"]] == ["1", "2", "3", "4", "5"]
    c1, c2 = doc["clusters"]
    st1 = {r["id"]: r for r in c1["requirements"]}
    assert {k: v["status"] for k, v in st1.items()} == {
        "1": "FAIL", "2": "FAIL", "3": "NOT_APPLICABLE", "4": "MANUAL", "5": "PASS"}
    ev = st1["1"]["evidence"]
    assert st1["1"]["evidenceTotal"] == 2
    assert {(e["resource"], e["path"]) for e in ev} == {
        ("Deployment/shop/web", "spec.containers[0].securityContext.privileged"),
        ("Deployment/shop/api", "spec.containers[0].securityContext.privileged")}
    assert ev[0]["file"] == "deploy.yaml" and ev[0]["line"] == 7 and ev[0]["container"] == "app"
    assert st1["5"]["exempt"] == 1 and st1["5"]["rules"] == {"D": "EXEMPT"}
    assert c1["counts"] == {"PASS": 1, "FAIL": 2, "UNKNOWN": 0, "NOT_APPLICABLE": 1, "MANUAL": 1}
    assert c1["score"] == pytest.approx(33.3)
    st2 = {r["id"]: r["status"] for r in c2["requirements"]}
    assert st2 == {"1": "PASS", "2": "UNKNOWN", "3": "PASS", "4": "MANUAL", "5": "PASS"}
    assert c2["score"] == 100.0


def test_evidence_is_capped_and_interleaves_rules():
    results = [RuleResult("A", "c1", "FAIL", failed=20), RuleResult("B", "c1", "FAIL", failed=1)]
    findings = [_finding("A", f"w{i:02}") for i in range(20)] + [_finding("B", "zz")]
    [doc] = evaluate_frameworks([FW], results, findings, ["c1"])
    r2 = next(r for r in doc["clusters"][0]["requirements"] if r["id"] == "2")
    assert len(r2["evidence"]) == EVIDENCE_CAP and r2["evidenceTotal"] == 21
    assert {e["rule"] for e in r2["evidence"]} == {"A", "B"}


def test_cluster_without_any_result_is_unknown_not_pass():
    [doc] = evaluate_frameworks([FW], [], [], ["empty"])
    statuses = {r["id"]: r["status"] for r in doc["clusters"][0]["requirements"]}
    assert statuses == {"1": "UNKNOWN", "2": "UNKNOWN", "3": "UNKNOWN", "4": "MANUAL", "5": "UNKNOWN"}
    assert doc["clusters"][0]["score"] is None


def test_no_frameworks_no_output():
    assert evaluate_frameworks([], [RuleResult("A", "c1", "PASS")], [], ["c1"]) == []


def test_unknown_framework_is_one_clear_error():
    with pytest.raises(FrameworkError, match="unknown framework 'nope'.*kubeguard frameworks"):
        resolve_frameworks(["nope"])

"""``either`` groups: a benchmark's "or" between rules (CIS Kubernetes 5.6.2: a seccomp profile in the pod,
or RuntimeDefault applied by every kubelet)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kubeguard.engine.frameworks import evaluate_frameworks, requirement_status
from kubeguard.frameworks._model import Framework, Requirement, all_frameworks
from kubeguard.model.findings import Finding
from kubeguard.model.result import RuleResult


def req(rules=("U", "P", "K"), either=(("P", "K"),)):
    return Requirement(id="5.6.2", title="requirement under test", rules=rules, either=either)


@pytest.mark.parametrize("statuses, expected", [
    ({"U": "PASS", "P": "FAIL", "K": "PASS"}, "PASS"),          # pods lack a profile, every kubelet defaults
    ({"U": "PASS", "P": "PASS", "K": "FAIL"}, "PASS"),          # every pod sets a profile
    ({"U": "PASS", "P": "FAIL", "K": "FAIL"}, "FAIL"),
    ({"U": "PASS", "P": "FAIL", "K": "NOT_APPLICABLE"}, "FAIL"),  # no kubelet known: the pods decide
    ({"U": "PASS", "P": "FAIL", "K": "UNKNOWN"}, "UNKNOWN"),    # a kubelet not read could still default
    ({"U": "PASS", "P": "FAIL"}, "UNKNOWN"),                    # K not run
    ({"U": "FAIL", "P": "FAIL", "K": "PASS"}, "FAIL"),          # outside the group a failure stays a failure
    ({"U": "PASS", "P": "EXEMPT", "K": "FAIL"}, "PASS"),
    ({"U": "NOT_APPLICABLE", "P": "NOT_APPLICABLE", "K": "NOT_APPLICABLE"}, "NOT_APPLICABLE"),
])
def test_one_passing_member_decides_the_group(statuses, expected):
    st, reason = requirement_status(req(), statuses)
    assert st == expected, reason
    if statuses.get("K") == "UNKNOWN":
        assert "K" in reason and "P" not in reason.replace("UNKNOWN", "")


def test_group_members_must_be_mapped_rules():
    with pytest.raises(ValidationError, match="either"):
        req(rules=("U", "P"), either=(("P", "K"),))
    with pytest.raises(ValidationError, match="either"):
        req(either=(("P",),))


def test_evidence_leaves_out_a_group_member_that_did_not_decide():
    fw = Framework(id="t", version="1", title="t", kind="benchmark", source="https://example.com",
                   requirements=(req(),))
    results = [RuleResult("U", "c1", "FAIL", failed=1), RuleResult("P", "c1", "FAIL", failed=1),
               RuleResult("K", "c1", "PASS", passed=1)]
    findings = [Finding(code, code.lower(), "t", "high", "FAIL", "c1", "ns", "Pod", "v1", f"pod-{code}", "m")
                for code in ("U", "P")]
    [doc] = evaluate_frameworks([fw], results, findings, ["c1"])
    [r] = doc["clusters"][0]["requirements"]
    assert r["status"] == "FAIL" and [e["rule"] for e in r["evidence"]] == ["U"]
    assert r["rules"] == {"U": "FAIL", "P": "FAIL", "K": "PASS"}  # every mapped rule is still shown


def test_cis_5_6_2_lets_the_kubelet_default_stand_in_for_pod_profiles():
    r = next(x for x in all_frameworks()["cis-kubernetes-1.12"].requirements if x.id == "5.6.2")
    assert r.either == (("WL023", "ND014"),) and "WL022" in r.rules  # an explicit Unconfined fails regardless


def test_framework_page_shows_either_groups():
    from kubeguard.docs_gen import framework_page
    from kubeguard.frameworks._model import all_frameworks
    from kubeguard.rules._registry import default_registry

    page = framework_page(all_frameworks()["cis-kubernetes"], default_registry())
    [row] = [line for line in page.splitlines() if line.startswith("| 5.6.2 |")]
    assert "one of WL023 or ND014 passing is enough" in row

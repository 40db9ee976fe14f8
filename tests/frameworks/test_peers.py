"""Peer ids <-> our rules, and exceptions carried over from a peer tool (engine/peers.py, exemptions)."""

from __future__ import annotations

import pytest

from kubeguard.engine.exemptions import ExemptionError, parse_annotations, parse_ignore_file, rule_resolver
from kubeguard.engine.peers import PeerIndex, normalise, split_peer_ref
from kubeguard.rules._meta import Lifecycle, RuleMeta
from kubeguard.rules._registry import Registry, Rule


def _rule(code, slug, peers):
    meta = RuleMeta(code=code, slug=slug, title=f"Rule {slug} under test", severity="high", category="workload",
                    target="workload", rationale="A rule used only by these tests.", remediation="Change the field under test.",
                    lifecycle=Lifecycle.preview("0.1.0"), peers=peers)
    return Rule(meta, lambda *_: iter(()), f"kubeguard.rules.workload.{slug.replace('-', '_')}", "Summary.")


REGISTRY = Registry([
    _rule("WL101", "caps-not-dropped", {"checkov": ("CKV_K8S_37",), "trivy": ("KSV-0003",),
                                        "kubescape": ("C-0055",)}),
    _rule("WL102", "net-raw-not-dropped", {"checkov": ("CKV_K8S_28", "CKV_K8S_37"), "trivy": ("KSV022",)}),
    _rule("WL103", "privileged", {"checkov": ("CKV_K8S_16",), "polaris": ("runAsPrivileged",)}),
])


@pytest.mark.parametrize("a, b", [("KSV017", "KSV-0017"), ("AVD-KSV-0017", "ksv-0017"), ("C-57", "C-0057"),
                                  ("ckv_k8s_16", "CKV_K8S_16"), ("CKV2_K8S_5", "ckv2_k8s_05"),
                                  ("runAsPrivileged", "RUNASPRIVILEGED")])
def test_normalise_equates_spellings(a, b):
    assert normalise(a) == normalise(b)


def test_normalise_keeps_distinct_ids_apart():
    assert normalise("CKV_K8S_16") != normalise("CKV2_K8S_16")
    assert normalise("KSV-01010") != normalise("KSV-0101")


def test_split_peer_ref():
    assert split_peer_ref("checkov:CKV_K8S_16") == ("checkov", "CKV_K8S_16")
    assert split_peer_ref("Kube-Linter: privileged-container") == ("kube-linter", "privileged-container")
    assert split_peer_ref("nosuchtool:X") is None and split_peer_ref("WL001") is None
    assert split_peer_ref("checkov:") is None


def test_index_maps_both_ways():
    idx = PeerIndex(REGISTRY)
    assert idx.rules_for("checkov", "CKV_K8S_37") == ("WL101", "WL102")  # one broad peer check -> two rules
    assert idx.rules_for("trivy", "AVD-KSV-0022") == ("WL102",)
    assert idx.rules_for("checkov", "CKV_K8S_99") == ()
    assert idx.peer_ids("checkov") == ["CKV_K8S_16", "CKV_K8S_28", "CKV_K8S_37"]
    assert idx.resolve("polaris:runAsPrivileged") == ("WL103",)
    assert idx.resolve("WL103") is None


def test_ignore_file_accepts_peer_ids():
    text = """version: 1
ignores:
  - rule: checkov:CKV_K8S_37
    reason: migrated from .checkov.yaml
    owner: platform
  - rules: [trivy:KSV017, WL103]
    reason: mixed
    owner: platform
"""
    # KSV017 maps to nothing here: that is an error naming the entry, not a silent skip
    with pytest.raises(ExemptionError, match=r"ignore\.yaml:6: ignores\[1\]: unknown rule 'trivy:KSV017' "
                                             r"\(no kubeguard rule lists it as equivalent"):
        parse_ignore_file(text, "ignore.yaml", rule_resolver(REGISTRY))
    entries = parse_ignore_file(text.replace("KSV017", "KSV-0003"), "ignore.yaml", rule_resolver(REGISTRY))
    assert entries[0].rules == ("WL101", "WL102")
    assert entries[1].rules == ("WL101", "WL103")
    assert entries[0].applies("WL102", "c", "ns", "Deployment", "web", None)
    assert not entries[0].applies("WL103", "c", "ns", "Deployment", "web", None)


def test_unknown_peer_tool_is_named():
    text = "version: 1\nignores:\n  - rule: snyk:SNYK-1\n    reason: r\n    owner: o\n"
    with pytest.raises(ExemptionError, match="unknown peer tool 'snyk'"):
        parse_ignore_file(text, "i.yaml", rule_resolver(REGISTRY))


def test_codes_and_slugs_still_resolve():
    resolve = rule_resolver(REGISTRY)
    assert resolve("WL103") == "WL103" and resolve("privileged") == "WL103" and resolve("nope") is None


def test_annotations_expand_a_peer_reference_to_every_rule():
    parsed = parse_annotations({"kubeguard.dev/ignore.checkov:CKV_K8S_37": "needs caps; owner=net"},
                               rule_resolver(REGISTRY))
    assert not parsed.errors and set(parsed.exemptions) == {"WL101", "WL102"}

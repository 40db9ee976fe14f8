"""``kubeguard frameworks``, ``scan --framework``, ``rules --peer`` and ``docs build`` end to end (in process)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kubeguard.cli.main import app
from kubeguard.engine.frameworks import catalogs
from kubeguard.rules._registry import default_registry

from ..conftest import FIXTURES

CASE = FIXTURES / "rules" / "privileged-container"
FAIL_FILE = CASE / "fail.deployment.yaml"


def kg(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_frameworks_lists_every_catalog_with_coverage():
    r = kg("frameworks", "-f", "json")
    assert r.exit_code == 0, r.output
    docs = {d["key"]: d for d in json.loads(r.output)}
    assert set(docs) == {fw.key for fw in catalogs()}
    for key in ("cis-kubernetes-1.12", "nsa-cisa-hardening-1.2", "mitre-attack-containers-17",
                "ms-threat-matrix-kubernetes-3", "soc2-2017", "pci-dss-4.0", "nist-800-53-5", "hipaa-2013",
                "gdpr-2016"):
        d = docs[key]
        assert d["automated"] + sum(d["needs"].values()) == d["total"], key
        assert d["missingRules"] == 0, f"{key} names rules this build does not have"
    table = kg("frameworks")
    assert table.exit_code == 0 and "cis-kubernetes" in table.output and "Without a rule" in table.output


def test_frameworks_show_lists_requirements_and_rule_ids():
    r = kg("frameworks", "show", "cis-kubernetes", "-f", "json")
    assert r.exit_code == 0
    doc = json.loads(r.output)
    reqs = {q["id"]: q for q in doc["requirements"]}
    assert len(reqs) == 131 and "WL001" in reqs["5.2.2"]["rules"]
    assert reqs["1.1.1"]["needs"] == "node" and reqs["1.1.1"]["rules"] == []
    md = kg("frameworks", "show", "cis-kubernetes-1.12", "-f", "markdown")
    assert "| 5.2.2 |" in md.output and "[WL001](../rules/WL001.md)" in md.output
    assert "5.2.2" in kg("frameworks", "show", "cis-kubernetes").output


def test_unknown_framework_is_a_usage_error_everywhere():
    for args in (("frameworks", "show", "nope"), ("scan", str(FAIL_FILE), "--framework", "nope")):
        r = kg(*args)
        assert r.exit_code == 2 and "unknown framework 'nope'" in r.output and "Traceback" not in r.output


def test_scan_with_framework_selects_mapped_rules_and_reports_evidence():
    r = kg("scan", str(FAIL_FILE), "--framework", "cis-kubernetes", "-f", "json", "--no-progress")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    fw = catalogs_by_key()["cis-kubernetes-1.12"]
    mapped = {c for q in fw.requirements for c in q.rules}
    assert {x["code"] for x in doc["rules"]} <= mapped  # only the catalog's rules ran
    [res] = doc["frameworks"]
    assert res["key"] == "cis-kubernetes-1.12"
    [cluster] = res["clusters"]
    q = {x["id"]: x for x in cluster["requirements"]}
    assert q["5.2.2"]["status"] == "FAIL" and q["5.2.2"]["rules"]["WL001"] == "FAIL"
    ev = [e for e in q["5.2.2"]["evidence"] if e["rule"] == "WL001"]
    assert ev and ev[0]["resource"] == "Deployment/shop/web"
    assert ev[0]["path"] == "spec.template.spec.containers[0].securityContext.privileged"
    assert q["1.1.1"]["status"] == "MANUAL" and "node" in q["1.1.1"]["reason"]
    assert cluster["score"] is not None and 0 <= cluster["score"] < 100


def test_framework_and_explicit_rules_leave_unrun_rules_unknown():
    r = kg("scan", str(FAIL_FILE), "--framework", "nsa-cisa-hardening", "--rules", "WL001", "-f", "json",
           "--no-progress")
    doc = json.loads(r.output)
    assert [x["code"] for x in doc["rules"]] == ["WL001"]
    q = {x["id"]: x for x in doc["frameworks"][0]["clusters"][0]["requirements"]}
    assert q["1.3"]["status"] == "FAIL"  # privileged containers: WL001 ran and failed
    assert q["1.4"]["status"] == "UNKNOWN" and "not run" in q["1.4"]["reason"]  # host namespaces: not run


def test_table_prints_score_and_requirements():
    r = kg("scan", str(FAIL_FILE), "--framework", "cis-kubernetes", "--no-progress")
    out = r.output
    assert "Compliance per cluster: cis-kubernetes-1.12" in out and "%" in out
    assert "5.2.2" in out and "FAIL" in out and "Deployment/shop/web" in out
    assert "MANUAL" in out and "kubeguard frameworks show cis-kubernetes-1.12" in out


def test_saved_result_rerenders_frameworks(tmp_path):
    out = tmp_path / "r.json"
    kg("scan", str(FAIL_FILE), "--framework", "cis-kubernetes", "-f", f"json={out}", "--no-progress")
    r = kg("report", str(out), "-f", "table")
    assert r.exit_code == 0 and "Compliance per cluster: cis-kubernetes-1.12" in r.output


def test_demo_with_framework_scores_every_cluster():
    r = kg("demo", "--framework", "nsa-cisa-hardening", "-f", "json", "--no-progress")
    doc = json.loads(r.output)
    [fw] = doc["frameworks"]
    assert {c["cluster"] for c in fw["clusters"]} == {c["name"] for c in doc["clusters"]}
    assert len(fw["clusters"]) >= 3


def test_rules_peer_maps_ids_to_our_rules():
    r = kg("rules", "--peer", "checkov", "-f", "json", "CKV_K8S_16", "ckv_k8s_999")
    assert r.exit_code == 1  # like grep: one id has no equivalent
    got = {d["peerId"]: [x["code"] for x in d["rules"]] for d in json.loads(r.output)}
    assert got == {"CKV_K8S_16": ["WL001"], "ckv_k8s_999": []}
    r = kg("rules", "--peer", "kubescape", "C-0057")
    assert r.exit_code == 0 and "WL001" in r.output
    r = kg("rules", "CKV_K8S_16")
    assert r.exit_code == 2 and "--peer" in r.output
    listing = kg("rules", "--peer", "checkov")
    assert listing.exit_code == 0 and "CKV_K8S_16" in listing.output


def test_rules_show_accepts_peer_id_and_lists_frameworks():
    r = kg("rules", "show", "checkov:CKV_K8S_16", "--markdown")
    assert r.exit_code == 0 and r.output.startswith("# WL001 privileged-container")
    assert "## Appears in frameworks" in r.output and "cis-kubernetes-1.12: 5.2.2" in r.output


def test_ignore_file_with_peer_id_exempts_the_equivalent_rule(tmp_path):
    ignore = tmp_path / "ignore.yaml"
    ignore.write_text("version: 1\nignores:\n  - rule: checkov:CKV_K8S_16\n    reason: migrated from checkov\n"
                      "    owner: platform\n")
    r = kg("scan", str(FAIL_FILE), "--rules", "WL001", "--ignore-file", str(ignore), "-f", "json", "--no-progress")
    doc = json.loads(r.output)
    wl001 = [f for f in doc["findings"] if f["rule"] == "WL001"]
    assert wl001 and all(f["status"] == "EXEMPT" for f in wl001)
    assert doc["exemptions"][0]["rules"] == ["WL001"]


def test_docs_build_writes_a_page_per_rule_and_framework(tmp_path):
    r = kg("docs", "build", str(tmp_path / "site"))
    assert r.exit_code == 0, r.output
    site = tmp_path / "site"
    registry = default_registry()
    for rule in registry:
        page = (site / "rules" / f"{rule.code}.md").read_text()
        assert page.startswith(f"# {rule.code} {rule.slug}") and rule.meta.title in page
    for fw in catalogs():
        page = (site / "frameworks" / f"{fw.key}.md").read_text()
        assert all(f"| {q.id} |" in page for q in fw.requirements), fw.key
    assert "cis-kubernetes-1.12" in (site / "frameworks" / "index.md").read_text()
    assert (site / "index.md").is_file() and (site / "rules" / "index.md").is_file()


def catalogs_by_key():
    return {fw.key: fw for fw in catalogs()}

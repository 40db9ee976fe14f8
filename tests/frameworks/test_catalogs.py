"""Contract over every bundled catalog (architecture.md §10.6, §11), and scans that report frameworks.

Every requirement's rule ids exist in the registry, or the requirement has no rules and is MANUAL (``needs``
saying what would decide it).  The coverage of each catalog is printed (``pytest -s``).
"""

from __future__ import annotations

import re

import pytest

from kubeguard.collect.files import read_paths
from kubeguard.engine.frameworks import catalog_coverage, catalogs
from kubeguard.engine.run import ConfigError, ScanInput, run_scan
from kubeguard.frameworks._model import CATALOG_DIR, CatalogError, load_catalog
from kubeguard.model import ClusterFacts, Inventory
from kubeguard.model.collection import CollectionReport
from kubeguard.model.settings import Settings
from kubeguard.rules._registry import default_registry

from ..conftest import FIXTURES, SHARED

REGISTRY = default_registry()
CATALOGS = catalogs()
OURS = ("cis-kubernetes", "nsa-cisa-hardening", "mitre-attack-containers", "ms-threat-matrix-kubernetes", "soc2",
        "pci-dss", "nist-800-53", "hipaa", "gdpr")


def test_every_catalog_loads_and_is_named_id_version():
    files = sorted(CATALOG_DIR.glob("*.yaml"))
    assert len(files) == len(CATALOGS) >= len(OURS)
    for path in files:
        fw = load_catalog(path)
        assert path.name == f"{fw.key}.yaml", f"{path.name}: file must be named {fw.key}.yaml"
    assert {fw.id for fw in CATALOGS} >= set(OURS)


@pytest.mark.parametrize("fw", CATALOGS, ids=lambda f: f.key)
def test_requirement_rules_exist_or_requirement_is_manual(fw):
    problems = []
    for req in fw.requirements:
        for code in req.rules:
            rule = REGISTRY.get(code)
            if rule is None or rule.code != code:
                problems.append(f"{fw.key} {req.id}: rule {code!r} is not a rule code in the registry")
            elif rule.meta.lifecycle.stage == "removed":
                problems.append(f"{fw.key} {req.id}: rule {code} is removed")
        if len(set(req.rules)) != len(req.rules):
            problems.append(f"{fw.key} {req.id}: duplicate rule ids")
    assert not problems, "\n".join(problems)
    cov = catalog_coverage(fw, (r.code for r in REGISTRY))
    print(f"{fw.key}: {cov['automated']}/{cov['total']} automated; without a rule: "
          + ", ".join(f"{k} {n}" for k, n in cov["needs"].items() if n))


@pytest.mark.parametrize("fw", [f for f in CATALOGS if f.id in OURS], ids=lambda f: f.key)
def test_our_catalogs_say_what_decides_unautomated_requirements(fw):
    assert any(r.rules for r in fw.requirements), f"{fw.key}: no requirement is automated"
    vague = [r.id for r in fw.requirements if not r.rules and r.needs is None]
    assert not vague, f"{fw.key}: requirements without rules need 'needs' (node/cloud/cluster/manual): {vague}"


def _b1_rows() -> dict[str, str]:
    path = SHARED / "docs" / "controls.md"
    if not path.is_file():
        pytest.skip("shared docs not present")
    text = path.read_text()
    table = text[text.index("### B1."):text.index("### B2.")]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and re.match(r"^\d+(\.\d+)+$", cells[0]):
            rows[cells[0]] = cells[1]
    return rows


def test_cis_1_12_has_every_item_and_uses_our_own_wording():
    rows = _b1_rows()
    [cis] = [f for f in CATALOGS if f.key == "cis-kubernetes-1.12"]
    assert [r.id for r in cis.requirements] == list(rows), "CIS 1.12 ids differ from the benchmark's (controls.md B1)"
    assert len(rows) == 131
    copied = [r.id for r in cis.requirements if r.title.lower().strip(". ") == rows[r.id].lower().strip(". ")]
    assert not copied, f"titles copied from the benchmark text: {copied}"
    by_id = {r.id: r for r in cis.requirements}
    # items the benchmark decides on the host alone: file modes and owners
    assert all(by_id[i].needs == "node" for i in rows if i.startswith(("1.1.", "4.1.")) and not by_id[i].rules)


def test_catalog_errors_name_the_file(tmp_path):
    bad = tmp_path / "broken-1.yaml"
    bad.write_text("id: broken\nversion: '1'\ntitle: Broken\nkind: benchmark\nsource: https://x\n"
                   "requirements:\n  - id: '1'\n    title: ok title\n    needs: sometimes\n")
    with pytest.raises(CatalogError, match=r"^broken-1\.yaml: requirements\.0\.needs: "):
        load_catalog(bad)
    bad.write_text("id: [\n")
    with pytest.raises(CatalogError, match=r"^broken-1\.yaml:2: YAML error"):
        load_catalog(bad)


# --- scans that report frameworks --------------------------------------------------------------------
PASS_FILE = FIXTURES / "rules" / "privileged-container" / "pass.hardened.yaml"


def _scan(path, frameworks, unavailable=None, **settings):
    ms = read_paths([str(path)], "c1")
    report = CollectionReport()
    for kind, reason in (unavailable or {}).items():
        report.mark_unavailable("c1", kind, reason)
    inv = Inventory.build([ClusterFacts(name="c1")], ms.objects)
    return run_scan(ScanInput(inv, report), REGISTRY, Settings(frameworks=tuple(frameworks), **settings))


def _requirement(result, key, rid):
    [fw] = [f for f in result.frameworks if f["key"] == key]
    return next(r for r in fw["clusters"][0]["requirements"] if r["id"] == rid)


def test_forbidden_list_makes_the_requirement_unknown_not_pass():
    ok = _scan(PASS_FILE, ["cis-kubernetes"])
    assert _requirement(ok, "cis-kubernetes-1.12", "5.2.2")["status"] == "PASS"
    denied = _scan(PASS_FILE, ["cis-kubernetes"], unavailable={"Pod": "forbidden: cannot list pods"})
    r = _requirement(denied, "cis-kubernetes-1.12", "5.2.2")
    assert r["status"] == "UNKNOWN" and r["rules"]["WL001"] == "UNKNOWN"
    assert "WL001 (UNKNOWN: not collected: Pod (forbidden: cannot list pods)" in r["reason"]


def test_excluded_rule_is_reported_as_not_run():
    res = _scan(PASS_FILE, ["cis-kubernetes"], exclude=("WL001",))
    r = _requirement(res, "cis-kubernetes-1.12", "5.2.2")
    assert r["status"] == "UNKNOWN" and r["rules"] == {"WL001": "NOT_RUN"}


def test_several_frameworks_in_one_scan_run_the_union_of_their_rules():
    res = _scan(PASS_FILE, ["cis-kubernetes", "nsa-cisa-hardening", "cis-kubernetes-1.12"])
    assert [f["key"] for f in res.frameworks] == ["cis-kubernetes-1.12", "nsa-cisa-hardening-1.2"]
    wanted = {c for fw in CATALOGS if fw.key in ("cis-kubernetes-1.12", "nsa-cisa-hardening-1.2")
              for q in fw.requirements for c in q.rules}
    assert {r["code"] for r in res.rules} == wanted & {r.code for r in REGISTRY}


def test_unknown_framework_stops_the_scan_with_a_config_error():
    with pytest.raises(ConfigError, match="unknown framework 'cis-kubernetes-0.1'"):
        _scan(PASS_FILE, ["cis-kubernetes-0.1"])

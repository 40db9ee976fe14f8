"""Coverage map (issue 3 §1): docs/coverage.yaml lists every concept of controls.md §A with its rules or owner.

Fails when a listed rule code does not exist, when a concept is missing or unknown, or when an entry has
neither rules nor an owner.  Prints the coverage per section, the gaps of this issue (owner 3 without a
rule), and rules whose peer ids match a concept they are not listed under (hints for the map's maintainer).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest
import yaml

from kubeguard.engine.peers import normalise
from kubeguard.rules._registry import default_registry

from ..conftest import ROOT, SHARED

MAP = ROOT / "docs" / "coverage.yaml"
OWNERS = {3, 4, 5, 6, 7, "none"}
PEER_COLUMNS = ("kubescape", "trivy", "checkov", "polaris", "kube-linter", "kube-score", "kubesec")
REGISTRY = default_registry()


def _load() -> dict:
    return yaml.safe_load(MAP.read_text())["concepts"]


def _section_a() -> dict[str, dict]:
    """controls.md §A rows: id -> {title, section, peers}."""
    path = SHARED / "docs" / "controls.md"
    if not path.is_file():
        pytest.skip("shared docs not present")
    text = path.read_text()
    part = text[text.index("## A. Union"):text.index("## B0.")]
    out, section = {}, ""
    for line in part.splitlines():
        if line.startswith("### "):
            section = line[4:].strip()
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 12 and re.match(r"^[A-Z]{1,2}\d{2}$", cells[1]):
            peers = {col: {normalise(re.sub(r"\(.*?\)", "", t)) for t in re.split(r",\s*", cell)
                           if t.strip() not in ("", "-")}
                     for col, cell in zip(PEER_COLUMNS, cells[3:10])}
            out[cells[1]] = {"title": cells[2], "section": section, "peers": peers}
    return out


def test_every_concept_is_listed_once_with_rules_or_an_owner():
    concepts = _load()
    section_a = _section_a()
    assert len(section_a) == 136
    assert list(concepts) == list(section_a), "docs/coverage.yaml must list controls.md §A concepts in order"
    problems = []
    for cid, entry in concepts.items():
        if entry.get("owner") not in OWNERS:
            problems.append(f"{cid}: owner {entry.get('owner')!r} is not one of {sorted(map(str, OWNERS))}")
        if entry.get("owner") == "none" and not entry.get("note"):
            problems.append(f"{cid}: owner none needs a note saying why")
        if entry.get("title") != section_a[cid]["title"].replace('"', "'"):
            problems.append(f"{cid}: title differs from controls.md: {entry.get('title')!r}")
    assert not problems, "\n".join(problems)


def test_listed_rule_codes_exist():
    missing = [f"{cid}: {code}" for cid, e in _load().items() for code in e.get("rules") or []
               if (r := REGISTRY.get(code)) is None or r.code != code]
    assert not missing, "rule codes in docs/coverage.yaml that are not in the registry:\n" + "\n".join(missing)


def test_print_coverage():
    concepts, section_a = _load(), _section_a()
    per_section: dict[str, Counter] = defaultdict(Counter)
    gaps = []
    for cid, e in concepts.items():
        c = per_section[section_a[cid]["section"]]
        c["total"] += 1
        if e.get("rules"):
            c["covered"] += 1
        elif e["owner"] == 3:
            gaps.append(f"{cid} {e['title']}")
        else:
            c[f"owner {e['owner']}"] += 1
    covered = sum(c["covered"] for c in per_section.values())
    print(f"\ncoverage map: {covered}/{len(concepts)} concepts have rules ({len(REGISTRY)} rules in the registry)")
    for section, c in per_section.items():
        others = ", ".join(f"{k} {v}" for k, v in sorted(c.items()) if k.startswith("owner"))
        print(f"  {section}: {c['covered']}/{c['total']}" + (f" (without rules: {others})" if others else ""))
    print(f"gaps of issue 3 (object-level concepts without a rule): {len(gaps)}")
    for g in gaps:
        print(f"  {g}")
    listed = {code for e in concepts.values() for code in e.get("rules") or []}
    # control-plane and node flags are CIS sections 1-4 items (controls.md §B1), mapped in the CIS catalog
    cis_table = [r.code for r in REGISTRY if r.code not in listed and r.meta.category in ("controlplane", "node")]
    unlisted = [f"{r.code} {r.slug}" for r in REGISTRY if r.code not in listed and r.code not in cis_table]
    print(f"control-plane and node rules outside §A (CIS table items): {len(cis_table)}")
    print(f"other rules not listed under any concept: {len(unlisted)}" + (f": {', '.join(unlisted)}" if unlisted else ""))
    hints = []
    for cid, row in section_a.items():
        for r in REGISTRY:
            shared = any(row["peers"].get(p, set()) & {normalise(x) for x in ids} for p, ids in r.meta.peers.items())
            if shared and r.code not in (concepts[cid].get("rules") or []) and r.code not in listed:
                hints.append(f"{r.code} shares peer ids with {cid}")
    for h in hints:
        print(f"  hint: {h}")
    assert covered > 0

"""Meta-tests over every rule (architecture.md §10.6): mechanical, so no rule escapes them."""

from __future__ import annotations

import copy
import random

import orjson
import pytest

from kubeguard.collect.files import SourceTexts, read_paths
from kubeguard.collect.fleet import DEMO_FLEET, read_fleet
from kubeguard.docs_gen import rule_page
from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import Inventory
from kubeguard.rules._registry import REQUIRED_SECTIONS, default_registry

from ..conftest import FIXTURES

REGISTRY = default_registry()
RULE_FIXTURES = FIXTURES / "rules"


def test_registry_loads_rules():
    assert len(REGISTRY) >= 1
    codes = [r.code for r in REGISTRY]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("rule", list(REGISTRY), ids=lambda r: r.code)
def test_rule_has_fixtures(rule):
    folder = RULE_FIXTURES / rule.slug
    assert folder.is_dir(), f"{rule.code}: missing fixture folder tests/fixtures/rules/{rule.slug}/"
    names = [p.name for p in folder.iterdir()]
    assert any(n.startswith("pass.") for n in names), f"{rule.code}: no pass.* fixture"
    assert any(n.startswith("fail.") for n in names), f"{rule.code}: no fail.* fixture"
    assert "expected.yaml" in names, f"{rule.code}: no expected.yaml"


def test_every_fixture_folder_belongs_to_a_rule():
    slugs = {r.slug for r in REGISTRY}
    orphans = [p.name for p in RULE_FIXTURES.iterdir() if p.is_dir() and p.name not in slugs]
    assert not orphans, f"fixture folders without a rule: {orphans}"


@pytest.mark.parametrize("rule", list(REGISTRY), ids=lambda r: r.code)
def test_rule_docs_build(rule):
    for s in REQUIRED_SECTIONS:
        assert rule.sections.get(s, "").strip(), f"{rule.code}: empty docstring section {s!r}"
    page = rule_page(rule)
    assert rule.meta.title in page and rule.meta.remediation in page


def _scan(objects, facts, texts=None):
    inv = Inventory.build(facts, objects)
    return run_scan(ScanInput(inv, locate=SourceTexts(texts or {}).line_of), REGISTRY)


def _demo():
    ms = read_fleet(DEMO_FLEET)
    return ms.objects, list(ms.clusters.values()), ms.texts


def test_scan_is_deterministic_and_order_independent():
    objects, facts, texts = _demo()
    a = _scan(objects, facts, texts)
    shuffled = list(objects)
    random.Random(7).shuffle(shuffled)
    b = _scan(shuffled, facts, texts)
    key = lambda r: orjson.dumps([f.to_dict() for f in r.findings])  # noqa: E731
    assert key(a) == key(b)
    assert [r.to_dict() for r in a.rule_results] == [r.to_dict() for r in b.rule_results]


def test_rules_do_not_mutate_objects():
    objects, facts, texts = _demo()
    before = [copy.deepcopy(o.raw) for o in objects]
    _scan(objects, facts, texts)
    assert [o.raw for o in objects] == before


def test_import_layers_hold():
    from importlinter.cli import lint_imports

    assert lint_imports() == 0, "import-linter contracts broken (run lint-imports for details)"

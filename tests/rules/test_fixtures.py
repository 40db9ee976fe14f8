"""One parametrised harness for every rule (architecture.md §10.5).

For each rule, ``tests/fixtures/rules/<slug>/`` holds ``pass.*`` and ``fail.*``
manifests (YAML, JSON or snapshots) and ``expected.yaml``, which names, per fail
case, every object and field that must fail — no more, no fewer.  Optional:
``params.yaml`` (per case parameter overrides: ``{case-file: {param: value}}``),
``facts.yaml`` (cluster facts: ``{case-file: {provider, kubernetesVersion, facts}}``),
``known-fn.*`` cases that must still yield nothing.
Run ``pytest --update-expected`` to rewrite expected.yaml, then review the diff.
"""

from __future__ import annotations

import pytest
import yaml

from kubeguard.model import Status
from kubeguard.rules._registry import default_registry

from ..conftest import FIXTURES
from .harness import finding_key, load_yaml, scan_fixture

RULE_FIXTURES = FIXTURES / "rules"
REGISTRY = default_registry()


def _cases():
    for rule in REGISTRY:
        folder = RULE_FIXTURES / rule.slug
        if not folder.is_dir():
            continue
        for case in sorted(folder.iterdir()):
            if case.name.startswith(("pass.", "fail.", "known-fn.")):
                yield pytest.param(rule, case, id=f"{rule.code}-{rule.slug}/{case.name}")


@pytest.mark.parametrize("rule,case", list(_cases()))
def test_rule_fixture(rule, case, request):
    folder = case.parent
    params = (load_yaml(folder / "params.yaml") or {}).get(case.name)
    facts = (load_yaml(folder / "facts.yaml") or {}).get(case.name)
    result = scan_fixture(rule, REGISTRY, case, params, facts)
    errors = [f for f in result.findings if f.status == Status.ERROR.value]
    assert not errors, f"{case.name}: rule raised: {[e.message for e in errors]}"
    got = sorted((finding_key(f) for f in result.findings if f.status == Status.FAIL.value),
                 key=lambda d: (d["object"], d["path"] or "", d.get("container", "")))
    if case.name.startswith(("pass.", "known-fn.")):
        assert got == [], f"{case.name} must pass but these fail: {got}"
        evaluated = sum(rr.passed for rr in result.rule_results)
        assert evaluated > 0, f"{case.name}: no object was evaluated, so the pass is vacuous"
        return
    expected_file = folder / "expected.yaml"
    expected_all = load_yaml(expected_file) or {}
    if request.config.getoption("--update-expected"):
        expected_all[case.name] = got
        expected_file.write_text(yaml.safe_dump(expected_all, sort_keys=True, width=120))
        return
    assert case.name in expected_all, f"{expected_file} has no entry for {case.name}"
    want = sorted(expected_all[case.name], key=lambda d: (d["object"], d["path"] or "", d.get("container", "")))
    assert got == want, f"{rule.code} {case.name}: findings (object, field) differ from expected.yaml"

"""Scanning control-plane manifests and kubelet configurations the way `kubeguard scan` does."""

from __future__ import annotations

from pathlib import Path

from kubeguard.collect.files import SourceTexts, read_paths
from kubeguard.collect.nodeconfig import attach_node_configs
from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import ClusterFacts, CollectionReport, Inventory
from kubeguard.model.result import ScanResult
from kubeguard.model.settings import Settings
from kubeguard.rules._registry import default_registry

from ..conftest import SHARED

NODE = SHARED / "fixtures" / "node"
DATA = Path(__file__).resolve().parent / "data"
REGISTRY = default_registry()
# the CIS sections 1-4 rules of issue 7, in the order of the letter strings; other control-plane rules are
# pinned by their own fixtures
CODES = [f"CP{i:03}" for i in range(1, 47)] + [f"ND{i:03}" for i in range(1, 17)]
LETTER = {"PASS": "P", "FAIL": "F", "UNKNOWN": "U", "NOT_APPLICABLE": "-", "ERROR": "E"}


def scan(paths=(), node_configs=(), unavailable=None, provider="other", params=None) -> ScanResult:
    ms = read_paths([str(p) for p in paths], "c1") if paths else None
    objects = ms.objects if ms else []
    report = ms.report if ms else CollectionReport()
    facts = {"c1": ClusterFacts(name="c1", provider=provider)}
    facts.update(attach_node_configs([str(p) for p in node_configs], facts, report, "c1"))
    for kind, reason in (unavailable or {}).items():
        report.mark_unavailable("c1", kind, reason)
    inv = Inventory.build(facts.values(), objects)
    locate = SourceTexts(ms.texts).line_of if ms else None
    return run_scan(ScanInput(inv, report, locate), REGISTRY,
                    Settings(include=("controlplane/*", "node/*"), params=params or {}))


def letters(result: ScanResult) -> str:
    status = {rr.rule: rr.status for rr in result.rule_results}
    return "".join(LETTER[status[c]] for c in CODES)


def by_rule(result: ScanResult) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f)
    return out


def reason(result: ScanResult, code: str) -> str:
    return next(rr.reason or "" for rr in result.rule_results if rr.rule == code)

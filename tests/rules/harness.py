"""Run one rule over one fixture file, the way the scanner does."""

from __future__ import annotations

from pathlib import Path

import yaml

from kubeguard.collect.cloud_identity import attach_identity_facts
from kubeguard.collect.files import SourceTexts, read_paths
from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import ClusterFacts, Inventory
from kubeguard.model.result import ScanResult
from kubeguard.model.settings import Settings
from kubeguard.rules._registry import Registry, Rule

FIXTURE_CLUSTER = "fixture"


def scan_fixture(rule: Rule, registry: Registry, path: Path, params: dict | None = None,
                 facts: dict | None = None) -> ScanResult:
    ms = read_paths([str(path)], FIXTURE_CLUSTER)
    assert not ms.report.errors, [i.one_line() for i in ms.report.errors]
    cluster_facts = dict(ms.clusters)
    if FIXTURE_CLUSTER not in cluster_facts and any(o.cluster == FIXTURE_CLUSTER for o in ms.objects):
        f = facts or {}
        cluster_facts[FIXTURE_CLUSTER] = ClusterFacts(
            name=FIXTURE_CLUSTER, provider=f.get("provider", "other"),
            kubernetes_version=f.get("kubernetesVersion"), facts=f.get("facts", {}))
    attach_identity_facts(cluster_facts, ms.objects, ms.report)
    inv = Inventory.build(cluster_facts.values(), ms.objects)
    settings = Settings(include=(rule.code,), params={rule.code: params} if params else {})
    return run_scan(ScanInput(inv, ms.report, SourceTexts(ms.texts).line_of), registry, settings)


def finding_key(f) -> dict:
    obj = f"{f.kind}/{f.namespace}/{f.name}" if f.namespace else f"{f.kind}/{f.name}"
    d = {"object": obj, "path": f.path}
    if f.container:
        d["container"] = f.container
    if f.cluster != FIXTURE_CLUSTER:
        d["cluster"] = f.cluster
    return d


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text()) if path.is_file() else None

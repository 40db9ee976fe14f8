"""Rule evaluation shared with a forked helper gives exactly the single-process result."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

import kubeguard._fork as fork
from kubeguard.collect.files import SourceTexts, read_paths
from kubeguard.collect.fleet import DEMO_FLEET, read_fleet
from kubeguard.engine import run as engine
from kubeguard.engine.exemptions import parse_ignore_file
from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import Inventory
from kubeguard.model.settings import Settings
from kubeguard.rules._registry import Registry, default_registry

REG = default_registry()

IGNORE = """version: 1
ignores:
  - rule: "*"
    match: {namespace: kube-system, kind: DaemonSet}
    reason: node agents
    owner: platform
    expires: 2027-06-30
  - rule: WL001
    match: {cluster: eks-prod}
    reason: old exception
    owner: sre
    expires: 2026-10-31
"""
BAD_ANNOTATIONS = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: annotated
  namespace: shop
  annotations: {kubeguard.dev/ignore.WL001: "no owner or expiry", kubeguard.dev/ignore.NOPE999: "x; owner=a"}
spec:
  template:
    spec:
      containers: [{name: c, image: nginx, securityContext: {privileged: true}}]
"""


def _broken(target, ctx):
    raise RuntimeError("rule bug")


def _result(parallel: bool, monkeypatch, ms, registry, settings, ignore_text=IGNORE):
    monkeypatch.setattr(engine, "PARALLEL_MIN_WORK", 0 if parallel else 10**12)
    monkeypatch.setattr(fork, "helper_usable", lambda: parallel)
    ignores = parse_ignore_file(ignore_text, ".kubeguardignore.yaml", lambda k: (REG.get(k).code if REG.get(k)
                                                                                else ("*" if k == "*" else None)))
    inv = Inventory.build(ms.clusters.values(), ms.objects)
    from kubeguard.model.collection import CollectionReport

    res = run_scan(ScanInput(inv, CollectionReport(), SourceTexts(ms.texts).line_of), registry, settings, ignores)
    doc = res.to_dict()
    doc.pop("createdAt")
    return doc


@pytest.fixture
def demo_with_problems(tmp_path):
    ms = read_fleet(DEMO_FLEET)
    extra = tmp_path / "extra.yaml"
    extra.write_text(BAD_ANNOTATIONS)
    more = read_paths([str(extra)], "eks-prod")
    ms.objects.extend(more.objects)
    ms.texts.update(more.texts)
    return ms


def test_parallel_evaluation_equals_sequential(monkeypatch, demo_with_problems):
    rules = list(REG.rules)
    broken = next(r for r in rules if r.meta.target == "workload")
    registry = Registry([dataclasses.replace(r, evaluate=_broken) if r is broken else r for r in rules])
    settings = Settings(today=date(2026, 12, 1), include_passed=True)
    from kubeguard.engine import parallel

    received = []
    real_unpack = parallel._unpack
    monkeypatch.setattr(parallel, "_unpack", lambda packed: received.append(1) or real_unpack(packed))
    seq = _result(False, monkeypatch, demo_with_problems, registry, settings)
    par = _result(True, monkeypatch, demo_with_problems, registry, settings)
    assert received, "the helper evaluated nothing"
    assert seq == par
    issues = [i["message"] for i in seq["collection"]["issues"]]
    assert sum("annotated" in m for m in issues) == 2, issues  # each bad annotation once, not once per process
    assert any("rule bug" in m for m in issues)
    states = {e["entry"]: (e["status"], e["matched"], e["wouldMatch"]) for e in seq["exemptions"]}
    assert all(m + w > 0 for _, m, w in states.values()), states  # counters from both processes add up
    assert {f["status"] for f in seq["findings"]} >= {"PASS", "FAIL", "EXEMPT", "ERROR"}


def test_a_failing_helper_is_redone_by_the_parent(monkeypatch, demo_with_problems):
    from kubeguard.engine import parallel

    monkeypatch.setattr(parallel, "_pack", lambda o: (_ for _ in ()).throw(RuntimeError("cannot send")))
    settings = Settings(today=date(2026, 12, 1))
    seq = _result(False, monkeypatch, demo_with_problems, REG, settings)
    par = _result(True, monkeypatch, demo_with_problems, REG, settings)
    assert seq == par and seq["findings"]


def test_no_process_to_be_had_means_one_process(monkeypatch, demo_with_problems):
    import os

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    settings = Settings(today=date(2026, 12, 1))
    par = _result(True, monkeypatch, demo_with_problems, REG, settings)
    monkeypatch.undo()
    seq = _result(False, monkeypatch, demo_with_problems, REG, settings)
    assert par == seq and par["findings"]

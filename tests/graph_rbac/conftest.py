"""Tiny inventories for RBAC tests, built from YAML text."""

from __future__ import annotations

import textwrap

import pytest

from kubeguard.collect.cloud_identity import attach_identity_facts
from kubeguard.collect.files import read_paths
from kubeguard.graph.rbac import RbacGraph, build
from kubeguard.model import ClusterFacts, CollectionReport, Inventory


def make_graph(tmp_path, text: str, source: str = "manifests", provider: str = "other",
               facts: dict | None = None, assume_defaults: bool = False) -> RbacGraph:
    p = tmp_path / "in.yaml"
    p.write_text(textwrap.dedent(text))
    ms = read_paths([str(p)], "c")
    assert not ms.report.errors, [i.one_line() for i in ms.report.errors]
    cf = {"c": ClusterFacts("c", provider=provider, source=source, facts=dict(facts or {}))}
    attach_identity_facts(cf, ms.objects, CollectionReport())
    inv = Inventory.build(cf.values(), ms.objects)
    return build(inv.cluster("c"), assume_defaults=assume_defaults)


@pytest.fixture
def graph_of(tmp_path):
    def _make(text: str, **kw) -> RbacGraph:
        return make_graph(tmp_path, text, **kw)
    return _make

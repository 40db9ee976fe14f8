"""Builds the fleet snapshots the cloud rules' fixture folders point at.

``tests/fixtures/cloud/{insecure,hardened}.snapshot.json`` hold three clusters
(EKS, AKS, GKE; ``allowlisted`` one EKS cluster with a public, allow-listed endpoint) whose cloud facts come from the provider JSON in
``tests/fixtures/cloud/<provider>-<kind>/`` read by the real reader; the rule
folders link to them.  ``test_cloud_fixtures_are_current`` fails when a reader
change makes them stale; rebuild with ``python -m tests.cloud.snapshots``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import orjson

from kubeguard.collect.cloud import attach_cloud
from kubeguard.collect.snapshot import SnapshotCluster, snapshot_document
from kubeguard.model import ClusterFacts, CollectionReport

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "cloud"
CREATED = datetime(2026, 12, 1, tzinfo=timezone.utc)

# Objects that make the hardened clusters pass the rules that look inside the cluster.
VERIFY_IMAGES = {"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy", "metadata": {"name": "verify-signatures"},
                 "spec": {"validationFailureAction": "Enforce", "rules": [{
                     "name": "cosign", "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
                     "verifyImages": [{"imageReferences": ["registry.example.com/*"],
                                       "attestors": [{"entries": [{"keys": {"publicKeys": "-----BEGIN PUBLIC KEY-----"}}]}]}]}]}}
FALCO = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "falco", "namespace": "falco"},
         "spec": {"selector": {"matchLabels": {"app": "falco"}}, "template": {
             "metadata": {"labels": {"app": "falco"}},
             "spec": {"containers": [{"name": "falco", "image": "falcosecurity/falco:0.39.2"}]}}}}


KINDS = {"insecure": ("eks", "aks", "gke"), "hardened": ("eks", "aks", "gke"), "allowlisted": ("eks",)}


def build(kind: str) -> dict:
    clusters = []
    for provider in KINDS[kind]:
        folder = HERE / f"{provider}-{kind}"
        report = CollectionReport()
        name = f"{provider}-{kind}"
        files = [str(p) for p in sorted(folder.glob("*.json"))]
        facts = attach_cloud(files, {name: ClusterFacts(name=name, source="snapshot")}, report)[name]
        assert not report.issues, [i.one_line() for i in report.issues]
        # keep file names short and machine-independent
        for part, fs in facts.facts["cloud"]["files"].items():
            facts.facts["cloud"]["files"][part] = [f"{provider}-{kind}/{Path(f).name}" for f in fs]
        objects = [] if kind != "hardened" else ([FALCO] if provider == "gke" else [VERIFY_IMAGES])
        clusters.append(SnapshotCluster(facts, objects))
    return snapshot_document(clusters, CREATED)


def render(kind: str) -> bytes:
    return orjson.dumps(build(kind), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


if __name__ == "__main__":
    for k in KINDS:
        (HERE / f"{k}.snapshot.json").write_bytes(render(k))

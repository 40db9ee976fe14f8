"""The benchmark's fleet generator: deterministic, valid objects, the intended mix."""

from __future__ import annotations

import re
from collections import Counter

import orjson
import pytest

from bench import generate
from kubeguard.collect.files import read_paths
from kubeguard.collect.fleet import read_fleet
from kubeguard.model.inventory import Inventory
from kubeguard.model.objects import CLUSTER_SCOPED_KINDS

DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
RBAC_NAME = re.compile(r"^[a-z0-9:.-]+$")  # RBAC objects take path-segment names, e.g. system:coredns
RBAC_KINDS = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}


@pytest.fixture(scope="module")
def fleet():
    return generate.generate(clusters=3, objects=1500, seed=7)


def test_same_seed_same_bytes_other_seed_differs(fleet):
    again = generate.generate(clusters=3, objects=1500, seed=7)
    assert orjson.dumps([c.objects for c in fleet]) == orjson.dumps([c.objects for c in again])
    other = generate.generate(clusters=3, objects=1500, seed=8)
    assert orjson.dumps([c.objects for c in fleet]) != orjson.dumps([c.objects for c in other])


def test_manifest_files_are_byte_identical_across_runs(tmp_path, fleet):
    generate.write_manifests(fleet, tmp_path / "a")
    generate.write_manifests(generate.generate(clusters=3, objects=1500, seed=7), tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert len(files) > 10
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_objects_are_valid_kubernetes_objects(fleet):
    assert [c.cloud.provider for c in fleet] == ["eks", "aks", "gke"]
    for c in fleet:
        assert 450 <= len(c.objects) <= 700, (c.name, len(c.objects))
        keys, uids = set(), set()
        for o in c.objects:
            assert isinstance(o["apiVersion"], str) and isinstance(o["kind"], str), o
            meta = o["metadata"]
            pattern = RBAC_NAME if o["kind"] in RBAC_KINDS else DNS_SUBDOMAIN
            assert pattern.match(meta["name"]) and len(meta["name"]) <= 253, meta["name"]
            namespaced = o["kind"] not in CLUSTER_SCOPED_KINDS and o["kind"] != "Node"
            assert ("namespace" in meta) == namespaced, (o["kind"], meta["name"])
            key = (o["apiVersion"].split("/")[0], o["kind"], meta.get("namespace"), meta["name"])
            assert key not in keys, f"duplicate {key} in {c.name}"
            keys.add(key)
            uids.add(meta["uid"])
        for o in c.objects:  # every owner is in the same cluster
            for ref in o["metadata"].get("ownerReferences", []):
                assert ref["uid"] in uids, (o["kind"], o["metadata"]["name"])


def test_kinds_and_security_mix():
    fleet = generate.generate(clusters=3, objects=6000, seed=3)
    kinds = Counter(o["kind"] for c in fleet for o in c.objects)
    for kind in ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "ReplicaSet", "Pod", "Service", "Ingress",
                 "ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding",
                 "NetworkPolicy", "CustomResourceDefinition", "Rollout", "Node", "Namespace"):
        assert kinds[kind] > 0, kind
    app_containers = [x for c in fleet for o in c.objects
                      if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet")
                      and o["metadata"]["namespace"] != "kube-system"
                      for x in o["spec"]["template"]["spec"]["containers"]]
    sc = [x.get("securityContext", {}) for x in app_containers]
    privileged = sum(1 for s in sc if s.get("privileged") is True)
    root = sum(1 for s in sc if s.get("runAsUser") == 0)
    hardened = sum(1 for s in sc if s.get("readOnlyRootFilesystem") is True
                   and s.get("capabilities", {}).get("drop") == ["ALL"])
    assert privileged > 0 and root > 0 and hardened > privileged + root
    assert any(r["roleRef"]["name"] == "cluster-admin" and r["subjects"][0]["name"] == "default"
               for c in fleet for r in c.objects if r["kind"] == "ClusterRoleBinding")
    assert any(o["spec"]["type"] == "LoadBalancer" for c in fleet for o in c.objects
               if o["kind"] == "Service" and o["apiVersion"] == "v1")


def test_manifests_read_cleanly_and_pod_templates_are_found(tmp_path, fleet):
    generate.write_manifests(fleet, tmp_path)
    ms = read_fleet(tmp_path / "fleet.yaml")
    assert not ms.report.issues, ms.report.issues[:3]
    assert len(ms.objects) == sum(len(c.objects) for c in fleet)
    assert {f.provider for f in ms.clusters.values()} == {"eks", "aks", "gke"}
    inv = Inventory.build(ms.clusters.values(), ms.objects)
    top_kinds = Counter(v.kind for c in inv.clusters for v in c.workloads())
    # owned ReplicaSets and Pods are folded into their controller; CRs with templates are found
    assert top_kinds["ReplicaSet"] == 0 and top_kinds["Deployment"] > 0
    assert {"Rollout", "CloneSet", "DaemonSet", "StatefulSet"} <= set(top_kinds)
    # every fake secret value is gone after reading
    dump = orjson.dumps([o.raw for o in ms.objects if o.kind == "Secret"])
    assert generate.FAKE_SECRET_PREFIX.encode() not in dump


def test_snapshot_round_trip(tmp_path, fleet):
    path = tmp_path / "fleet.snapshot.json.gz"
    generate.write_snapshot(fleet, path)
    ms = read_paths([str(path)], "unused")
    assert not ms.report.issues
    assert sorted(ms.clusters) == sorted(c.name for c in fleet)
    assert len(ms.objects) == sum(len(c.objects) for c in fleet)


def test_rejects_sizes_too_small_to_be_realistic():
    with pytest.raises(ValueError, match="at least"):
        generate.generate(clusters=3, objects=100)

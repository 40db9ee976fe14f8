from __future__ import annotations

import gzip
import json
import os
import stat
from pathlib import Path

import orjson

from kubeguard.collect.files import SourceTexts, read_paths
from kubeguard.collect.redact import REDACTED
from kubeguard.collect.snapshot import SnapshotCluster, read_snapshot, write_snapshot
from kubeguard.model import ClusterFacts

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ns"},
       "spec": {"containers": [{"name": "c", "image": "nginx"}]}}


def test_directory_recursion_json_list_and_non_objects(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "list.json").write_text(json.dumps(
        {"apiVersion": "v1", "kind": "List", "items": [POD, {**POD, "metadata": {"name": "q"}}]}))
    (tmp_path / "values.yaml").write_text("replicas: 3\n")  # skipped by name
    (tmp_path / "notes.yaml").write_text("just: config\n")
    (tmp_path / "README.md").write_text("# not yaml")
    ms = read_paths([str(tmp_path)], "c1")
    names = sorted(o.name for o in ms.objects)
    assert names == ["p", "q"]
    q = next(o for o in ms.objects if o.name == "q")
    assert q.namespace == "default" and q.source.prefix == ("items", 1)
    warn = [i for i in ms.report.issues if "notes.yaml" in (i.file or "")]
    assert warn and "no apiVersion" in warn[0].message and warn[0].level == "warning"


def test_kubectl_yaml_list_lines(tmp_path):
    f = tmp_path / "dump.yaml"
    f.write_text("apiVersion: v1\nkind: PodList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n"
                 "  spec:\n    containers:\n    - name: c\n      image: x\n")
    ms = read_paths([str(f)], "c")
    [o] = ms.objects
    assert SourceTexts(ms.texts).line_of(o, ("spec", "containers", 0, "image")) == 11


def test_unreadable_and_missing_files_are_one_line_issues(tmp_path):
    f = tmp_path / "locked.yaml"
    f.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n")
    f.chmod(0)
    ms = read_paths([str(f), str(tmp_path / "missing.yaml")], "c")
    msgs = [i.one_line() for i in ms.report.issues]
    assert any("missing.yaml" in m and "no such file" in m for m in msgs)
    if os.geteuid() != 0:  # root can read anything
        assert any("locked.yaml" in m for m in msgs)
    f.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_bad_metadata_and_non_utf8(tmp_path):
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: [1, 2]\n")
    (tmp_path / "b.yaml").write_bytes(b"apiVersion: v1\nkind: Pod\nmetadata: {name: \xff}\n")
    ms = read_paths([str(tmp_path)], "c")
    msgs = [i.one_line() for i in ms.report.issues]
    assert any("a.yaml:1" in m and "metadata must be a mapping" in m for m in msgs)
    assert any("b.yaml" in m and "not UTF-8" in m for m in msgs)
    assert not ms.objects


def test_secret_values_are_redacted_at_read(tmp_path):
    (tmp_path / "s.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n"
        "    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"k\":\"Y2FuYXJ5\"}}'\n"
        "data:\n  k: Y2FuYXJ5\nstringData:\n  p: canary-value\n")
    [o] = read_paths([str(tmp_path)], "c").objects
    assert o.raw["data"] == {"k": REDACTED} and o.raw["stringData"] == {"p": REDACTED}
    assert "canary" not in orjson.dumps(o.raw).decode()


def test_snapshot_roundtrip_keeps_clusters_facts_and_unavailable(tmp_path):
    p = tmp_path / "fleet.snapshot.json.gz"
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "ns"},
              "data": {"token": "c2VjcmV0LWNhbmFyeQ=="}}
    write_snapshot(p, [
        SnapshotCluster(ClusterFacts("prod", "eks", "v1.30.1", {"cni": {"name": "aws-vpc-cni"}}), [POD, secret],
                        unavailable={"Secret": "forbidden (403)"}),
        SnapshotCluster(ClusterFacts("dev", "kind", "v1.31.0"), [POD]),
    ])
    raw = gzip.decompress(p.read_bytes())
    assert b"c2VjcmV0LWNhbmFyeQ" not in raw
    doc = orjson.loads(raw)
    assert doc["kind"] == "FleetSnapshot" and doc["formatVersion"] == 1
    ms = read_paths([str(p)], "ignored")
    assert set(ms.clusters) == {"prod", "dev"}
    assert ms.clusters["prod"].provider == "eks" and ms.clusters["prod"].facts["cni"]["name"] == "aws-vpc-cni"
    assert ms.report.unavailable == {"prod": {"Secret": "forbidden (403)"}}
    assert sorted((o.cluster, o.kind) for o in ms.objects) == [("dev", "Pod"), ("prod", "Pod"), ("prod", "Secret")]


def test_bad_snapshots_are_one_line_errors(tmp_path):
    a = tmp_path / "a.snapshot.json"
    a.write_text('{"kind": "Other"}')
    b = tmp_path / "b.json.gz"
    b.write_bytes(b"\x1f\x8bnot really gzip")
    c = tmp_path / "c.snapshot.json"
    c.write_text('{"apiVersion": "kubeguard.dev/v1alpha1", "kind": "FleetSnapshot", "formatVersion": 99}')
    ms = read_paths([str(a), str(b), str(c)], "x")
    msgs = [i.one_line() for i in ms.report.issues]
    assert len(msgs) == 3 and all("\n" not in m for m in msgs)
    assert "not a kubeguard snapshot" in msgs[0] and "formatVersion 99" in msgs[2]


def _fake_tool(tmp_path: Path, name: str, script: str) -> Path:
    bindir = tmp_path / "bin"
    bindir.mkdir(exist_ok=True)
    tool = bindir / name
    tool.write_text("#!/bin/sh\n" + script)
    tool.chmod(0o755)
    return bindir


def test_helm_chart_rendered_with_sources(tmp_path, monkeypatch):
    chart = tmp_path / "mychart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: mychart\nversion: 0.1.0\n")
    (chart / "templates" / "pod.yaml").write_text("{{ not yaml }}\n")
    rendered = ("---\n# Source: mychart/templates/pod.yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"
                "spec:\n  containers:\n  - name: c\n    image: nginx\n")
    out = tmp_path / "rendered.yaml"
    out.write_text(rendered)
    bindir = _fake_tool(tmp_path, "helm", f'[ "$1" = template ] && cat "{out}"\n')
    monkeypatch.setenv("PATH", f"{bindir}:/usr/bin:/bin")
    ms = read_paths([str(chart)], "c")
    assert not ms.report.issues
    [o] = ms.objects
    assert o.name == "web" and o.source.origin == "helm"
    assert o.source.file.endswith("mychart/templates/pod.yaml")


def test_helm_missing_binary_is_a_clear_error(tmp_path, monkeypatch):
    chart = tmp_path / "c"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("name: c\n")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    ms = read_paths([str(chart)], "c")
    [issue] = ms.report.issues
    assert "no 'helm' binary on PATH" in issue.message and not ms.objects


def test_helm_failure_reports_last_stderr_line(tmp_path, monkeypatch):
    chart = tmp_path / "c"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("name: c\n")
    bindir = _fake_tool(tmp_path, "helm", 'echo "Error: template: c/templates/x.yaml:3: bad" >&2; exit 1\n')
    monkeypatch.setenv("PATH", f"{bindir}:/usr/bin:/bin")
    [issue] = read_paths([str(chart)], "c").report.issues
    assert "helm template failed: Error: template: c/templates/x.yaml:3: bad" in issue.message


def test_kustomize_directory_rendered(tmp_path, monkeypatch):
    k = tmp_path / "overlay"
    k.mkdir()
    (k / "kustomization.yaml").write_text("resources: [pod.yaml]\n")
    (k / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: raw}\n")
    bindir = _fake_tool(tmp_path, "kubectl", '[ "$1" = kustomize ] && printf "apiVersion: v1\\nkind: Pod\\n'
                                            'metadata:\\n  name: built\\n"\n')
    monkeypatch.setenv("PATH", f"{bindir}:/usr/bin:/bin")
    ms = read_paths([str(k)], "c")
    assert [o.name for o in ms.objects] == ["built"] and ms.objects[0].source.origin == "kustomize"

"""--node-config: KubeletConfiguration files and configz JSON read into cluster facts (collect/nodeconfig.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kubeguard.collect.nodeconfig import REDACTED, attach_node_configs, merge_patch, read_config, split_spec
from kubeguard.collect.snapshot import SnapshotCluster, read_snapshot, write_snapshot
from kubeguard.collect.files import ManifestSet
from kubeguard.model import ClusterFacts, CollectionReport

from .helpers import DATA, NODE

KC = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_spec_forms(tmp_path):
    assert split_spec("a/config.yaml") == (None, None, "a/config.yaml")
    assert split_spec("worker-1=a/config.yaml") == (None, "worker-1", "a/config.yaml")
    assert split_spec("prod/worker-1=a/config.yaml") == ("prod", "worker-1", "a/config.yaml")
    odd = _write(tmp_path, "x=y.yaml", KC)
    assert split_spec(str(odd)) == (None, None, str(odd))  # an existing path wins over NODE=FILE


def test_file_and_configz_give_the_same_fields():
    if not NODE.is_dir():
        pytest.skip("shared node fixtures not present")
    file_cfg, file_effective = read_config(str(NODE / "kubelet-config-insecure.yaml"))
    live_cfg, live_effective = read_config(str(NODE / "kubelet-configz-insecure.json"))
    assert (file_effective, live_effective) == (False, True)
    assert "apiVersion" not in file_cfg and "kind" not in file_cfg
    for key in ("readOnlyPort", "authentication", "authorization", "featureGates", "tlsCipherSuites", "podPidsLimit"):
        assert file_cfg[key] == live_cfg[key], key
    assert file_cfg["streamingConnectionIdleTimeout"] == live_cfg["streamingConnectionIdleTimeout"] == "0s"


def test_kubeadm_multi_document_config_uses_the_kubelet_document(tmp_path):
    p = _write(tmp_path, "kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n---\n"
                                         + KC + "readOnlyPort: 0\nrotateCertificates: true\n")
    assert read_config(str(p)) == ({"readOnlyPort": 0, "rotateCertificates": True}, False)


def test_drop_ins_merge_like_the_kubelet(tmp_path):
    base = _write(tmp_path, "config.yaml", KC + "authentication:\n  anonymous: {enabled: true}\n"
                                           "  webhook: {enabled: true}\ntlsCipherSuites: [A, B]\n")
    drop = _write(tmp_path, "10-hardening.conf", KC + "authentication:\n  anonymous: {enabled: false}\n"
                                                 "tlsCipherSuites: [C]\n")
    report = CollectionReport()
    out = attach_node_configs([f"w1={base}", f"w1={drop}"], {"c": ClusterFacts(name="c")}, report, "c")
    cfg = out["c"].facts["kubelet"]["w1"]
    assert cfg["authentication"] == {"anonymous": {"enabled": False}, "webhook": {"enabled": True}}
    assert cfg["tlsCipherSuites"] == ["C"]  # lists are replaced, not merged
    given = out["c"].facts["kubeletFiles"]["w1"]
    assert [f.rsplit("/", 1)[-1] for f in given["file"].split(", ")] == ["config.yaml", "10-hardening.conf"]
    assert given["configz"] is False
    assert merge_patch({"a": 1, "b": {"c": 2}}, {"a": None, "b": {"d": 3}}) == {"b": {"c": 2, "d": 3}}


def test_nodes_are_named_after_files_and_collisions_get_a_suffix(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = _write(tmp_path / "a", "config.yaml", KC)
    two = _write(tmp_path / "b", "config.yaml", KC + "readOnlyPort: 10255\n")
    out = attach_node_configs([str(one), str(two)], {}, CollectionReport(), "manifests")
    assert sorted(out["manifests"].facts["kubelet"]) == ["config", "config-2"]


@pytest.mark.parametrize("text,message,line", [
    ("readOnlyPort: [unclosed\n", "YAML syntax error", 2),
    ("apiVersion: v1\nkind: ConfigMap\n", "not a node configuration file", None),
    ("apiVersion: kubelet.config.k8s.io/v1alpha1\nkind: KubeletConfiguration\n",
     "apiVersion 'kubelet.config.k8s.io/v1alpha1' is not supported", None),
    (KC + "---\n" + KC, "2 kubelet configurations in one file", None),
    ('{"kubeletconfig": ', "invalid JSON", None),
])
def test_bad_input_is_one_line_naming_the_file(tmp_path, text, message, line):
    p = _write(tmp_path, "bad.yaml", text)
    report = CollectionReport()
    out = attach_node_configs([str(p)], {"c": ClusterFacts(name="c")}, report, "c")
    assert out == {}
    [issue] = report.issues
    assert message in issue.message and issue.file.endswith("bad.yaml") and issue.line == line
    assert "\n" not in issue.one_line()


def test_missing_file_and_unscanned_cluster(tmp_path):
    report = CollectionReport()
    attach_node_configs([str(tmp_path / "nope.yaml")], {}, report, "c")
    assert "cannot read --node-config file: No such file" in report.issues[0].one_line()
    cfg = _write(tmp_path, "k.yaml", KC)
    report = CollectionReport()
    two = {"a": ClusterFacts(name="a"), "b": ClusterFacts(name="b")}
    assert attach_node_configs([str(cfg)], two, report, "c") == {}
    assert "name this file's cluster with --node-config CLUSTER/NODE=FILE" in report.issues[0].message
    out = attach_node_configs([f"b/w1={cfg}", f"zz/w1={cfg}"], two, report, "c")
    assert list(out) == ["b"] and "cluster 'zz' is not scanned" in report.issues[-1].message


def test_given_file_replaces_live_configz_with_a_warning(tmp_path):
    cfg = _write(tmp_path, "k.yaml", KC + "readOnlyPort: 0\n")
    live = ClusterFacts(name="c", source="live", facts={"kubelet": {"w1": {"readOnlyPort": 10255}, "w2": {}}})
    report = CollectionReport()
    out = attach_node_configs([f"w1={cfg}"], {"c": live}, report, "c")
    assert out["c"].facts["kubelet"] == {"w1": {"readOnlyPort": 0}, "w2": {}}
    assert out["c"].facts["kubeletFiles"]["w1"]["configz"] is False
    assert report.issues[0].level == "warning" and "replaces the one read from configz" in report.issues[0].message
    assert live.facts["kubelet"]["w1"] == {"readOnlyPort": 10255}  # the input facts are not modified


def test_given_file_fills_in_a_node_whose_configz_was_not_read(tmp_path):
    cfg = _write(tmp_path, "k.yaml", KC + "readOnlyPort: 0\n")
    live = ClusterFacts(name="c", source="live", facts={"kubelet": {"w1": {}},
                                                         "kubeletUnread": {"w2": "503", "w3": "503"}})
    report = CollectionReport()
    out = attach_node_configs([f"w2={cfg}"], {"c": live}, report, "c")
    assert out["c"].facts["kubeletUnread"] == {"w3": "503"} and out["c"].facts["kubelet"]["w2"] == {"readOnlyPort": 0}
    assert not report.issues  # nothing read live was replaced


def test_static_pod_url_headers_keep_names_only(tmp_path):
    p = _write(tmp_path, "k.yaml", KC + "staticPodURLHeader:\n  Authorization: ['Bearer abc.def']\n  X-Extra: [v]\n")
    cfg, _ = read_config(str(p))
    assert cfg["staticPodURLHeader"] == {"Authorization": [REDACTED], "X-Extra": [REDACTED]}


def test_kubelet_facts_survive_a_snapshot(tmp_path):
    cfg = _write(tmp_path, "k.yaml", KC + "readOnlyPort: 10255\n")
    out = attach_node_configs([f"w1={cfg}"], {}, CollectionReport(), "c")
    path = tmp_path / "fleet.snapshot.json.gz"
    write_snapshot(path, [SnapshotCluster(out["c"], [])])
    ms = ManifestSet()
    read_snapshot(ms, path)
    assert ms.clusters["c"].facts["kubelet"] == {"w1": {"readOnlyPort": 10255}}


# --- the command line --------------------------------------------------------------------------------

def kg(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "kubeguard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_cli_scans_node_configuration_alone_and_with_manifests(tmp_path):
    p = kg("scan", "--node-config", f"worker-1={DATA / 'kubelet-config-hardened.yaml'}", "--rules", "node/*",
           "--include-passed", "-f", "json", "--fail-on", "low", "--no-progress")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["inputs"]["mode"] == "node-config"
    status = {r["rule"]: r["status"] for r in doc["ruleResults"]}
    assert status["ND001"] == "PASS" and status["ND007"] == "UNKNOWN"
    p = kg("scan", str(DATA / "kube-apiserver-hardened.yaml"), "--node-config",
           str(DATA / "kubelet-configz-hardened.json"), "--framework", "cis-kubernetes", "-f", "json", "--no-progress")
    assert p.returncode == 0, p.stderr
    [fw] = json.loads(p.stdout)["frameworks"]
    req = {r["id"]: r for r in fw["clusters"][0]["requirements"]}
    assert req["1.2.1"]["status"] == "PASS" and req["4.2.1"]["status"] == "PASS"
    assert req["1.1.1"]["status"] == "MANUAL" and "needs node access" in req["1.1.1"]["reason"]


def test_cli_bad_node_config_is_one_line_without_traceback(tmp_path):
    bad = _write(tmp_path, "broken.yaml", "kind: [\n")
    p = kg("scan", "--node-config", str(bad), "--no-progress")
    assert p.returncode == 3
    assert "Traceback" not in p.stderr and "broken.yaml:" in p.stderr and "YAML syntax error" in p.stderr

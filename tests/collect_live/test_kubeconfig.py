"""Targets: kubeconfig merging as kubectl does, contexts, exec credential plugins, usage errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from kubeguard.collect import live_config
from kubeguard.collect.live import collect
from kubeguard.collect.live_config import LiveConfigError, LiveOptions, resolve_targets

from .conftest import write_kubeconfig
from .fakeapi import BUILTIN, obj


def two_files(tmp_path, url_a: str, url_b: str):
    """a.yaml: current a, contexts a and shared (-> url_a); b.yaml: current b, contexts b and shared (-> url_b)."""
    a = write_kubeconfig(tmp_path / "a.yaml", {"a": {"server": url_a, "token": "t"},
                                               "shared": {"server": url_a, "token": "t", "cluster": "s-a"}},
                         current="a")
    b = write_kubeconfig(tmp_path / "b.yaml", {"b": {"server": url_b, "token": "t"},
                                               "shared": {"server": url_b, "token": "t", "cluster": "s-b"}},
                         current="b")
    return a, b


def test_multi_file_kubeconfig_first_file_wins(tmp_path):
    a, b = two_files(tmp_path, "https://a.example:6443", "https://b.example:6443")
    env = {"KUBECONFIG": os.pathsep.join([str(a), str(tmp_path / "missing.yaml"), str(b)])}
    targets, kc = resolve_targets(LiveOptions(), env)
    assert [t.name for t in targets] == ["a"]  # current-context from the first file that sets it
    assert kc.contexts == ["a", "shared", "b"]
    assert kc.server_of("shared") == "https://a.example:6443"  # first definition of a name wins
    targets, _ = resolve_targets(LiveOptions(all_contexts=True), env)
    assert [t.name for t in targets] == ["a", "shared", "b"]
    env_rev = {"KUBECONFIG": os.pathsep.join([str(b), str(a)])}
    targets, kc = resolve_targets(LiveOptions(), env_rev)
    assert [t.name for t in targets] == ["b"] and kc.server_of("shared") == "https://b.example:6443"


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_merge_agrees_with_kubectl(tmp_path):
    a, b = two_files(tmp_path, "https://a.example:6443", "https://b.example:6443")
    env = {**os.environ, "KUBECONFIG": os.pathsep.join([str(a), str(b)])}
    current = subprocess.run(["kubectl", "config", "current-context"], env=env, capture_output=True, text=True,
                             check=True).stdout.strip()
    server = subprocess.run(["kubectl", "config", "view", "--minify", "--context", "shared", "-o",
                             "jsonpath={.clusters[0].cluster.server}"],
                            env=env, capture_output=True, text=True, check=True).stdout.strip()
    targets, kc = resolve_targets(LiveOptions(), {"KUBECONFIG": env["KUBECONFIG"]})
    assert targets[0].name == current == "a"
    assert kc.server_of("shared") == server


def test_explicit_kubeconfig_and_usage_errors(tmp_path):
    a, _ = two_files(tmp_path, "https://a.example:6443", "https://b.example:6443")
    targets, _ = resolve_targets(LiveOptions(kubeconfig=str(a), contexts=["shared", "a", "shared"]), {})
    assert [t.name for t in targets] == ["shared", "a"]
    with pytest.raises(LiveConfigError, match="context 'nope' not found"):
        resolve_targets(LiveOptions(kubeconfig=str(a), contexts=["nope"]), {})
    with pytest.raises(LiveConfigError, match="no such file"):
        resolve_targets(LiveOptions(kubeconfig=str(tmp_path / "absent")), {})
    with pytest.raises(LiveConfigError, match="no kubeconfig found"):
        resolve_targets(LiveOptions(), {"KUBECONFIG": str(tmp_path / "absent"), "HOME": str(tmp_path)})
    (tmp_path / "bad.yaml").write_text("clusters: [\n")
    with pytest.raises(LiveConfigError, match="not valid YAML"):
        resolve_targets(LiveOptions(kubeconfig=str(tmp_path / "bad.yaml")), {})
    nocurrent = write_kubeconfig(tmp_path / "n.yaml", {"x": {"server": "https://x:1"}})
    with pytest.raises(LiveConfigError, match="no current-context"):
        resolve_targets(LiveOptions(kubeconfig=str(nocurrent)), {})


def test_missing_client_is_a_one_line_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "kubernetes", None)
    with pytest.raises(LiveConfigError, match=r"pip install 'kubeguard\[live\]'"):
        live_config.require_client()


@pytest.mark.parametrize("api_version", ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"])
def test_exec_credential_plugin(fake, tmp_path, api_version):
    """A plugin as EKS, GKE and AKS write them: reads KUBERNETES_EXEC_INFO, prints an ExecCredential."""
    plugin = tmp_path / "fake-auth-plugin"
    plugin.write_text(f"""#!{sys.executable}
import json, os, sys
info = json.loads(os.environ["KUBERNETES_EXEC_INFO"])
assert info["apiVersion"] == {api_version!r}, info
assert sys.argv[1:] == ["get-token", "--cluster-name", "prod"], sys.argv
print(json.dumps({{"apiVersion": info["apiVersion"], "kind": "ExecCredential",
                  "status": {{"token": os.environ["FAKE_TOKEN"], "expirationTimestamp": "2099-01-01T00:00:00Z"}}}}))
""")
    plugin.chmod(0o755)
    c = fake([obj("v1", "Namespace", "default")], BUILTIN, token="from-plugin-123")
    exec_cfg = {"apiVersion": api_version, "command": str(plugin), "args": ["get-token", "--cluster-name", "prod"],
                "env": [{"name": "FAKE_TOKEN", "value": "from-plugin-123"}], "interactiveMode": "Never"}
    kc = write_kubeconfig(tmp_path / "config", {"prod": {"server": c.url, "exec": exec_cfg}}, current="prod")
    [r] = collect(LiveOptions(kubeconfig=str(kc)), environ={})
    assert r.reachable, r.report.unavailable
    assert r.facts.facts["connection"]["auth"] == "exec plugin"
    assert [o["metadata"]["name"] for o in r.objects if o["kind"] == "Namespace"] == ["default"]
    assert all(h.get("authorization") == "Bearer from-plugin-123" for _, _, h in c.requests)

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
from .fakeapi import BUILTIN, obj, pod_template


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


def rotating_plugin(tmp_path, fail_after: int | None = None):
    """An exec plugin that prints token-A on its first run and token-B after; each run is counted in a file.

    The credential claims to be valid until 2099, so the client keeps it cached: only the
    server's 401 can make it run the plugin again.  ``fail_after``: runs after that many fail.
    """
    runs = tmp_path / "plugin-runs"
    runs.write_text("0")
    plugin = tmp_path / "rotating-plugin"
    plugin.write_text(f"""#!{sys.executable}
import json, pathlib, sys
runs = pathlib.Path({str(runs)!r})
n = int(runs.read_text()) + 1
runs.write_text(str(n))
fail_after = {fail_after!r}
if fail_after is not None and n > fail_after:
    sys.stderr.write("refresh token revoked, log in again\\n")
    sys.exit(2)
print(json.dumps({{"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                  "status": {{"token": "token-A" if n == 1 else "token-B",
                             "expirationTimestamp": "2099-01-01T00:00:00Z"}}}}))
""")
    plugin.chmod(0o755)
    exec_cfg = {"apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin), "interactiveMode": "Never"}
    return exec_cfg, lambda: int(runs.read_text())


def sent_tokens(c) -> list[tuple[str, str]]:
    return [(p, h.get("authorization", "")) for p, _, h in c.requests]


def test_401_runs_the_exec_plugin_again_and_retries_once(fake, tmp_path):
    exec_cfg, runs = rotating_plugin(tmp_path)
    c = fake([obj("v1", "Namespace", "default")], BUILTIN, token=lambda i: "token-A" if i == 0 else "token-B")
    kc = write_kubeconfig(tmp_path / "config", {"prod": {"server": c.url, "exec": exec_cfg}}, current="prod")
    [r] = collect(LiveOptions(kubeconfig=str(kc)), environ={})
    assert r.reachable and not r.report.issues, r.report.unavailable
    assert runs() == 2  # once at start, once after the 401
    sent = sent_tokens(c)
    assert sent[:3] == [("/version", "Bearer token-A"), ("/api", "Bearer token-A"), ("/api", "Bearer token-B")]
    assert all(token == "Bearer token-B" for _, token in sent[3:])
    assert r.requests == len(sent)  # the retry is counted
    assert [o["metadata"]["name"] for o in r.objects if o["kind"] == "Namespace"] == ["default"]


def test_401s_in_flight_together_run_the_plugin_once(fake, tmp_path):
    """The token is rejected while lists run concurrently: one plugin run, each rejected request retried once."""
    exec_cfg, runs = rotating_plugin(tmp_path)
    objects = [obj("v1", "Namespace", "default"), obj("v1", "Pod", "p", "default", spec=pod_template()["spec"])]
    c = fake(objects, BUILTIN, token=lambda i: "token-A" if i < 3 else "token-B")  # /version, /api, /apis
    kc = write_kubeconfig(tmp_path / "config", {"prod": {"server": c.url, "exec": exec_cfg}}, current="prod")
    [r] = collect(LiveOptions(kubeconfig=str(kc), concurrency=8), environ={})
    assert r.reachable and not r.report.issues, r.report.unavailable
    assert runs() == 2
    sent = sent_tokens(c)
    rejected = [p for p, token in sent[3:] if token == "Bearer token-A"]
    assert rejected  # the lists started with the old token
    for path in rejected:
        assert [t for p, t in sent[3:] if p == path] == ["Bearer token-A", "Bearer token-B"]
    assert {(o["kind"], o["metadata"]["name"]) for o in r.objects} >= {("Namespace", "default"), ("Pod", "p")}


@pytest.mark.parametrize("accepted_first", [True, False], ids=["rejected-later", "rejected-from-start"])
def test_server_that_keeps_answering_401_is_one_line(fake, tmp_path, accepted_first):
    exec_cfg, runs = rotating_plugin(tmp_path)
    c = fake([obj("v1", "Namespace", "default")], BUILTIN,
             token=lambda i: "token-A" if accepted_first and i == 0 else "nothing-we-have")
    kc = write_kubeconfig(tmp_path / "config", {"prod": {"server": c.url, "exec": exec_cfg}}, current="prod")
    [r] = collect(LiveOptions(kubeconfig=str(kc)), environ={})
    reason = "discovery failed: unauthorized (401)" if accepted_first else "/version: unauthorized (401)"
    assert r.report.unavailable["prod"] == {"*": reason}
    assert [i.one_line() for i in r.report.issues] == [f"cluster prod: not collected: {reason}"]
    assert runs() == 2  # one renewal, no loop
    first = "/api" if accepted_first else "/version"
    assert sent_tokens(c)[-2:] == [(first, "Bearer token-A"), (first, "Bearer token-B")]
    assert len(c.requests) == (3 if accepted_first else 2)


def test_plugin_failing_on_renewal_is_named_in_the_one_line(fake, tmp_path):
    exec_cfg, runs = rotating_plugin(tmp_path, fail_after=1)
    c = fake([obj("v1", "Namespace", "default")], BUILTIN, token=lambda i: "token-A" if i == 0 else "token-B")
    kc = write_kubeconfig(tmp_path / "config", {"prod": {"server": c.url, "exec": exec_cfg}}, current="prod")
    [r] = collect(LiveOptions(kubeconfig=str(kc)), environ={})
    reason = r.report.unavailable["prod"]["*"]
    assert reason.startswith("discovery failed: unauthorized (401); exec credential plugin ")
    assert "refresh token revoked" in reason and "\n" not in reason
    assert runs() == 2 and len(c.requests) == 2  # no retry without a new token

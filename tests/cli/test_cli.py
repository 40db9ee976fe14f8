from __future__ import annotations

import json
import subprocess
import sys

from ..conftest import FIXTURES

CASE = FIXTURES / "rules" / "privileged-container"


def kg(*args, input=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "kubeguard", *args], capture_output=True, text=True,
                          input=input, cwd=cwd, timeout=120)


def test_version():
    p = kg("--version")
    assert p.returncode == 0 and p.stdout.startswith("kubeguard ")


def test_fail_on_exit_codes():
    assert kg("scan", str(CASE), "--fail-on", "critical", "--no-progress").returncode == 1
    assert kg("scan", str(CASE / "pass.hardened.yaml"), "--fail-on", "critical").returncode == 0
    p = kg("scan", str(CASE), "--fail-on", "bogus")
    assert p.returncode == 2 and "Traceback" not in p.stderr and "--fail-on" in p.stderr


def test_several_outputs_in_one_run(tmp_path):
    s, j = tmp_path / "r.sarif", tmp_path / "r.xml"
    p = kg("scan", str(CASE), "-f", "json", "-f", f"sarif={s}", "-f", f"junit={j}")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["kind"] == "ScanResult"
    assert json.loads(s.read_text())["version"] == "2.1.0"
    assert j.read_text().startswith("<?xml")


def test_stdin_and_broken_yaml(tmp_path):
    text = (CASE / "fail.deployment.yaml").read_text() + "\n---\nfoo: [unclosed\n"
    p = kg("scan", "-", "-f", "json", input=text)
    assert p.returncode == 0
    assert "Traceback" not in p.stderr
    assert "<stdin>:" in p.stderr and "YAML syntax error" in p.stderr
    doc = json.loads(p.stdout)
    assert doc["collection"]["issues"][0]["file"] == "<stdin>"
    assert any(f["rule"] == "WL001" for f in doc["findings"])


def test_nothing_readable_is_incomplete(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [\n")
    p = kg("scan", str(bad))
    assert p.returncode == 3 and "Traceback" not in p.stderr
    assert "bad.yaml:" in p.stderr


def test_strict_makes_input_errors_fatal(tmp_path):
    (tmp_path / "ok.yaml").write_text((CASE / "pass.hardened.yaml").read_text())
    (tmp_path / "bad.yaml").write_text("a: [\n")
    assert kg("scan", str(tmp_path)).returncode == 0
    assert kg("scan", str(tmp_path), "--strict").returncode == 3


def test_usage_errors_exit_2():
    assert kg("scan", str(CASE), "-f", "nope").returncode == 2
    assert kg("scan", str(CASE), "--rules", "NOPE999").returncode == 2
    assert kg("rules", "show", "NOPE999").returncode == 2


def test_rules_list_and_show():
    p = kg("rules", "-f", "json")
    assert p.returncode == 0
    codes = [r["code"] for r in json.loads(p.stdout)]
    assert "WL001" in codes
    p = kg("rules", "show", "privileged-container", "--markdown")
    assert p.returncode == 0 and "# WL001 privileged-container" in p.stdout and "checkov" in p.stdout


def test_demo_runs_offline():
    p = kg("demo", "-f", "json", "--no-progress")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert {c["name"] for c in doc["clusters"]} == {"eks-prod", "aks-payments", "gke-analytics"}
    assert {c["provider"] for c in doc["clusters"]} == {"eks", "aks", "gke"}
    assert "demo-secret-value-never-printed" not in p.stdout + p.stderr


def test_kubernetes_version_selects_the_pod_security_definition(tmp_path):
    pod = tmp_path / "pod.yaml"
    pod.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  securityContext:\n"
                   "    sysctls: [{name: net.ipv4.tcp_keepalive_time, value: '60'}]\n"
                   "  containers: [{name: c, image: 'nginx:1.27'}]\n")

    def fails(*extra):
        p = kg("scan", str(pod), "--rules", "unsafe-sysctl", "-f", "json", "--no-progress", *extra)
        assert p.returncode == 0, p.stderr
        return [f["path"] for f in json.loads(p.stdout)["findings"] if f["status"] == "FAIL"]

    # the sysctl joined the safe set in 1.29; without a version the newest definition applies
    assert fails() == []
    assert fails("--kubernetes-version", "1.30") == []
    assert fails("--kubernetes-version", "1.28") == ["spec.securityContext.sysctls[0].name"]
    p = kg("scan", str(pod), "--kubernetes-version", "bogus")
    assert p.returncode == 2 and "--kubernetes-version" in p.stderr and "Traceback" not in p.stderr

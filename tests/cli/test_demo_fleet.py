"""The bundled demo fleet: realistic clusters, every status, exemptions, and no Secret value in any output."""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import date

import yaml

from kubeguard.collect.fleet import DEMO_FLEET, read_fleet
from kubeguard.collect.yamlload import load_all

from .test_cli import kg

DEMO = DEMO_FLEET.parent


def _secret_values() -> set[str]:
    """Every Secret value written in the demo manifests, decoded and as written."""
    values = set()
    for path in DEMO.rglob("*.yaml"):
        for doc in load_all(path.read_text(encoding="utf-8")):
            data = getattr(doc, "data", None)
            if isinstance(data, dict) and data.get("kind") == "Secret":
                values.update(str(v) for v in (data.get("stringData") or {}).values())
                for v in (data.get("data") or {}).values():
                    values.update({str(v), base64.b64decode(v).decode()})
    return values


def test_clusters_are_realistic():
    ms = read_fleet(DEMO_FLEET)
    assert not ms.report.issues, ms.report.issues
    by_cluster: dict[str, set[str]] = {}
    for o in ms.objects:
        by_cluster.setdefault(o.cluster, set()).add(o.namespace or "")
    assert set(by_cluster) == {"eks-prod", "aks-payments", "gke-analytics"}
    for cluster, namespaces in by_cluster.items():
        assert {"kube-system"} < namespaces and len(namespaces - {""}) >= 3, (cluster, namespaces)
    names = {(o.cluster, o.kind, o.name) for o in ms.objects}
    for expected in [("eks-prod", "DaemonSet", "aws-node"), ("eks-prod", "Deployment", "coredns"),
                     ("aks-payments", "DaemonSet", "azure-ip-masq-agent"), ("aks-payments", "Deployment", "coredns"),
                     ("gke-analytics", "DaemonSet", "fluentbit-gke"), ("gke-analytics", "Deployment", "kube-dns")]:
        assert expected in names
    kinds = Counter(o.kind for o in ms.objects)
    assert kinds["NetworkPolicy"] >= 4 and kinds["Secret"] >= 2 and kinds["ClusterRoleBinding"] >= 5


def test_demo_shows_every_status_and_both_exemption_states():
    p = kg("demo", "-f", "json", "--no-progress")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    rule_statuses = Counter(r["status"] for r in doc["ruleResults"])
    assert {"PASS", "FAIL", "NOT_APPLICABLE", "UNKNOWN"} <= set(rule_statuses), rule_statuses
    failing = {(f["cluster"], f["rule"], f["kind"], f["name"]) for f in doc["findings"] if f["status"] == "FAIL"}
    assert ("eks-prod", "WL001", "Deployment", "legacy-admin") in failing  # privileged, expired exemption
    assert any(r == "RB002" for _, r, _, _ in failing)  # cluster-admin for a default service account
    assert any(r == "SC006" for _, r, _, _ in failing)  # a password literal in env
    # exemption states follow their dates: expired entries stop suppressing, active ones suppress
    entries = yaml.safe_load((DEMO / ".kubeguardignore.yaml").read_text())["ignores"]
    today = date.today()
    states = {e["entry"].rsplit(":", 1)[1]: e["status"] for e in doc["exemptions"]}
    assert len(states) == len(entries) == 2
    expected = sorted("expired" if e["expires"] < today else "active" for e in entries)
    assert sorted(states.values()) == expected and "expired" in expected
    exempt = [f for f in doc["findings"] if f["status"] == "EXEMPT"]
    if "active" in expected:
        assert exempt and all(f["suppression"]["active"] for f in exempt)
    assert any(f.get("suppression", {}).get("expired") for f in doc["findings"] if f["status"] == "FAIL")


def test_no_secret_value_in_any_output():
    secrets = _secret_values()
    assert len(secrets) >= 3
    for fmt in ("table", "json", "sarif", "junit"):
        p = kg("demo", "-f", fmt, "--no-progress", "--color", "never")
        assert p.returncode == 0, p.stderr
        for value in secrets:
            assert value not in p.stdout + p.stderr, (fmt, "a Secret value leaked")

from __future__ import annotations

from datetime import date

import pytest

from kubeguard.collect.files import read_paths
from kubeguard.engine.exemptions import ExemptionError, parse_ignore_file
from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import Inventory
from kubeguard.model.settings import Settings
from kubeguard.rules._registry import default_registry

REG = default_registry()
resolve = lambda k: (REG.get(k).code if REG.get(k) else None)  # noqa: E731

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  annotations: {ann}
spec:
  template:
    spec:
      containers:
      - name: c
        image: nginx:1.27
        securityContext: {{privileged: true}}
"""


def _scan(tmp_path, docs, ignore_text=None, today=date(2026, 12, 1)):
    f = tmp_path / "m.yaml"
    f.write_text("---\n".join(docs))
    ms = read_paths([str(f)], "prod-eu")
    ignores = parse_ignore_file(ignore_text, ".kubeguardignore.yaml", resolve) if ignore_text else []
    res = run_scan(ScanInput(Inventory.build([], ms.objects), ms.report), REG,
                   Settings(include=("WL001",), today=today), ignores)
    return {f.name: f for f in res.findings if f.rule == "WL001"}, res


IGNORE = """version: 1
ignores:
  - rule: privileged-container
    match: {cluster: "prod-*", namespace: kube-system, kind: Deployment, name: "kube-proxy*"}
    reason: needs host access
    owner: platform
    expires: 2027-01-31
  - rule: WL001
    match: {name: old}
    reason: legacy
    owner: team-a
    expires: 2026-11-30
"""


def test_ignore_file_suppresses_until_expiry(tmp_path):
    docs = [DEPLOY.format(name="kube-proxy-x", ns="kube-system", ann="{}"),
            DEPLOY.format(name="kube-proxy-y", ns="default", ann="{}"),
            DEPLOY.format(name="old", ns="default", ann="{}")]
    found, res = _scan(tmp_path, docs, IGNORE)
    assert found["kube-proxy-x"].status == "EXEMPT"
    assert found["kube-proxy-x"].suppression["owner"] == "platform"
    assert found["kube-proxy-x"].suppression["entry"] == ".kubeguardignore.yaml:3"
    assert found["kube-proxy-y"].status == "FAIL"  # namespace does not match
    assert found["old"].status == "FAIL"  # expired the day before
    assert found["old"].suppression["expired"] is True
    statuses = {e["entry"]: e["status"] for e in res.exemptions}
    assert statuses == {".kubeguardignore.yaml:3": "active", ".kubeguardignore.yaml:8": "expired"}


def test_expiry_day_itself_still_suppresses(tmp_path):
    docs = [DEPLOY.format(name="old", ns="default", ann="{}")]
    found, _ = _scan(tmp_path, docs, IGNORE, today=date(2026, 11, 30))
    assert found["old"].status == "EXEMPT"


@pytest.mark.parametrize("text,message", [
    ("version: 1\nignores:\n  - rule: WL001\n    reason: x\n", "'owner' is required"),
    ("version: 1\nignores:\n  - rule: WL001\n    owner: a\n", "'reason' is required"),
    ("version: 1\nignores:\n  - rule: NOPE01\n    reason: x\n    owner: a\n", "unknown rule 'NOPE01'"),
    ("version: 1\nignores:\n  - rule: WL001\n    reason: x\n    owner: a\n    expires: next week\n", "'expires' must be a date"),
    ("version: 1\nignores:\n  - rule: WL001\n    reason: x\n    owner: a\n    match: {namespce: x}\n", "unknown key(s) namespce"),
    ("version: 1\nignores:\n  - rule: WL001\n    reason: x\n    owner: a\n    expire: 2026-01-01\n", "unknown key(s) expire"),
    ("version: 2\nignores: []\n", "unsupported version"),
    ("ignores:\n  - [oops\n", "YAML syntax error"),
])
def test_malformed_entries_are_errors_with_line(text, message):
    with pytest.raises(ExemptionError) as exc:
        parse_ignore_file(text, ".kubeguardignore.yaml", resolve)
    assert message in str(exc.value) and str(exc.value).startswith(".kubeguardignore.yaml:")
    assert "\n" not in str(exc.value)


def test_annotation_exemption_and_malformed_annotation(tmp_path):
    docs = [DEPLOY.format(name="a", ns="x", ann='{"kubeguard.dev/ignore.WL001": "agent needs it; owner=sec; expires=2027-01-01"}'),
            DEPLOY.format(name="b", ns="x", ann='{"kubeguard.dev/ignore.privileged-container": "old; expires=2020-01-01"}'),
            DEPLOY.format(name="c", ns="x", ann='{"kubeguard.dev/ignore.NOPE": "x"}')]
    found, res = _scan(tmp_path, docs)
    assert found["a"].status == "EXEMPT" and found["a"].suppression["source"] == "annotation"
    assert found["a"].suppression["owner"] == "sec"
    assert found["b"].status == "FAIL" and found["b"].suppression["expired"]
    assert found["c"].status == "FAIL"
    assert any("unknown rule 'NOPE'" in i.message for i in res.collection.issues)


PEER_SKIPS = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent
  namespace: ops
  annotations:
    checkov.io/skip1: CKV_K8S_16=node agent needs the host
    ignore-check.kube-linter.io/host-network: agent uses the host network
    checkov.io/skip2: CKV_K8S_999
spec:
  template:
    spec:
      hostNetwork: true
      containers:
      - name: a
        image: nginx:1.27
        securityContext: {privileged: true}
"""


@pytest.mark.parametrize("honour", [False, True])
def test_peer_skip_annotations_only_when_asked(tmp_path, honour):
    f = tmp_path / "m.yaml"
    f.write_text(PEER_SKIPS)
    ms = read_paths([str(f)], "c")
    res = run_scan(ScanInput(Inventory.build([], ms.objects), ms.report), REG,
                   Settings(include=("WL001", "WL004"), peer_annotations=honour))
    got = {x.rule: (x.status, (x.suppression or {}).get("source"), (x.suppression or {}).get("reason"))
           for x in res.findings}
    if not honour:
        assert got == {"WL001": ("FAIL", None, None), "WL004": ("FAIL", None, None)}
        assert not res.collection.issues
        return
    assert got == {"WL001": ("EXEMPT", "annotation:checkov", "node agent needs the host"),
                   "WL004": ("EXEMPT", "annotation:kube-linter", "agent uses the host network")}
    [issue] = res.collection.issues
    assert issue.level == "warning" and "checkov:CKV_K8S_999 has no equivalent" in issue.message

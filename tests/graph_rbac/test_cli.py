"""kubeguard rbac who-can / can / graph: output shapes, inputs, errors, and real manifests."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kubeguard.cli.main import app

from ..conftest import CORPUS, SHARED

RUNNER = CliRunner()
WHOCAN = CORPUS / "rbac" / "rbac-tool-testdata" / "testdata" / "whocan"
CLOUD = SHARED / "fixtures" / "cloud"


def run(*args: str):
    r = RUNNER.invoke(app, ["rbac", *args], env={"NO_COLOR": "1", "COLUMNS": "200"})
    return r


def who(*args: str) -> list[dict]:
    r = run("who-can", *args, "-f", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def names(answer: list[dict]) -> set[tuple]:
    return {(a["kind"], a["name"], a["namespace"]) for a in answer}


needs_corpus = pytest.mark.skipif(not WHOCAN.is_dir(), reason="shared corpus not present")


@needs_corpus
def test_who_can_json_shape_is_exact():
    out = who("get", "secrets", "--name", "some-secret", str(WHOCAN / "specific-resource-reader.yaml"))
    for a in out:
        assert set(a) == {"kind", "name", "namespace", "via"}
        assert a["kind"] in ("User", "Group", "ServiceAccount")
        for v in a["via"]:
            assert {"binding", "role", "rule"} <= set(v)
    assert names(out) == {("Group", "system:masters", None), ("User", "test-specific-secret-reader", None),
                          ("ServiceAccount", "test-specific-secret-reader-sa", "test")}
    reader = next(a for a in out if a["name"] == "test-specific-secret-reader")
    assert reader["via"][0]["binding"] == "read-specific-secrets"
    assert reader["via"][0]["rule"]["resourceNames"] == ["some-secret"]
    assert names(who("get", "secrets", "--name", "other", str(WHOCAN / "specific-resource-reader.yaml"))) == {
        ("Group", "system:masters", None)}


@needs_corpus
def test_who_can_aggregated_role_and_nonresource_url_through_rolebinding():
    out = who("create", "pods", str(WHOCAN / "clusterrole-aggregate.yaml"))
    assert {("Group", "test-aggregate-group", None), ("User", "test-aggregate-user", None),
            ("ServiceAccount", "test-aggregate-sa", "test")} <= names(out)
    # rbac-tool lists the user here, but a RoleBinding never grants non-resource URLs upstream
    assert names(who("get", "/test-reader", str(WHOCAN / "nonresourceurl-reader.yaml"))) == {
        ("Group", "system:masters", None)}


@needs_corpus
def test_who_can_impersonate_and_pod_create_from_corpus():
    # a RoleBinding cannot grant impersonation of (cluster-scoped) users, only of its namespace's SAs
    assert names(who("impersonate", "users", str(WHOCAN / "impersonator.yaml"))) == {("Group", "system:masters", None)}
    assert ("User", "test-impersonator-user", None) in names(
        who("impersonate", "serviceaccounts", "-n", "test", str(WHOCAN / "impersonator.yaml")))
    assert {("Group", "test-pod-creator-group", None), ("ServiceAccount", "test-pod-creator-sa", "test"),
            ("User", "test-pod-creator-user", None)} <= names(who("create", "pods", str(WHOCAN / "pod-creator.yaml")))


@needs_corpus
def test_who_can_table_groups_by_subject():
    r = run("who-can", "create", "pods", str(WHOCAN / "clusterrole-aggregate.yaml"))
    assert r.exit_code == 0
    assert "test-aggregate-sa" in r.stdout and "ClusterRole/test-aggregate" in r.stdout
    assert "[core]" in r.stdout  # Rich markup must not eat the group


def test_who_can_includes_cloud_principals(tmp_path):
    m = tmp_path / "m.yaml"
    m.write_text("""apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::444455556666:role/ops
      username: ops
      groups: [system:masters]
""")
    args = ["get", "secrets", "-n", "payments", str(m), "--cluster", "acme-prod-core",
            "--cloud", str(CLOUD / "eks-hardened.json"),
            "--cloud", str(CLOUD / "extra" / "eks-hardened.describe-access-entry.json"),
            "--cloud", str(CLOUD / "extra" / "eks-hardened.list-associated-access-policies.json")]
    if not CLOUD.is_dir():
        pytest.skip("shared cloud fixtures not present")
    out = names(who(*args))
    assert ("User", "arn:aws:iam::444455556666:role/ops", None) in out  # aws-auth -> system:masters
    assert ("User", "arn:aws:iam::444455556666:role/team-payments-deployer", None) in out  # EditPolicy in payments
    assert ("User", "arn:aws:iam::444455556666:role/team-payments-deployer", None) not in names(
        who(*[a if a != "payments" else "shop" for a in args]))


def test_can_lists_by_scope_with_escalations(tmp_path):
    m = tmp_path / "m.yaml"
    m.write_text("""apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: e, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: ci, namespace: dev}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: nodes}
rules: [{apiGroups: [""], resources: [nodes], verbs: [list]}, {nonResourceURLs: [/metrics], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: nodes}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: nodes}
subjects: [{kind: Group, name: "system:serviceaccounts"}]
""")
    r = run("can", "sa:dev:ci", str(m), "-f", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [(s["scope"], s["namespace"]) for s in doc["scopes"]] == [("cluster", None), ("namespace", "dev")]
    assert "system:serviceaccounts:dev" in doc["groups"]
    assert {e["primitive"] for e in doc["escalations"]} >= {"secrets-read", "pod-exec", "impersonate"}
    table = run("can", "sa:dev:ci", str(m))
    assert "Cluster-wide" in table.stdout and "Namespace dev" in table.stdout


def test_graph_formats(tmp_path):
    m = tmp_path / "m.yaml"
    m.write_text("""apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "</script><b>x"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: User, name: "<img src=x onerror=alert(1)>"}]
""")
    r = run("graph", str(m), "-f", "json")
    doc = json.loads(r.stdout)
    types = {n["type"] for n in doc["nodes"]}
    assert types == {"subject", "binding", "role", "rule"}
    assert any(n["risk"] == "critical" for n in doc["nodes"] if n["type"] == "subject")
    out = tmp_path / "g.html"
    r = run("graph", str(m), "-o", str(out))
    page = out.read_text()
    assert r.exit_code == 0 and page.startswith("<!DOCTYPE html>")
    assert "</script><b>" not in page and "<img src=x" not in page  # data cannot break out of the JSON block
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        '"http://www.w3.org/2000/svg"', "")  # self-contained
    dot = run("graph", str(m), "-f", "dot").stdout
    assert dot.startswith("digraph rbac {") and "->" in dot


def test_bad_input_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Role\nmetadata: {name: [unclosed\n")
    r = run("who-can", "get", "pods", str(bad))
    assert r.exit_code == 3
    assert "Traceback" not in r.output and "bad.yaml" in r.output
    r = run("can", "nobody", str(bad))
    assert r.exit_code == 2 and "user:NAME" in r.output
    r = run("who-can", "get", "pods", str(bad), "-f", "xml")
    assert r.exit_code == 2


def test_several_clusters_need_a_choice(tmp_path):
    from kubeguard.collect.snapshot import SnapshotCluster, write_snapshot
    from kubeguard.model import ClusterFacts

    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"},
            "rules": []}
    snap = tmp_path / "fleet.json.gz"
    write_snapshot(snap, [SnapshotCluster(ClusterFacts("a", source="live"), [role], {"ClusterRoleBinding": "403"}),
                          SnapshotCluster(ClusterFacts("b", source="live"), [role])])
    r = run("who-can", "get", "pods", "--snapshot", str(snap))
    assert r.exit_code == 2 and "--cluster" in r.output
    r = run("who-can", "get", "pods", "--snapshot", str(snap), "--cluster", "a", "-f", "json")
    assert r.exit_code == 3 and "not collected" in r.stderr  # a lower bound is never a clean answer
    assert names(json.loads(r.stdout)) == {("Group", "system:masters", None)}


def test_can_leaves_out_what_a_rolebinding_cannot_grant(tmp_path):
    m = tmp_path / "m.yaml"
    m.write_text("""apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: mixed}
rules:
- {apiGroups: [""], resources: [nodes], verbs: [list]}
- {nonResourceURLs: [/metrics], verbs: [get]}
- {apiGroups: ["*"], resources: [widgets], verbs: [get]}
- {apiGroups: [""], resources: [namespaces], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: mixed, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: mixed}
subjects: [{kind: User, name: dev}]
""")
    doc = json.loads(run("can", "user:dev", str(m), "-f", "json").stdout)
    (scope,) = doc["scopes"]
    assert scope["namespace"] == "team"
    assert [r["resources"] for r in scope["rules"]] == [["widgets"], ["namespaces"]]

"""``kubeguard rbac who-can / can / graph`` with no PATH: the live cluster of the kubeconfig context.

The same RBAC objects are served by the fake API server, written as manifests and
collected into a snapshot; who-can and can must answer the same from all three.  What
could not be read (a 403 on roles or bindings) makes the answer incomplete: one line
per problem on stderr and exit 3, never a clean answer.
"""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from kubeguard.cli.main import app

from .conftest import dead_url, write_kubeconfig
from .fakeapi import BUILTIN, obj

RUNNER = CliRunner()
RBAC = "rbac.authorization.k8s.io/v1"


def rbac_objects() -> list[dict]:
    """A small cluster exercising the semantics the answers depend on."""
    ref = {"apiGroup": "rbac.authorization.k8s.io"}
    return [
        obj("v1", "Namespace", "shop"),
        obj("v1", "Namespace", "payments"),
        obj("v1", "ServiceAccount", "ci", "shop"),
        obj("v1", "ServiceAccount", "web", "payments"),
        # aggregation: the server stores the aggregated rules; manifests compute the same
        obj(RBAC, "ClusterRole", "secret-reader", metadata={"labels": {"example.org/aggregate-to-ops": "true"}},
            rules=[{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}]),
        obj(RBAC, "ClusterRole", "ops", aggregationRule={"clusterRoleSelectors": [
            {"matchLabels": {"example.org/aggregate-to-ops": "true"}}]},
            rules=[{"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}]),
        obj(RBAC, "ClusterRoleBinding", "ops", roleRef={**ref, "kind": "ClusterRole", "name": "ops"},
            subjects=[{"kind": "Group", "name": "oncall", "apiGroup": "rbac.authorization.k8s.io"}]),
        # a RoleBinding to a ClusterRole: scoped to its namespace
        obj(RBAC, "RoleBinding", "ci-secrets", "shop", roleRef={**ref, "kind": "ClusterRole", "name": "secret-reader"},
            subjects=[{"kind": "ServiceAccount", "name": "ci"}]),
        # a Role with resourceNames and a subresource, bound to a User named like a ServiceAccount
        obj(RBAC, "Role", "exec-web", "payments", rules=[
            {"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create", "get"]},
            {"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["db"], "verbs": ["get"]}]),
        obj(RBAC, "RoleBinding", "exec-web", "payments", roleRef={**ref, "kind": "Role", "name": "exec-web"},
            subjects=[{"kind": "User", "name": "system:serviceaccount:payments:web",
                       "apiGroup": "rbac.authorization.k8s.io"}]),
        # implicit group, non-resource URL
        obj(RBAC, "ClusterRole", "metrics", rules=[{"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]),
        obj(RBAC, "ClusterRoleBinding", "metrics", roleRef={**ref, "kind": "ClusterRole", "name": "metrics"},
            subjects=[{"kind": "Group", "name": "system:serviceaccounts", "apiGroup": "rbac.authorization.k8s.io"}]),
    ]


def invoke(*args: str, env: dict[str, str] | None = None):
    return RUNNER.invoke(app, ["rbac", *args], env={"NO_COLOR": "1", "COLUMNS": "200", **(env or {})})


def answer(*args: str, env: dict[str, str] | None = None) -> tuple[int, object, str]:
    r = invoke(*args, "-f", "json", env=env)
    assert "Traceback" not in r.stdout + r.stderr, r.stderr
    return r.exit_code, json.loads(r.stdout) if r.stdout.strip() else None, r.stderr


def without_provenance(x):
    if isinstance(x, dict):
        return {k: without_provenance(v) for k, v in x.items() if k != "aggregatedFrom"}
    if isinstance(x, list):
        return [without_provenance(v) for v in x]
    return x


QUESTIONS = (("who-can", "get", "secrets"), ("who-can", "get", "secrets", "-n", "shop"),
             ("who-can", "get", "secrets", "-n", "payments", "--name", "db"),
             ("who-can", "create", "pods/exec", "-n", "payments"), ("who-can", "get", "/metrics"),
             ("who-can", "list", "secrets", "-n", "kube-system"),
             ("can", "sa:shop:ci"), ("can", "sa:payments:web"), ("can", "group:oncall"))


@pytest.fixture
def three_inputs(fake, tmp_path):
    """The same objects: a live cluster (context c1), a snapshot collected from it, and a manifest file."""
    c = fake(rbac_objects(), BUILTIN, token="t")
    kc = write_kubeconfig(tmp_path / "config", {"c1": {"server": c.url, "token": "t"}}, current="c1")
    env = {"KUBECONFIG": str(kc)}
    snap = tmp_path / "snap.json.gz"
    r = RUNNER.invoke(app, ["collect", "-o", str(snap), "--no-progress"], env=env)
    assert r.exit_code == 0, r.output
    manifests = tmp_path / "rbac.yaml"
    manifests.write_text(yaml.safe_dump_all(rbac_objects()))
    return c, env, snap, manifests


def test_live_answers_equal_manifests_and_snapshot(three_inputs):
    c, env, snap, manifests = three_inputs
    for q in QUESTIONS:
        live = answer(*q, env=env)
        from_snapshot = answer(*q, "--snapshot", str(snap))
        from_manifests = answer(*q, str(manifests), "--cluster", "c1")
        assert live[0] == from_snapshot[0] == from_manifests[0] == 0, (q, live[2], from_snapshot[2])
        assert live[1] == from_snapshot[1], q
        # aggregation is computed for manifests (and says which role a rule came from) and read as
        # stored for live clusters; the stored rules equal the computed ones, so only that note differs
        assert live[1] == without_provenance(from_manifests[1]), q
    _, manifest_answer, _ = answer("who-can", "get", "secrets", str(manifests))
    oncall = next(a for a in manifest_answer if a["name"] == "oncall")
    assert [v.get("aggregatedFrom") for v in oncall["via"]] == ["secret-reader"]
    assert any(p == "/apis/rbac.authorization.k8s.io/v1/clusterroles" for p in c.paths())


def test_live_who_can_json_shape_and_semantics(three_inputs):
    _, env, _, _ = three_inputs
    code, out, _ = answer("who-can", "get", "secrets", "-n", "shop", env=env)
    assert code == 0
    for a in out:
        assert set(a) == {"kind", "name", "namespace", "via"}
        assert a["kind"] in ("User", "Group", "ServiceAccount")
        assert a["namespace"] is None or isinstance(a["namespace"], str)
        assert a["via"] and all({"binding", "role", "rule"} <= set(v) for v in a["via"])
    who = {(a["kind"], a["name"], a["namespace"]) for a in out}
    assert who == {("Group", "system:masters", None), ("Group", "oncall", None), ("ServiceAccount", "ci", "shop")}
    oncall = next(a for a in out if a["name"] == "oncall")
    assert [(v["binding"], v["role"]) for v in oncall["via"]] == [("ops", "ops")]
    assert oncall["via"][0]["rule"] == {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}
    # the RoleBinding in shop does not reach payments; the User named like the SA holds pods/exec there
    _, out, _ = answer("who-can", "get", "secrets", "-n", "payments", env=env)
    assert ("ServiceAccount", "ci", "shop") not in {(a["kind"], a["name"], a["namespace"]) for a in out}
    _, out, _ = answer("who-can", "create", "pods/exec", "-n", "payments", env=env)
    assert {(a["kind"], a["name"], a["namespace"]) for a in out} == {
        ("Group", "system:masters", None), ("ServiceAccount", "web", "payments")}


def test_live_can_and_graph(three_inputs):
    _, env, _, _ = three_inputs
    code, doc, _ = answer("can", "sa:payments:web", env=env)
    assert code == 0
    assert doc["subject"] == {"kind": "ServiceAccount", "name": "web", "namespace": "payments"}
    assert [(s["scope"], s["namespace"]) for s in doc["scopes"]] == [("cluster", None), ("namespace", "payments")]
    assert {e["primitive"] for e in doc["escalations"]} >= {"pod-exec"}
    r = invoke("graph", "-f", "json", env=env)
    assert r.exit_code == 0, r.stderr
    graph = json.loads(r.stdout)
    assert {"ops", "ci-secrets", "exec-web", "metrics"} <= {n.get("label") or n.get("name")
                                                             for n in graph["nodes"] if n["type"] == "binding"}


@pytest.mark.parametrize("forbidden,kind", [(("clusterroles",), "ClusterRole"),
                                            (("clusterrolebindings",), "ClusterRoleBinding"),
                                            (("rolebindings",), "RoleBinding")])
def test_forbidden_rbac_list_makes_the_answer_incomplete(fake, tmp_path, forbidden, kind):
    c = fake(rbac_objects(), BUILTIN, token="t", forbidden=forbidden)
    kc = write_kubeconfig(tmp_path / "config", {"c1": {"server": c.url, "token": "t"}}, current="c1")
    env = {"KUBECONFIG": str(kc)}
    for q in (("who-can", "get", "secrets"), ("can", "group:oncall")):
        code, out, err = answer(*q, env=env)
        assert code == 3, (q, err)
        assert out is not None  # the lower bound is still printed
        # one line says it, naming the cluster and the resource
        assert err.splitlines() == [f"incomplete: cluster c1: not collected: {kind} (forbidden (403)); "
                                    "the answer is a lower bound"], err
    r = invoke("graph", "-f", "json", env=env)
    assert r.exit_code == 3 and "Traceback" not in r.stderr


def test_failed_discovery_of_the_groups_is_incomplete(fake, tmp_path):
    """Without /apis the RBAC types are never listed: that is not an empty RBAC configuration."""
    c = fake(rbac_objects(), BUILTIN, token="t", broken={"/apis": '{"kind": "APIGroupDiscoveryList", "items": ['})
    kc = write_kubeconfig(tmp_path / "config", {"c1": {"server": c.url, "token": "t"}}, current="c1")
    code, out, err = answer("who-can", "get", "secrets", env={"KUBECONFIG": str(kc)})
    assert code == 3 and out == [{"kind": "Group", "name": "system:masters", "namespace": None, "via": out[0]["via"]}]
    assert err.splitlines() == ["incomplete: cluster c1: not collected: discovery /apis (the response is not valid "
                                "JSON); the answer is a lower bound"]


def test_live_unreachable_cluster_is_one_line_exit_3(tmp_path):
    kc = write_kubeconfig(tmp_path / "config", {"gone": {"server": dead_url(), "token": "t"}}, current="gone")
    r = invoke("who-can", "get", "secrets", env={"KUBECONFIG": str(kc)})
    assert r.exit_code == 3 and not r.stdout  # nothing was read: no answer, not even a lower bound
    assert r.stderr.splitlines() == ["error: cluster gone: not collected: connection refused"]

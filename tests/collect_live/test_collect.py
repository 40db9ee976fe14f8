"""Collection from fake API servers over real HTTP: discovery, paging, custom resources, partial access."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubeguard.collect.live import collect, to_manifest_set
from kubeguard.collect.live_config import LiveOptions, Target, build_api_client
from kubeguard.collect.live_http import Http
from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import Inventory
from kubeguard.rules._registry import default_registry

from .conftest import dead_url, write_kubeconfig
from .fakeapi import BUILTIN, ROLLOUT, obj, pod_template


def sample_objects() -> list[dict]:
    return [
        obj("v1", "Namespace", "default"),
        obj("v1", "Namespace", "shop", metadata={"labels": {"pod-security.kubernetes.io/enforce": "restricted"}}),
        obj("v1", "Namespace", "kube-system"),
        obj("apps/v1", "Deployment", "web", "shop", spec={"template": pod_template(privileged=True)}),
        obj("apps/v1", "Deployment", "api", "default", spec={"template": pod_template()}),
        obj("argoproj.io/v1alpha1", "Rollout", "canary", "shop", spec={"template": pod_template(privileged=True)}),
        obj("v1", "Event", "web.1", "shop", reason="Pulled"),
        obj("coordination.k8s.io/v1", "Lease", "leader", "kube-system"),
        obj("rbac.authorization.k8s.io/v1", "ClusterRole", "reader", rules=[]),
        *[obj("v1", "Pod", f"p{i}", "shop", spec=pod_template()["spec"]) for i in range(7)],
    ]


def run(fake_cluster, tmp_path: Path, **kw) -> list:
    kc = write_kubeconfig(tmp_path / "config", {"c1": {"server": fake_cluster.url, "token": "t"}}, current="c1")
    return collect(LiveOptions(kubeconfig=str(kc), **kw), environ={})


def kinds(result) -> set[tuple[str, str]]:
    return {(o["apiVersion"], o["kind"]) for o in result.objects}


@pytest.mark.parametrize("aggregated", [True, False], ids=["aggregated-discovery", "legacy-discovery"])
def test_discovery_lists_every_listable_type(fake, tmp_path, aggregated):
    c = fake(sample_objects(), BUILTIN + (ROLLOUT,), token="t", aggregated=aggregated)
    [r] = run(c, tmp_path)
    assert r.reachable and not r.report.issues
    assert r.facts.facts["connection"]["discovery"] == ("aggregated" if aggregated else "legacy")
    got = kinds(r)
    assert ("argoproj.io/v1alpha1", "Rollout") in got  # custom resource at its served version
    assert ("rbac.authorization.k8s.io/v1", "ClusterRole") in got  # cluster-scoped
    assert ("v1", "Event") not in got and ("coordination.k8s.io/v1", "Lease") not in got  # noisy, skipped
    paths = c.paths()
    assert not any("/bindings" in p or "selfsubjectaccessreviews" in p for p in paths)  # no list verb
    assert not any(p.endswith(("/log", "/scale", "/status")) for p in paths)  # subresources
    # list items come without apiVersion/kind; the collector fills them in and drops managedFields
    pods = [o for o in r.objects if o["kind"] == "Pod"]
    assert len(pods) == 7 and all(o["apiVersion"] == "v1" and "managedFields" not in o["metadata"] for o in pods)


def test_noisy_kinds_on_request(fake, tmp_path):
    c = fake(sample_objects(), BUILTIN + (ROLLOUT,), token="t")
    [r] = run(c, tmp_path, include_kinds=["Event", "leases.coordination.k8s.io"], exclude_kinds=["rollouts"])
    got = kinds(r)
    assert ("v1", "Event") in got and ("coordination.k8s.io/v1", "Lease") in got
    assert ("argoproj.io/v1alpha1", "Rollout") not in got


def test_pagination_follows_continue_and_restarts_on_410(fake, tmp_path):
    c = fake(sample_objects(), BUILTIN + (ROLLOUT,), token="t", expire_once=("pods",))
    [r] = run(c, tmp_path, page_size=2)
    names = sorted(o["metadata"]["name"] for o in r.objects if o["kind"] == "Pod")
    assert names == [f"p{i}" for i in range(7)]  # each exactly once despite the restart
    pod_requests = [(q.get("limit"), q.get("continue")) for p, q, _ in c.requests if p == "/api/v1/pods"]
    assert all(limit == ["2"] for limit, _ in pod_requests)
    # first page, second page (410 Gone), then 4 pages from scratch
    assert len(pod_requests) == 6 and pod_requests[0][1] is None and pod_requests[2][1] is None
    assert not r.report.issues


def test_forbidden_and_slow_lists_are_unknown_not_pass(fake, tmp_path):
    c = fake(sample_objects(), BUILTIN + (ROLLOUT,), token="t", forbidden=("deployments",), slow={"pods": 2.0})
    [r] = run(c, tmp_path, timeout=0.3)
    assert r.report.unavailable["c1"] == {"Deployment": "forbidden (403)", "Pod": "timed out after 0.3s"}
    lines = [i.one_line() for i in r.report.issues]
    assert "cluster c1, deployments.apps: cannot list deployments.apps: forbidden (403)" in lines
    assert "cluster c1, pods: cannot list pods: timed out after 0.3s" in lines
    ms = to_manifest_set([r])
    result = run_scan(ScanInput(Inventory.build(ms.clusters.values(), ms.objects), ms.report),
                      default_registry())
    wl001 = next(rr for rr in result.rule_results if rr.rule == "WL001")
    # the Rollout still fails; had it passed, the missing Deployments would have made it UNKNOWN
    assert wl001.status == "FAIL"
    c2 = fake([o for o in sample_objects() if o["kind"] != "Rollout"], BUILTIN, token="t", forbidden=("deployments",))
    [r2] = run(c2, tmp_path)
    ms2 = to_manifest_set([r2])
    result2 = run_scan(ScanInput(Inventory.build(ms2.clusters.values(), ms2.objects), ms2.report),
                       default_registry())
    wl001 = next(rr for rr in result2.rule_results if rr.rule == "WL001")
    assert wl001.status == "UNKNOWN" and "Deployment (forbidden (403))" in wl001.reason


def test_dead_cluster_beside_a_healthy_one(fake, tmp_path):
    c = fake(sample_objects(), BUILTIN + (ROLLOUT,), token="t")
    kc = write_kubeconfig(tmp_path / "config", {"up": {"server": c.url, "token": "t"},
                                                "down": {"server": dead_url(), "token": "t"}}, current="up")
    up, down = collect(LiveOptions(kubeconfig=str(kc), all_contexts=True), environ={})
    assert up.name == "up" and up.reachable and up.objects
    assert down.name == "down" and not down.reachable
    assert down.report.unavailable["down"] == {"*": "connection refused"}
    assert [i.one_line() for i in down.report.issues] == ["cluster down: not collected: connection refused"]


def test_wrong_token_is_unauthorized(fake, tmp_path):
    c = fake(sample_objects(), BUILTIN, token="right")
    kc = write_kubeconfig(tmp_path / "config", {"c1": {"server": c.url, "token": "wrong"}}, current="c1")
    [r] = collect(LiveOptions(kubeconfig=str(kc)), environ={})
    assert r.report.unavailable["c1"] == {"*": "/version: unauthorized (401)"}


def test_namespace_filters(fake, tmp_path):
    c = fake(sample_objects(), BUILTIN + (ROLLOUT,), token="t")
    [r] = run(c, tmp_path, namespaces=["shop"])
    assert {o["metadata"].get("namespace") for o in r.objects} == {"shop", None}
    assert {o["metadata"]["name"] for o in r.objects if o["kind"] == "Namespace"} == {"shop"}
    assert any(p == "/apis/apps/v1/namespaces/shop/deployments" for p in c.paths())
    assert any(p == "/apis/rbac.authorization.k8s.io/v1/clusterroles" for p in c.paths())
    [r] = run(c, tmp_path, exclude_namespaces=["shop", "kube-system"])
    assert {o["metadata"].get("namespace") for o in r.objects} == {"default", None}
    assert {o["metadata"]["name"] for o in r.objects if o["kind"] == "Namespace"} == {"default"}


def test_every_failing_namespace_is_reported_and_the_others_kept(fake, tmp_path):
    objects = [obj("v1", "Namespace", ns) for ns in ("a", "b", "c", "shop")]
    objects += [obj("apps/v1", "Deployment", f"web-{ns}", ns, spec={"template": pod_template()})
                for ns in ("a", "b", "c", "shop")]
    objects += [obj("v1", "Pod", f"p-{ns}", ns, spec=pod_template()["spec"]) for ns in ("a", "b", "c", "shop")]
    objects += [obj("v1", "Service", f"s-{ns}", ns) for ns in ("a", "b", "c", "shop")]
    c = fake(objects, BUILTIN, token="t", forbidden=("deployments@a", "deployments@c", "pods@a", "services@c"),
             broken={"pods@b": '{"items": ['})
    [r] = run(c, tmp_path, namespaces=["c", "a", "b", "shop"])
    assert r.report.unavailable["c1"] == {
        "Deployment": "forbidden (403) in namespaces c, a",  # in the order given with -n
        "Pod": "forbidden (403) in namespace a; the response is not valid JSON in namespace b",
        "Service": "forbidden (403) in namespace c"}
    assert sorted(i.one_line() for i in r.report.issues) == [
        "cluster c1, deployments.apps: cannot list deployments.apps: forbidden (403) in namespaces c, a",
        "cluster c1, pods: cannot list pods: forbidden (403) in namespace a; the response is not valid JSON in "
        "namespace b",
        "cluster c1, services: cannot list services: forbidden (403) in namespace c"]
    names = {(o["kind"], o["metadata"]["name"]) for o in r.objects}
    assert {n for k, n in names if k == "Deployment"} == {"web-b", "web-shop"}
    assert {n for k, n in names if k == "Pod"} == {"p-c", "p-shop"}
    assert {n for k, n in names if k == "Service"} == {"s-a", "s-b", "s-shop"}
    # a cluster-wide list that fails names no namespace
    [r] = run(fake(objects, BUILTIN, token="t", forbidden=("deployments",)), tmp_path)
    assert r.report.unavailable["c1"] == {"Deployment": "forbidden (403)"}


def test_kubelet_configz_is_a_node_fact(fake, tmp_path):
    import json

    from ..conftest import SHARED

    fixture = SHARED / "fixtures" / "node" / "kubelet-configz-insecure.json"
    cfg = json.loads(fixture.read_text())["kubeletconfig"] if fixture.is_file() else {"readOnlyPort": 10255}
    nodes = [obj("v1", "Node", "n1", spec={"providerID": "aws:///eu-west-1a/i-0abc"}),
             obj("v1", "Node", "n2", spec={"providerID": "aws:///eu-west-1b/i-0def"})]
    c = fake(nodes, BUILTIN, token="t", configz={"n1": cfg, "n2": cfg}, git_version="v1.30.4-eks-a737599")
    [r] = run(c, tmp_path)
    assert r.facts.facts["kubelet"] == {"n1": cfg, "n2": cfg}
    assert r.facts.provider == "eks" and "kubelet" not in r.report.unavailable.get("c1", {})
    denied = fake(nodes, BUILTIN, token="t", configz_forbidden=True)
    [r] = run(denied, tmp_path)
    assert r.facts.facts["kubelet"] == {}
    assert r.report.unavailable["c1"] == {"kubelet": "forbidden (403) on nodes/proxy"}
    assert [i.level for i in r.report.issues] == ["warning"]
    # after the first 403 the other nodes are not asked
    assert len([p for p in denied.paths() if p.endswith("/configz")]) == 1
    [r] = run(denied, tmp_path, kubelet_config=False)
    assert "kubelet" not in r.facts.facts and not r.report.issues


def test_broken_body_is_one_line(fake, tmp_path):
    c = fake(sample_objects(), BUILTIN, token="t", broken={"services": '{"items": [ {"metadata": '})
    [r] = run(c, tmp_path)
    assert r.report.unavailable["c1"] == {"Service": "the response is not valid JSON"}


def test_tls_with_ca_relative_to_kubeconfig_and_bad_ca(fake, tmp_path, certs):
    c = fake(sample_objects(), BUILTIN, token="t", tls=(str(certs["server.crt"]), str(certs["server.key"])))
    (tmp_path / "pki").mkdir()
    (tmp_path / "pki" / "ca.crt").write_bytes(certs["ca.crt"].read_bytes())
    kc = write_kubeconfig(tmp_path / "config", {
        "good": {"server": c.url, "token": "t", "ca": "pki/ca.crt"},  # relative to the kubeconfig file
        "bad": {"server": c.url, "token": "t", "ca": str(certs["other-ca.crt"])}}, current="good")
    good, bad = collect(LiveOptions(kubeconfig=str(kc), all_contexts=True), environ={})
    assert good.reachable and good.objects
    assert bad.report.unavailable["bad"]["*"].startswith("TLS error: certificate verify failed")


def test_in_cluster_service_account(fake, tmp_path, certs):
    c = fake(sample_objects(), BUILTIN, token="sa-token", tls=(str(certs["server.crt"]), str(certs["server.key"])))
    token = tmp_path / "token"
    token.write_text("sa-token")
    port = c.url.rsplit(":", 1)[1]
    env = {"KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": port}
    api, info, refresh = build_api_client(Target("in-cluster", None), None, LiveOptions(in_cluster=True),
                                          token_file=str(token), ca_file=str(certs["ca.crt"]), environ=env)
    assert info["auth"] == "in-cluster service account" and info["server"] == c.url and refresh is None
    assert Http(api, 5).get_json("/version")["gitVersion"] == "v1.31.2"  # TLS verified, token accepted
    api.close()


def test_exec_plugin_failure_is_one_line(fake, tmp_path):
    import sys

    script = tmp_path / "broken-plugin"
    script.write_text(f"#!{sys.executable}\nimport sys\nsys.stderr.write('token expired, run login\\n')\n"
                      "sys.exit(1)\n")
    script.chmod(0o755)
    c = fake(sample_objects(), BUILTIN, token="t")
    kc = write_kubeconfig(tmp_path / "config", {"c1": {"server": c.url, "exec": {
        "apiVersion": "client.authentication.k8s.io/v1beta1", "command": str(script)}}}, current="c1")
    [r] = collect(LiveOptions(kubeconfig=str(kc)), environ={})
    reason = r.report.unavailable["c1"]["*"]
    assert reason.startswith(f"exec credential plugin '{script}' failed: exec: process returned 1")
    assert "token expired" in reason and "\n" not in reason
    assert not c.requests  # nothing was sent without credentials


def test_kubelet_static_pod_url_header_values_are_not_kept(fake, tmp_path):
    nodes = [obj("v1", "Node", "n1")]
    cfg = {"staticPodURL": "https://example.com/pods",
           "staticPodURLHeader": {"Authorization": ["Bearer kubelet-canary-token"]}}
    c = fake(nodes, BUILTIN, token="t", configz={"n1": cfg})
    [r] = run(c, tmp_path)
    kept = r.facts.facts["kubelet"]["n1"]
    assert list(kept["staticPodURLHeader"]) == ["Authorization"]
    assert "kubelet-canary-token" not in repr(r.facts.facts)

"""``kubeguard netpol``: exit codes, output shapes, one-line errors, UNKNOWN inputs, suggest on a real app."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from kubeguard.cli.main import app
from kubeguard.collect.snapshot import SnapshotCluster, write_snapshot
from kubeguard.model import ClusterFacts

from ..conftest import CORPUS
from .helpers import graph, netpol, ns, pod, reach

RUN = CliRunner()
DEMO = CORPUS / "microservices-demo" / "release" / "kubernetes-manifests.yaml"
DEMO_POLICIES = CORPUS / "netpol" / "microservices-demo"


def kg(*args: str):
    return RUN.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def demo():
    if not DEMO.is_file():
        pytest.skip("shared corpus not present")
    return [str(DEMO), str(DEMO_POLICIES)]


@pytest.fixture
def small(tmp_path):
    docs = [ns("x"), ns("y"), pod("x", "a", {"app": "a"}), pod("x", "b", {"app": "b"}, [(5432, "pg")]),
            pod("y", "c", {"app": "c"}),
            netpol("x", "db", {"podSelector": {"matchLabels": {"app": "b"}},
                               "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "a"}}}],
                                            "ports": [{"port": "pg"}]}]})]
    f = tmp_path / "small.yaml"
    f.write_text(yaml.safe_dump_all(docs))
    return f


def test_can_reach_exit_codes_and_json(small):
    ok = kg("netpol", "can-reach", "x/a", "x/b", "--port", "5432", str(small), "-f", "json")
    assert ok.exit_code == 0, ok.output
    doc = json.loads(ok.stdout)
    assert doc["allowed"] is True and isinstance(doc["reasons"], list)
    ing = [r for r in doc["reasons"] if r["direction"] == "ingress"]
    assert ing[0]["policy"] == "NetworkPolicy/x/db" and ing[0]["field"] == "spec.ingress[0]"
    assert ing[0]["file"].endswith("small.yaml") and ing[0]["line"]
    no = kg("netpol", "can-reach", "y/c", "x/b", "--port", "5432", str(small))
    assert no.exit_code == 1 and "NOT REACHABLE" in no.stdout and "NetworkPolicy/x/db" in no.stdout
    named = kg("netpol", "can-reach", "x/a", "x/Pod/b", "--port", "pg", str(small))
    assert named.exit_code == 0 and "TCP/5432 (pg)" in named.stdout


@pytest.mark.parametrize("args,needle", [
    (("netpol", "can-reach", "x/zz", "x/b"), "no pod 'x/zz'"),
    (("netpol", "can-reach", "x/a", "x/b", "--protocol", "ICMP"), "--protocol"),
    (("netpol", "can-reach", "x/a", "x/b", "--port", "70000"), "outside 1-65535"),
    (("netpol", "can-reach", "x/a", "x/b", "--cni", "nosuch"), "unknown CNI 'nosuch'"),
    (("netpol", "matrix", "--level", "galaxy"), "--level"),
    (("netpol", "matrix", "-f", "pdf"), "--format"),
])
def test_usage_errors_are_one_line(small, args, needle):
    r = kg(*args, str(small))
    assert r.exit_code == 2 and needle in r.stderr and "Traceback" not in r.output
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_matrix_json_rows(small):
    r = kg("netpol", "matrix", str(small), "-f", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert all(set(row) <= {"src", "dst", "port", "endPort", "protocol", "allowed"} for row in rows)
    by = {(x["src"], x["dst"], x["protocol"], x["port"]): x["allowed"] for x in rows}
    assert by[("x/a", "x/b", "TCP", 5432)] is True
    assert ("x/a", "x/b", "TCP", None) not in by, "a partly open pair lists its ports, not a null row"
    assert by[("y/c", "x/b", "TCP", None)] is False
    assert by[("x/b", "y/c", "UDP", None)] is True, "port null + allowed true = every port"
    assert not any(x["src"] == x["dst"] for x in rows), "a pod's traffic to itself is not a row"


def test_matrix_other_formats(small, tmp_path):
    for fmt, needle in (("csv", "src,dst,protocol,port,endPort,allowed"), ("md", "| source | destination |"),
                        ("dot", "digraph reachability"), ("table", "rows: source")):
        r = kg("netpol", "matrix", str(small), "-f", fmt)
        assert r.exit_code == 0 and needle in r.stdout, (fmt, r.output)
    out = tmp_path / "m.html"
    r = kg("netpol", "matrix", str(small), "-f", "html", "-o", str(out), "--level", "namespace")
    page = out.read_text()
    assert r.exit_code == 0 and page.startswith("<!doctype html>") and "<script>" in page and "src=" not in page


def test_invalid_policy_is_reported_with_file_and_line_and_not_evaluated(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(yaml.safe_dump_all([pod("x", "a"), pod("x", "b"), netpol("x", "bad", {
        "podSelector": {}, "ingress": [{"ports": [{"port": 80, "endPort": 70}]}]})]))
    r = kg("netpol", "can-reach", "x/a", "x/b", "--port", "80", str(f))
    assert r.exit_code == 0, "the rejected policy cannot isolate x/b"
    assert "bad.yaml:" in r.stderr and "spec.ingress[0].ports[0].endPort" in r.stderr and "not evaluated" in r.stderr


def test_policies_not_collected_make_the_answer_unknown(tmp_path):
    snap = tmp_path / "c.snapshot.json.gz"
    write_snapshot(snap, [SnapshotCluster(ClusterFacts("prod", provider="eks", source="live"),
                                          [pod("x", "a"), pod("x", "b")],
                                          unavailable={"NetworkPolicy": "forbidden (403)"})])
    r = kg("netpol", "can-reach", "x/a", "x/b", str(snap))
    assert r.exit_code == 3 and "NetworkPolicy could not be collected" in r.stderr and "unknown" in r.stderr


def test_cni_from_snapshot_facts_changes_the_answer(tmp_path):
    snap = tmp_path / "c.snapshot.json.gz"
    objs = [pod("x", "a"), pod("x", "b"), netpol("x", "deny", {"podSelector": {}})]
    write_snapshot(snap, [SnapshotCluster(ClusterFacts("k", facts={"cni": {"name": "flannel"}}), objs)])
    r = kg("netpol", "can-reach", "x/a", "x/b", str(snap), "-f", "json")
    doc = json.loads(r.stdout)
    assert r.exit_code == 0 and doc["allowed"] and not doc["specAllowed"]
    assert "allowed in practice" in doc["reasons"][0]["message"]
    assert kg("netpol", "can-reach", "x/a", "x/b", str(snap), "--cni", "calico").exit_code == 1


def test_diff_lists_gained_and_lost(tmp_path):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    base = [pod("x", "a", {"app": "a"}), pod("x", "b", {"app": "b"}), pod("x", "c", {"app": "c"})]
    old.write_text(yaml.safe_dump_all(base + [netpol("x", "b", {"podSelector": {"matchLabels": {"app": "b"}}})]))
    new.write_text(yaml.safe_dump_all(base + [netpol("x", "c", {"podSelector": {"matchLabels": {"app": "c"}},
                                                               "ingress": [{"ports": [{"port": 80}]}]})]))
    r = kg("netpol", "diff", str(old), str(new), "-f", "json", "--level", "pod")
    assert r.exit_code == 1, r.output
    d = json.loads(r.stdout)
    ch = {(c["src"], c["dst"]): c for c in d["changes"]}
    assert ch[("x/a", "x/b")]["gained"] == "all ports" and ch[("x/a", "x/b")]["lost"] is None
    assert ch[("x/a", "x/c")]["lost"].startswith("TCP 1-79,81-65535") and ch[("x/a", "x/c")]["gained"] is None
    same = kg("netpol", "diff", str(old), str(old))
    assert same.exit_code == 0 and "0 pair(s) gain" in same.stdout


def test_suggest_keeps_service_traffic_and_denies_the_rest(tmp_path):
    if not DEMO.is_file():
        pytest.skip("shared corpus not present")
    out = tmp_path / "suggested.yaml"
    r = kg("netpol", "suggest", str(DEMO), "-o", str(out))
    assert r.exit_code == 0, r.output
    suggested = list(yaml.safe_load_all(out.read_text()))
    app_docs = [d for d in yaml.safe_load_all(DEMO.read_text()) if isinstance(d, dict)]
    g = graph(*app_docs, *suggested)
    services = [d for d in app_docs if d["kind"] == "Service" and d["spec"].get("selector")]
    # the Service-backed port set of every pod: what must stay open, and the only thing that may
    open_ports = {p.id: set() for p in g.pods}
    for svc in services:
        for p in g.pods:
            if all(p.labels.get(k) == v for k, v in svc["spec"]["selector"].items()):
                for sp in svc["spec"]["ports"]:
                    open_ports[p.id].add(int(sp.get("targetPort", sp["port"])))
    assert sum(map(len, open_ports.values())) >= 10, "the demo has a dozen Services"
    conns = g.connections()
    for a in g.pods:
        for b in g.pods:
            if a is b:
                continue
            got = conns.get((a.id, b.id))
            for port in open_ports[b.id]:
                assert got is not None and got.contains("TCP", port), f"{a.id} -> {b.id}:{port} must stay allowed"
            if got is not None:
                extra = {lo for lo, hi in got.ranges("TCP") for lo in range(lo, hi + 1)} - open_ports[b.id]
                assert not extra and not got.ranges("UDP") and not got.ranges("SCTP"), \
                    f"{a.id} -> {b.id} allows more than the Service ports: {got}"
    assert not any(dst == "default/loadgenerator" for _, dst in conns), "no Service backs loadgenerator"


def test_matrix_practice_and_spec_differ_on_a_cni_that_enforces_nothing(small):
    practice = json.loads(kg("netpol", "matrix", str(small), "-f", "json", "--cni", "flannel").stdout)
    spec = json.loads(kg("netpol", "matrix", str(small), "-f", "json", "--cni", "flannel", "--spec").stdout)
    assert all(r["allowed"] and r["port"] is None for r in practice), "Flannel enforces nothing"
    assert {(r["src"], r["dst"], r["protocol"], r["port"]): r["allowed"] for r in spec}[("y/c", "x/b", "TCP", None)] \
        is False
    table = kg("netpol", "matrix", str(small), "--cni", "flannel").stdout
    assert "differ between the policies as written and what Flannel enforces" in table


def test_suggest_opens_the_ingress_controller_and_its_backends(tmp_path):
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "ingress-nginx-controller", "namespace": "ingress-nginx"},
           "spec": {"template": {"metadata": {"labels": {"app.kubernetes.io/name": "ingress-nginx"}}, "spec": {
               "containers": [{"name": "controller", "image": "ingress-nginx/controller:v1.11",
                               "ports": [{"containerPort": 80, "name": "http"},
                                         {"containerPort": 443, "name": "https"}]}]}}}}
    web = pod("shop", "web", {"app": "web"}, [(8080, "http")])
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"},
           "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]}}
    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web", "namespace": "shop"},
           "spec": {"rules": [{"host": "shop.example.com", "http": {"paths": [
               {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}
    f = tmp_path / "app.yaml"
    f.write_text(yaml.safe_dump_all([dep, web, svc, ing]))
    r = kg("netpol", "suggest", str(f))
    assert r.exit_code == 0, r.output
    docs = list(yaml.safe_load_all(r.stdout))
    names = {(d["metadata"]["namespace"], d["metadata"]["name"]) for d in docs}
    assert ("ingress-nginx", "allow-ingress-nginx-controller-from-anywhere") in names
    assert ("shop", "allow-web") in names and ("shop", "default-deny") in names
    g = graph(dep, web, svc, ing, *docs)
    assert reach(g, "203.0.113.7", "ingress-nginx/ingress-nginx-controller", 443)
    assert reach(g, "ingress-nginx/ingress-nginx-controller", "shop/web", 8080)
    assert not reach(g, "ingress-nginx/ingress-nginx-controller", "shop/web", 9090)
    assert not reach(g, "shop/web", "93.184.216.34", 443), "egress to the internet stays closed"

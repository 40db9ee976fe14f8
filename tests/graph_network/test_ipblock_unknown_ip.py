"""An address peer (ipBlock, ANP networks, Calico nets) against a pod whose IP the input does not give.

Pods synthesised from workload templates, and pods not started yet, have no IP.  Whether an ipBlock covers
such a pod is undecided (NP-29: ipBlock can match pod IPs), unless the block cannot hold any address the pod
can get (the cluster's pod ranges are named and the block is disjoint from them; the CNI never matches pod
IPs with ipBlock, netpol-semantics C.2/C.4), or holds every one of them.  Pods with ``status.podIP`` keep
exact answers.  Each test names the endpoints, the policy field and the address space that decide.
"""

from __future__ import annotations

import json

import orjson
import pytest
import yaml
from typer.testing import CliRunner

from kubeguard.cli.main import app
from kubeguard.graph.network import NOT_POD_IPS
from kubeguard.graph.network_matrix import build_matrix
from kubeguard.report.netpol_matrix import render_matrix

from .helpers import admin, graph, netpol, ns, pod

WEB_PORT = 8080


def deployment(namespace: str, name: str, labels: dict, port: int = WEB_PORT) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels}, "spec": {
                "containers": [{"name": "c", "image": f"{name}:1", "ports": [{"containerPort": port}]}]}}}}


def node(name: str, *pod_cidrs: str) -> dict:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name}, "spec": {"podCIDRs": list(pod_cidrs)}}


def ingress_from(cidr: str, *excepts: str) -> dict:
    block: dict = {"cidr": cidr}
    if excepts:
        block["except"] = list(excepts)
    return netpol("x", "from-block", {"podSelector": {"matchLabels": {"app": "web"}},
                                      "ingress": [{"from": [{"ipBlock": block}]}]})


def egress_to(cidr: str, *excepts: str) -> dict:
    block: dict = {"cidr": cidr}
    if excepts:
        block["except"] = list(excepts)
    return netpol("y", "to-block", {"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"],
                                    "egress": [{"to": [{"ipBlock": block}]}]})


def templates() -> list[dict]:
    """Manifests: x/web and y/api are Deployments, so their pods are synthesised without an IP."""
    return [ns("x"), ns("y"), deployment("x", "web", {"app": "web"}), deployment("y", "api", {"app": "api"})]


def verdict(g, src: str = "y/Deployment/api", dst: str = "x/Deployment/web", port: int = WEB_PORT):
    return g.can_reach(g.endpoint(src), g.endpoint(dst), "TCP", port)


def state(v) -> str:
    return "undecided" if v.undecided else "allowed" if v.allowed else "denied"


# --- template pods ----------------------------------------------------------------------------------------

def test_ingress_ip_block_against_a_template_pod_is_undecided_and_names_the_field():
    g = graph(*templates(), ingress_from("10.0.0.0/8", "10.1.0.0/16"))
    v = verdict(g)
    assert v.undecided and not v.allowed and v.to_dict()["allowed"] is None, \
        "y/api (template, no IP) may or may not get an address in 10.0.0.0/8 except 10.1.0.0/16"
    why = [r for r in v.reasons if r.decision == "undecided"]
    assert [(r.direction, r.policy, r.field) for r in why] == [
        ("ingress", "NetworkPolicy/x/from-block", "spec.ingress[0].from[0].ipBlock")], why
    assert "10.0.0.0/8 except 10.1.0.0/16" in why[0].message and "template pod" in why[0].message
    assert "no pod range" in why[0].message, "the reason says why the pod's address cannot be placed"


def test_egress_ip_block_towards_a_template_pod_is_undecided_and_names_the_field():
    g = graph(*templates(), egress_to("172.16.0.0/12"))
    v = verdict(g)
    assert v.undecided and v.to_dict()["allowed"] is None, "x/web (template) may get an address in 172.16.0.0/12"
    why = [r for r in v.reasons if r.decision == "undecided"]
    assert [(r.direction, r.policy, r.field) for r in why] == [
        ("egress", "NetworkPolicy/y/to-block", "spec.egress[0].to[0].ipBlock")], why


def test_a_block_no_pod_address_can_be_in_stays_decided():
    g = graph(*templates(), egress_to("169.254.169.254/32"), ingress_from("127.0.0.0/8"))
    for src, dst in (("y/Deployment/api", "x/Deployment/web"),):
        v = verdict(g, src, dst)
        assert state(v) == "denied", "link-local and loopback addresses are never pod IPs (ValidateNonSpecialIP)"
    assert NOT_POD_IPS.contains("169.254.169.254") and NOT_POD_IPS.contains("::1")


def test_a_block_of_one_family_is_undecided_until_the_pods_family_is_known():
    v = verdict(graph(*templates(), egress_to("0.0.0.0/0", "169.254.169.254/32")))
    assert v.undecided, "nothing says the pods are IPv4: on an IPv6 cluster 0.0.0.0/0 covers no pod"
    both = netpol("y", "to-all", {"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"],
                                  "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0",
                                                                  "except": ["169.254.169.254/32"]}},
                                                     {"ipBlock": {"cidr": "::/0"}}]}]})
    assert state(verdict(graph(*templates(), both))) == "allowed", "0.0.0.0/0 and ::/0 hold every pod address"
    live = pod("y", "probe", {"app": "probe"}, ip="10.244.3.4")  # a running pod: the pods are IPv4
    assert state(verdict(graph(*templates(), live, egress_to("0.0.0.0/0", "169.254.169.254/32")))) == "allowed", \
        "the pods' family is IPv4 and the except only removes a link-local address no pod can have"


def test_undecided_pairs_are_null_in_the_matrix():
    g = graph(*templates(), ingress_from("10.0.0.0/8"))
    m = build_matrix(g, "workload")
    i, j = m.nodes.index("y/api"), m.nodes.index("x/web")
    assert m.undecided[(i, j)].is_all and not m.ports(i, j)
    rows = [r for r in orjson.loads(render_matrix(m, "json")) if r["src"] == "y/api" and r["dst"] == "x/web"]
    assert rows and all(r["allowed"] is None for r in rows if r.get("undecided")), rows
    assert any(r.get("undecided") for r in rows)


def test_can_reach_exits_3_for_a_template_pod_behind_an_ip_block(tmp_path):
    f = tmp_path / "app.yaml"
    f.write_text(yaml.safe_dump_all([*templates(), ingress_from("10.0.0.0/8")]))
    r = CliRunner().invoke(app, ["netpol", "can-reach", "y/Deployment/api", "x/Deployment/web", "--port", "8080",
                                 str(f), "-f", "json"], catch_exceptions=False)
    assert r.exit_code == 3, r.output
    doc = json.loads(r.stdout)
    assert doc["allowed"] is None and any(x.get("field") == "spec.ingress[0].from[0].ipBlock"
                                          for x in doc["reasons"])


# --- live pods --------------------------------------------------------------------------------------------

def test_live_pods_with_an_ip_keep_exact_answers():
    docs = [ns("x"), ns("y"), pod("x", "web", {"app": "web"}, [(WEB_PORT,)], ip="10.244.1.5"),
            pod("y", "in", {"app": "api"}, ip="10.1.2.3"), pod("y", "out", {"app": "api"}, ip="192.168.0.9")]
    g = graph(*docs, ingress_from("10.0.0.0/8"))
    assert state(verdict(g, "y/in", "x/web")) == "allowed", "10.1.2.3 is in 10.0.0.0/8"
    assert state(verdict(g, "y/out", "x/web")) == "denied", "192.168.0.9 is not"
    g = graph(*docs, netpol("y", "to-block", {"podSelector": {}, "policyTypes": ["Egress"],
                                              "egress": [{"to": [{"ipBlock": {"cidr": "10.244.0.0/16"}}]}]}))
    assert state(verdict(g, "y/in", "x/web")) == "allowed", "x/web's IP 10.244.1.5 is in the egress block"
    assert g.practice is g.practice_hi, "nothing undecided: one exact evaluator"


def test_a_pending_pod_without_status_is_undecided_too():
    docs = [ns("x"), ns("y"), pod("x", "web", {"app": "web"}, [(WEB_PORT,)], ip="10.244.1.5"),
            pod("y", "new", {"app": "api"})]
    v = verdict(graph(*docs, ingress_from("10.244.0.0/16")), "y/new", "x/web")
    assert v.undecided and any("no status.podIP" in r.message for r in v.reasons), [r.message for r in v.reasons]


# --- pod ranges known -------------------------------------------------------------------------------------

@pytest.mark.parametrize("cidr,excepts,expected", [
    ("192.168.0.0/16", (), "denied"),  # disjoint from the pod ranges
    ("10.0.0.0/8", (), "allowed"),  # holds every pod range
    ("0.0.0.0/0", ("10.0.0.0/8",), "denied"),  # the except removes every pod range
    ("0.0.0.0/0", ("192.168.0.0/16", "169.254.169.254/32"), "allowed"),  # the except misses the pod ranges
    ("10.244.1.0/24", (), "undecided"),  # one node's range: the pod may run elsewhere
])
def test_node_pod_cidrs_decide_where_a_template_pod_can_be(cidr, excepts, expected):
    nodes = [node("n1", "10.244.1.0/24"), node("n2", "10.244.2.0/24")]
    v = verdict(graph(*templates(), *nodes, ingress_from(cidr, *excepts)))
    assert state(v) == expected, f"ipBlock {cidr} except {excepts} vs pod ranges 10.244.1.0/24, 10.244.2.0/24"
    if expected == "undecided":
        assert any("Node n1 spec.podCIDRs" in r.message for r in v.reasons), [r.message for r in v.reasons]


def test_cloud_pod_range_decides_like_node_pod_cidrs():
    gke = {"cloud": {"provider": "gke", "cluster": {"clusterIpv4Cidr": "10.8.0.0/14"}}}
    assert state(verdict(graph(*templates(), ingress_from("192.168.0.0/16"), facts=gke))) == "denied"
    assert state(verdict(graph(*templates(), ingress_from("10.0.0.0/8"), facts=gke))) == "allowed"
    assert verdict(graph(*templates(), ingress_from("10.8.0.0/16"), facts=gke)).undecided


def test_a_live_pod_outside_the_named_ranges_makes_them_untrusted():
    """Calico IPAM or Cilium cluster-pool allocate outside the Nodes' podCIDRs: a pod IP there shows it."""
    nodes = [node("n1", "10.244.1.0/24")]
    stray = pod("z", "calico-ipam", {"app": "z"}, ip="192.168.7.7")
    v = verdict(graph(*templates(), ns("z"), stray, *nodes, ingress_from("192.168.0.0/16")))
    assert v.undecided and any("outside the pod ranges" in r.message for r in v.reasons), \
        "192.168.7.7 is outside n1's podCIDR, so the template pod may be in 192.168.0.0/16 too"
    pool = {"apiVersion": "crd.projectcalico.org/v1", "kind": "IPPool", "metadata": {"name": "default"},
            "spec": {"cidr": "192.168.0.0/16"}}
    v = verdict(graph(*templates(), ns("z"), stray, *nodes, pool, ingress_from("172.16.0.0/12")))
    assert state(v) == "denied", "the IPPool names 192.168.0.0/16: with n1's range every pod address is known"


# --- CNI profiles and other address peers ---------------------------------------------------------------

def test_cilium_never_matches_pod_ips_so_practice_is_decided():
    g = graph(*templates(), ingress_from("10.0.0.0/8"), cni="cilium")
    v = verdict(g)
    assert v.spec_undecided and not v.undecided and not v.allowed, \
        "as written undecided; Cilium never matches ipBlock against pod IPs, so denied in practice"
    assert any(r.decision == "caveat" and r.field == "spec.ingress[0].from[0]" and "never matches ipBlock" in r.message
               for r in v.reasons), [r.message for r in v.reasons]
    assert g.practice is g.practice_hi, "Cilium's answer needs no bounds"


def test_admin_networks_peer_is_undecided_for_a_template_pod():
    anp = admin("AdminNetworkPolicy", "deny-private", "priority: 1\nsubject: {namespaces: {}}\n"
                "egress:\n  - {action: Deny, to: [{networks: ['10.0.0.0/8']}]}")
    v = verdict(graph(*templates(), anp))
    assert v.undecided, "networks matches pod IPs; x/web may or may not get one in 10.0.0.0/8"
    assert any(r.decision == "undecided" and r.field == "spec.egress[0].to[0]" for r in v.reasons)


def test_calico_nets_with_a_selector_are_undecided_for_a_template_pod():
    gnp = {"apiVersion": "projectcalico.org/v3", "kind": "GlobalNetworkPolicy", "metadata": {"name": "web"},
           "spec": {"selector": "app == 'web'", "types": ["Ingress"], "ingress": [
               {"action": "Allow", "source": {"selector": "app == 'api'", "nets": ["10.0.0.0/8"]}}]}}
    g = graph(*templates(), gnp, cni="calico")
    assert verdict(g).undecided, "y/api matches the selector; whether its IP is in 10.0.0.0/8 cannot be told"
    nodes = [node("n1", "10.244.1.0/24")]
    assert state(verdict(graph(*templates(), *nodes, gnp, cni="calico"))) == "allowed", \
        "with the pod range 10.244.1.0/24 known, 10.0.0.0/8 holds every address y/api can get"


# --- rules --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pod_cidr,expected", [(None, "UNKNOWN"), ("10.244.0.0/16", "PASS"),
                                               ("192.168.0.0/16", "FAIL")])
def test_dns_egress_rule_is_unknown_while_the_dns_pods_address_is(pod_cidr, expected):
    """NW013: x/app allows UDP 53 only to ipBlock 10.0.0.0/8; the cluster DNS pods come from a Deployment
    template, so whether that block holds their address decides, and only the pod ranges can tell."""
    from kubeguard.engine.run import ScanInput, run_scan
    from kubeguard.model import ClusterFacts, CollectionReport, Inventory, K8sObject
    from kubeguard.model.settings import Settings
    from kubeguard.rules._registry import default_registry

    dns = deployment("kube-system", "coredns", {"k8s-app": "kube-dns"}, 53)
    dns["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": 53, "protocol": "UDP"}]
    docs = [ns("x"), ns("kube-system"), dns, deployment("x", "app", {"app": "app"}),
            netpol("x", "egress", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [
                {"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}], "ports": [{"protocol": "UDP", "port": 53}]}]})]
    if pod_cidr:
        docs.append(node("n1", pod_cidr))
    inv = Inventory.build([ClusterFacts("manifests", source="manifests")],
                          [K8sObject.from_raw(d, "app.yaml") for d in docs])
    result = run_scan(ScanInput(inv, CollectionReport()), default_registry(),
                      Settings(include=("NW013",), include_preview=True))
    status = {r.rule: (r.status, r.reason) for r in result.rule_results}["NW013"]
    assert status[0] == expected, status

"""Node traffic (NP-47), rewritten sources (NP-32), start-up windows (NP-49), ClusterNetworkPolicy and the
constructs the engine reports as undecided instead of guessing.

Each test names the endpoints and the field that decides in its assertion message.
"""

from __future__ import annotations

import orjson

from kubeguard.graph.network_matrix import build_matrix
from kubeguard.graph.network_sets import PortSet
from kubeguard.report.netpol_matrix import render_matrix

from .helpers import admin, graph, netpol, ns, pod, service

DENY_IN = {"podSelector": {}, "policyTypes": ["Ingress"]}
DENY_ALL = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def _nodes() -> list[dict]:
    """x/a on node n1, a hostNetwork agent on n1 and one on n2 (node IPs 10.0.0.1 / 10.0.0.2)."""
    return [ns("x"), ns("kube-system"),
            pod("x", "a", {"app": "a"}, [(8080,)], ip="10.244.1.5", node="n1", host_ip="10.0.0.1"),
            pod("kube-system", "agent-1", {"app": "agent"}, ip="10.0.0.1", host_network=True, node="n1"),
            pod("kube-system", "agent-2", {"app": "agent"}, ip="10.0.0.2", host_network=True, node="n2")]


def _verdict(g, src: str, dst: str, port: int | None = 8080, protocol: str = "TCP"):
    return g.can_reach(g.endpoint(src), g.endpoint(dst), protocol, port)


# --- NP-47: a pod's own node ---------------------------------------------------------------------

def test_np47_own_node_always_reaches_the_pod_and_other_nodes_are_policy_bound():
    g = graph(*_nodes(), netpol("x", "deny", DENY_IN))
    v = _verdict(g, "kube-system/agent-1", "x/a")
    assert v.allowed and not v.undecided, "agent-1 runs on x/a's node n1: traffic from it is always allowed"
    assert any("NP-47" in r.message for r in v.reasons)
    v = _verdict(g, "kube-system/agent-2", "x/a")
    assert not v.allowed and not v.undecided, "agent-2 on n2 is an ordinary address: x/a's deny policy decides"
    assert _verdict(g, "node:n1", "x/a").allowed and not _verdict(g, "node:n2", "x/a").allowed
    assert str(g.endpoint("10.0.0.2")) == "node n2", "a node address names the node, not an external IP"


def test_np47_node_address_matched_by_ip_block_except_on_cilium():
    allow_nodes = {"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "10.0.0.0/24"}}]}]}
    g = graph(*_nodes(), netpol("x", "nodes", allow_nodes), cni="cilium")
    v = _verdict(g, "node:n2", "x/a")
    assert v.spec_allowed, "spec: ipBlock 10.0.0.0/24 covers node n2's address"
    assert not v.allowed, "Cilium never matches ipBlock against node addresses"
    caveats = [r.message for r in v.reasons if r.decision == "caveat" and r.field == "spec.ingress[0].from[0]"]
    assert caveats and "never matches ipBlock against pod or node IPs" in caveats[0], caveats


def test_np47_egress_to_the_own_node_depends_on_the_cni():
    docs = [*_nodes(), netpol("x", "deny", DENY_ALL)]
    spec = _verdict(graph(*docs), "x/a", "node:n1")
    assert spec.allowed, "the docs allow traffic to the pod's own node whatever the egress policy says"
    aws = _verdict(graph(*docs, cni="aws-vpc-cni"), "x/a", "node:n1")
    assert aws.allowed, "the VPC CNI agent always allows the node IP (aws-network-policy-agent #65)"
    calico = _verdict(graph(*docs, cni="calico"), "x/a", "node:n1")
    assert calico.undecided and not calico.allowed, "Calico's exemption of pod-to-own-node egress is undocumented"
    assert not _verdict(graph(*docs, cni="calico"), "x/a", "node:n2").undecided, "n2 is not x/a's node"


def test_np47_template_pods_have_no_node_so_node_traffic_is_undecided():
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "kube-system"},
          "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": {
              "metadata": {"labels": {"app": "agent"}},
              "spec": {"hostNetwork": True, "containers": [{"name": "c", "image": "agent:1"}]}}}}
    web = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "x"},
           "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {
               "metadata": {"labels": {"app": "web"}},
               "spec": {"containers": [{"name": "c", "image": "web:1", "ports": [{"containerPort": 8080}]}]}}}}
    g = graph(ns("x"), ns("kube-system"), ds, web, netpol("x", "deny", DENY_IN))
    v = _verdict(g, "kube-system/DaemonSet/agent", "x/Deployment/web")
    assert v.undecided and not v.allowed, "the agent may run on web's node (NP-47), which a template cannot tell"
    m = build_matrix(g, "workload")
    i, j = m.nodes.index("kube-system/agent"), m.nodes.index("x/web")
    assert m.undecided[(i, j)].is_all and not m.ports(i, j), "matrix: every port undecided, none surely allowed"
    rows = orjson.loads(render_matrix(m, "json"))
    undecided = [r for r in rows if r["src"] == "kube-system/agent" and r["dst"] == "x/web" and r.get("undecided")]
    assert undecided and all(r["allowed"] is None for r in undecided), rows
    assert "?" in render_matrix(m, "table").decode()


# --- NP-32: sources behind NodePort / LoadBalancer Services --------------------------------------

def _exposed(svc_type: str, policy: str, **svc) -> list[dict]:
    only_partner = {"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "203.0.113.0/24"}}],
                                                    "ports": [{"port": 8080}]}]}
    open_port = {"podSelector": {}, "ingress": [{"ports": [{"port": 8080}]}]}
    return [ns("x"), pod("x", "a", {"app": "a"}, [(8080,)], ip="10.244.1.5", node="n1"),
            netpol("x", "p", only_partner if policy == "partner" else open_port),
            service("x", "web", {"app": "a"}, [(443, 8080)], svc_type, **svc)]


def test_np32_snat_through_a_load_balancer_makes_address_rules_undecided():
    g = graph(*_exposed("LoadBalancer", "partner"))
    v = _verdict(g, "203.0.113.5", "x/a")
    assert v.undecided and any("NP-32" in r.message and r.field == "spec.externalTrafficPolicy" for r in v.reasons), \
        "Service x/web (externalTrafficPolicy Cluster) may SNAT the client to a node address"
    assert _verdict(g, "203.0.113.5", "x/a", 9999).allowed is False, "port 9999 is not behind the Service"


def test_np32_source_preserved_on_a_local_node_port_and_irrelevant_when_every_address_is_allowed():
    g = graph(*_exposed("NodePort", "partner", externalTrafficPolicy="Local"))
    assert _verdict(g, "203.0.113.5", "x/a").allowed, "NodePort with Local keeps the client address"
    v = _verdict(g, "198.51.100.1", "x/a")
    assert not v.allowed and not v.undecided
    g = graph(*_exposed("LoadBalancer", "open"))
    v = _verdict(g, "198.51.100.1", "x/a")
    assert v.allowed and not v.undecided, "ingress.ports 8080 with no from admits every source"


def test_np32_a_proxying_load_balancer_keeps_local_undecided():
    v = _verdict(graph(*_exposed("LoadBalancer", "partner", externalTrafficPolicy="Local")), "198.51.100.1", "x/a")
    assert v.undecided and any(r.field == "spec.type" for r in v.reasons), "the load balancer may proxy"


# --- NP-49: start-up window of the VPC CNI --------------------------------------------------------

def test_np49_vpc_cni_standard_mode_caveat_on_denied_answers_only():
    docs = [ns("x"), pod("x", "a", {"app": "a"}, [(8080,)]), pod("x", "b", {"app": "b"}),
            netpol("x", "deny", DENY_IN)]
    def cni(mode: str) -> dict:
        return {"cni": {"name": "aws-vpc-cni", "networkPolicyEnforcement": True,
                        "policyEngine": "aws-network-policy-agent", "enforcingMode": mode}}

    v = _verdict(graph(*docs, facts=cni("standard")), "x/b", "x/a")
    assert not v.allowed and any("NP-49" in r.message for r in v.reasons), "standard mode starts pods open"
    assert not any("NP-49" in r.message for r in _verdict(graph(*docs, facts=cni("strict")), "x/b", "x/a").reasons)
    assert not any("NP-49" in r.message for r in _verdict(graph(*docs, cni="aws-vpc-cni"), "x/b", "x/a").reasons), \
        "mode not collected: no claim either way"


# --- admin policies: undecided peers and ClusterNetworkPolicy (v1alpha2) ---------------------------

def test_anp_domain_names_are_undecided_for_addresses_and_never_match_pods():
    docs = [ns("x"), ns("y"), pod("x", "a", {"app": "a"}, ip="10.244.1.5"), pod("y", "b", {"app": "b"},
                                                                                ip="10.244.2.5"),
            admin("AdminNetworkPolicy", "dns-names", {"priority": 10, "subject": {"namespaces": {}}, "egress": [
                {"action": "Allow", "to": [{"domainNames": ["*.example.com"]}]}]}),
            admin("AdminNetworkPolicy", "deny-rest", {"priority": 20, "subject": {"namespaces": {}}, "egress": [
                {"action": "Deny", "to": [{"networks": ["0.0.0.0/0"]}]}]})]
    g = graph(*docs)
    v = _verdict(g, "x/a", "93.184.216.34", 443)
    assert v.undecided, "dns-names spec.egress[0] may match the address, deny-rest would deny it otherwise"
    assert any(r.decision == "undecided" and r.field == "spec.egress[0]" for r in v.reasons)
    v = _verdict(g, "x/a", "y/b", 443)
    assert not v.allowed and not v.undecided, "domain names are not pods: deny-rest networks 0.0.0.0/0 decides"


def test_cluster_network_policy_tiers_around_network_policies():
    docs = [ns("x"), ns("y"), pod("x", "a", {"app": "a"}, [(80,), (443,)]), pod("y", "b", {"app": "b"}),
            netpol("x", "allow-all", {"podSelector": {}, "ingress": [{}]}),
            admin("ClusterNetworkPolicy", "admin", {"tier": "Admin", "priority": 5, "subject": {"namespaces": {}},
                                                    "ingress": [{"action": "Deny", "from": [{"namespaces": {}}],
                                                                 "protocols": [{"tcp": {"destinationPort": {
                                                                     "number": 443}}}]}]}),
            admin("ClusterNetworkPolicy", "base", {"tier": "Baseline", "priority": 5, "subject": {"namespaces": {}},
                                                   "ingress": [{"action": "Deny", "from": [{"namespaces": {}}]}]})]
    g = graph(*docs)
    assert not _verdict(g, "y/b", "x/a", 443).allowed, "admin spec.ingress[0] denies TCP 443 before NetworkPolicies"
    assert _verdict(g, "y/b", "x/a", 80).allowed, "allow-all NetworkPolicy decides before the Baseline tier"
    assert not _verdict(g, "x/a", "y/b", 80).allowed, "y/b: no NetworkPolicy, so base spec.ingress[0] denies"
    assert g.allowed_ports(g.endpoint("y/b"), g.endpoint("x/a"), False) & PortSet.of("TCP", 80)


def test_cluster_network_policy_validation():
    bad = admin("ClusterNetworkPolicy", "bad", {"priority": 5, "subject": {"namespaces": {}}, "egress": [
        {"action": "Allow", "to": [{"namespaces": {}}], "protocols": [{"tcp": {}, "udp": {}}]}]})
    g = graph(ns("x"), pod("x", "a"), bad)
    msgs = sorted(p.message for p in g.problems() if p.severity == "error")
    assert msgs == ["a protocols entry sets exactly one of tcp, udp, sctp or destinationNamedPort",
                    "action must be one of Accept, Deny, Pass", "tier must be Admin or Baseline"], msgs


def test_cli_can_reach_exits_3_and_writes_null_when_undecided(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from kubeguard.cli.main import app

    f = tmp_path / "exposed.yaml"
    f.write_text(yaml.safe_dump_all(_exposed("LoadBalancer", "partner")))
    res = CliRunner().invoke(app, ["netpol", "can-reach", "203.0.113.5", "x/a", "--port", "8080", str(f), "-f",
                                   "json"], catch_exceptions=False)
    assert res.exit_code == 3, res.output
    doc = orjson.loads(res.stdout)
    assert doc["allowed"] is None and doc["undecided"] is True
    assert [r["policy"] for r in doc["reasons"] if r["decision"] == "undecided"] == ["Service/x/web"]
    text = CliRunner().invoke(app, ["netpol", "can-reach", "203.0.113.5", "x/a", "--port", "8080", str(f)])
    assert text.exit_code == 3 and "UNDECIDED" in text.stdout and "NP-32" in text.stdout


def test_unauthenticated_service_behind_a_snat_load_balancer_is_unknown_not_pass():
    from kubeguard.engine.run import ScanInput, run_scan
    from kubeguard.model import ClusterFacts, CollectionReport, Inventory, K8sObject, Status
    from kubeguard.model.settings import Settings
    from kubeguard.rules._registry import default_registry

    db = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "db", "namespace": "x"},
          "spec": {"selector": {"matchLabels": {"app": "db"}}, "template": {
              "metadata": {"labels": {"app": "db"}},
              "spec": {"containers": [{"name": "pg", "image": "postgres:16.4", "ports": [{"containerPort": 5432}],
                                       "env": [{"name": "POSTGRES_HOST_AUTH_METHOD", "value": "trust"}]}]}}}}
    only_app = netpol("x", "db", {"podSelector": {"matchLabels": {"app": "db"}},
                                  "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "api"}}}]}]})

    def status(svc_type: str, **spec) -> tuple[str, str]:
        docs = [ns("x"), db, only_app, service("x", "db", {"app": "db"}, [(5432, 5432)], svc_type, **spec)]
        inv = Inventory.build([ClusterFacts("c")], [K8sObject.from_raw(d, "c") for d in docs])
        res = run_scan(ScanInput(inv, CollectionReport()), default_registry(),
                       Settings(include=("NW021",), include_preview=True))
        rr = next(r for r in res.rule_results if r.rule == "NW021")
        return rr.status, rr.reason or ""

    state, reason = status("LoadBalancer")
    assert state == Status.UNKNOWN.value and "source the policy sees" in reason, (state, reason)
    assert status("NodePort", externalTrafficPolicy="Local")[0] == Status.PASS.value, \
        "client addresses kept: db admits only app=api pods, so nothing outside reaches it"

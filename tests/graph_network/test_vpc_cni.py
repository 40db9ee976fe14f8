"""The Amazon VPC CNI network policy agent's documented limits (netpol-semantics.md C.1): what it
enforces differs from the policies as written, and the engine says so with the reason."""

from __future__ import annotations

import pytest

from kubeguard.graph.network_aws import named_port_spread, service_vip_gaps

from .helpers import graph, netpol, ns, pod, service

AWS = {"cni": {"name": "aws-vpc-cni", "networkPolicyEnforcement": True, "policyEngine": "aws-network-policy-agent",
               "enforcingMode": "strict"}}


def _verdict(g, src: str, dst: str, port: int | str):
    return g.can_reach(g.endpoint(src), g.endpoint(dst), "TCP", port)


def test_named_port_without_peers_allows_nothing_in_practice():
    g = graph(ns("x"), pod("x", "a", {"app": "a"}, [(8080, "http")]), pod("x", "b", {"app": "b"}),
              netpol("x", "web", {"podSelector": {"matchLabels": {"app": "a"}}, "ingress": [{"ports": [{"port": "http"}]}]}),
              facts=AWS)
    v = _verdict(g, "x/b", "x/a", 8080)
    assert v.spec_allowed and not v.allowed, "web spec.ingress[0].ports[0] names a port but lists no peer"
    assert any(r.field == "spec.ingress[0].ports[0]" and "named port only on pods listed" in r.message
               for r in v.reasons), [r.message for r in v.reasons]
    with_peer = graph(ns("x"), pod("x", "a", {"app": "a"}, [(8080, "http")]), pod("x", "b", {"app": "b"}),
                      netpol("x", "web", {"podSelector": {"matchLabels": {"app": "a"}}, "ingress": [
                          {"from": [{"podSelector": {}}], "ports": [{"port": "http"}]}]}), facts=AWS)
    assert _verdict(with_peer, "x/b", "x/a", 8080).allowed, "with a pod peer the name resolves"


def test_ingress_named_port_opens_every_number_the_policy_pods_give_it():
    docs = [ns("x"), pod("x", "a", {"app": "web"}, [(8080, "http"), (9090, "admin")]),
            pod("x", "c", {"app": "web"}, [(9090, "http")]), pod("x", "b", {"app": "b"}),
            netpol("x", "web", {"podSelector": {"matchLabels": {"app": "web"}}, "ingress": [
                {"from": [{"podSelector": {"matchLabels": {"app": "b"}}}], "ports": [{"port": "http"}]}]})]
    g = graph(*docs, facts=AWS)
    v = _verdict(g, "x/b", "x/a", 9090)
    assert not v.spec_allowed and v.allowed, "x/a's http is 8080, but x/c's http (9090) is opened on x/a too"
    assert str(named_port_spread(g, g.policies[0])["http"]) == "TCP 8080,9090"


def test_more_than_24_port_entries_leave_the_ports_undecided():
    ports = [{"port": 5432}] + [{"port": 6000 + i} for i in range(24)]
    g = graph(ns("x"), pod("x", "db", {"app": "db"}, [(5432,)]), pod("x", "b", {"app": "b"}),
              netpol("x", "db", {"podSelector": {"matchLabels": {"app": "db"}},
                                 "ingress": [{"from": [{"podSelector": {}}], "ports": ports}]}), facts=AWS)
    v = _verdict(g, "x/b", "x/db", 5432)
    assert v.spec_allowed and v.undecided, "25 entries: the agent programs 24 and which it drops is not known"
    assert any(r.decision == "undecided" and "24 unique port/protocol" in r.message for r in v.reasons)
    assert not _verdict(g, "x/b", "x/db", 7000).undecided, "port 7000 is in no entry: denied either way"


def test_fargate_and_windows_pods_are_not_protected():
    fargate = pod("x", "job", {"app": "job"})
    fargate["spec"]["schedulerName"] = "fargate-scheduler"
    win = pod("x", "win", {"app": "win"})
    win["spec"]["nodeSelector"] = {"kubernetes.io/os": "windows"}
    g = graph(ns("x"), fargate, win, pod("x", "b", {"app": "b"}), netpol("x", "deny", {"podSelector": {}}), facts=AWS)
    for target in ("x/job", "x/win"):
        v = _verdict(g, "x/b", target, 80)
        assert not v.spec_allowed and v.allowed, f"{target}: no policy is applied on Fargate or Windows"
        assert any("Fargate or Windows" in r.message for r in v.reasons)


def test_service_egress_needs_the_service_selector_and_equal_ports():
    def docs(rule_selector: dict, svc_port: int) -> list[dict]:
        return [ns("x"), pod("x", "db", {"app": "db", "tier": "data"}, [(5432, "pg")]),
                pod("x", "api", {"app": "api"}),
                service("x", "db", {"app": "db"}, [(svc_port, 5432)], cluster_ip="10.100.0.20"),
                netpol("x", "api", {"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"],
                                    "egress": [{"to": [{"podSelector": {"matchLabels": rule_selector}}],
                                                "ports": [{"port": 5432}]}]})]

    def gaps(g) -> list[str]:
        return [f"{gap.service.name}:{gap.port}" for gap in service_vip_gaps(g, [g.endpoint("x/api")])]

    assert gaps(graph(*docs({"app": "db"}, 5432), facts=AWS)) == []
    assert gaps(graph(*docs({"app": "db"}, 80), facts=AWS)) == ["db:80"], "Service port 80 != container port 5432"
    assert gaps(graph(*docs({"app": "db", "tier": "data"}, 5432), facts=AWS)) == ["db:5432"], \
        "the rule's selector {app: db, tier: data} does not select the Service's selector {app: db}"
    assert gaps(graph(*docs({"app": "db"}, 80), cni="calico")) == [], "only the VPC CNI matches ClusterIPs"


# --- hostNetwork Service backends: the client's node decides (NP-47) ------------------------------------------

def _host_backend_docs(*clients: tuple[str, str], policy_to: dict | None = None) -> list[dict]:
    """x/db is a hostNetwork pod on node n1 (10.0.0.1) behind Service db (port 80 -> 5432, which the agent's
    ClusterIP check refuses: Service port != container port); ``clients`` are (name, node) pods labelled
    app=api, whose egress policy allows ``policy_to`` (default: pods app=db) on 5432."""
    docs = [ns("x"), pod("x", "db", {"app": "db"}, [(5432,)], ip="10.0.0.1", host_network=True, node="n1"),
            service("x", "db", {"app": "db"}, [(80, 5432)], cluster_ip="10.100.0.20"),
            netpol("x", "api", {"podSelector": {"matchLabels": {"app": "api"}}, "policyTypes": ["Egress"],
                                "egress": [{"to": [policy_to or {"podSelector": {"matchLabels": {"app": "db"}}}],
                                            "ports": [{"port": 5432}]}]})]
    for i, (name, node) in enumerate(clients):
        docs.append(pod("x", name, {"app": "api"}, ip=f"10.244.{i + 1}.5", node=node,
                        host_ip=f"10.0.0.{int(node[1:])}" if node else None))
    return docs


def _gap_clients(g, clients, nodes=None) -> list[str]:
    return [p.id for gap in service_vip_gaps(g, [g.endpoint(c) for c in clients], nodes) for p in gap.clients]


def test_cells_do_not_separate_pods_by_node():
    g = graph(*_host_backend_docs(("near", "n1"), ("far", "n2")), facts=AWS)
    near, far = g.endpoint("x/near"), g.endpoint("x/far")
    assert g.cells.cell_of[id(near)] == g.cells.cell_of[id(far)], "same namespace, labels and ports: one cell"


@pytest.mark.parametrize("order", [("x/near", "x/far"), ("x/far", "x/near")])
def test_vip_gap_towards_a_host_network_backend_depends_on_the_client_node(order):
    """x/near runs on the backend's node n1: egress to its own node is allowed (NP-47), so the pod-level answer
    lets it reach x/db, while the agent refuses the ClusterIP (Service port 80 != 5432): a gap.  x/far on n2 is
    denied by its egress policy (pods app=db do not match a hostNetwork pod's node address): no gap.  Both are in
    one cell; whichever comes first must not speak for the other."""
    g = graph(*_host_backend_docs(("near", "n1"), ("far", "n2")), facts=AWS)
    assert _verdict(g, "x/near", "x/db", 5432).allowed and not _verdict(g, "x/far", "x/db", 5432).allowed
    assert _gap_clients(g, list(order)) == ["x/near"]


def test_vip_gap_far_clients_reach_a_host_network_backend_through_an_ip_block():
    g = graph(*_host_backend_docs(("near", "n1"), ("far", "n2"), policy_to={"ipBlock": {"cidr": "10.0.0.0/24"}}),
              facts=AWS)
    assert _verdict(g, "x/far", "x/db", 5432).allowed, "10.0.0.0/24 covers n1's address"
    assert sorted(_gap_clients(g, ["x/far", "x/near"])) == ["x/far", "x/near"], "every node reaches it: both"


def test_vip_gap_counts_a_workload_when_one_of_its_nodes_reaches_a_host_network_backend():
    g = graph(*_host_backend_docs(("far", "n2")), facts=AWS)
    assert _gap_clients(g, ["x/far"]) == [], "x/far itself runs on n2"
    assert _gap_clients(g, ["x/far"], [{"n2", "n1"}]) == ["x/far"], \
        "its workload also has a pod on n1, the backend's node"
    assert _gap_clients(g, ["x/far"], [{"n2", "n3"}]) == []


def test_vip_gap_with_a_template_client_is_kept_whatever_the_node():
    g = graph(*_host_backend_docs(("near", "n1"), ("far", "n2")), facts=AWS)
    assert _gap_clients(g, ["x/far"], [{None}]) == ["x/far"], "a node that is not known may be the backend's"


def test_vip_gaps_towards_pod_backends_ignore_nodes():
    """Without a hostNetwork backend the answer is per cell, as before: nodes change nothing."""
    docs = [d for d in _host_backend_docs(("near", "n1"), ("far", "n2")) if d["metadata"]["name"] != "db"
            or d["kind"] != "Pod"]
    docs.append(pod("x", "db", {"app": "db"}, [(5432,)], ip="10.244.9.9", node="n1"))
    g = graph(*docs, facts=AWS)
    for nodes in (None, [{"n1"}, {"n2"}], [{"n3"}, {None}]):
        assert sorted(_gap_clients(g, ["x/near", "x/far"], nodes)) == ["x/far", "x/near"], nodes


def test_nw009_names_only_the_workload_on_the_host_network_backend_node():
    from kubeguard.engine.run import ScanInput, run_scan
    from kubeguard.model import ClusterFacts, CollectionReport, Inventory, K8sObject
    from kubeguard.model.settings import Settings
    from kubeguard.rules._registry import default_registry

    docs = _host_backend_docs(("near", "n1"), ("far", "n2"))
    for d in docs:  # two workloads: the pods belong to ReplicaSets near-rs and far-rs (helpers.pod)
        d.setdefault("status", {})
    objs = [K8sObject.from_raw(d, "live") for d in docs]
    inv = Inventory.build([ClusterFacts("live", provider="eks", source="live", facts=AWS)], objs)
    result = run_scan(ScanInput(inv, CollectionReport()), default_registry(),
                      Settings(include=("NW009",), include_preview=True))
    msgs = [f.message for f in result.findings if f.rule == "NW009" and f.status == "FAIL"]
    vip = [m for m in msgs if m.startswith("Service db port 80/TCP")]
    assert len(vip) == 1 and "near" in vip[0] and "far" not in vip[0], msgs


def test_nw009_counts_a_workload_pod_on_the_host_network_backend_node():
    """One Deployment, two pods: the first on n2, the second on n1 with the hostNetwork backend.  The rule asks
    with the workload's first pod and every node its pods run on."""
    from kubeguard.engine.run import ScanInput, run_scan
    from kubeguard.model import ClusterFacts, CollectionReport, Inventory, K8sObject
    from kubeguard.model.settings import Settings
    from kubeguard.rules._registry import default_registry

    docs = _host_backend_docs(("api-1", "n2"), ("api-2", "n1"))
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "api-rs", "namespace": "x",
                                                                      "uid": "rs-api"},
          "spec": {"selector": {"matchLabels": {"app": "api"}}, "template": {"metadata": {"labels": {"app": "api"}},
                                                                             "spec": {"containers": []}}}}
    for d in docs:
        if d["kind"] == "Pod" and d["metadata"]["name"].startswith("api-"):
            d["metadata"]["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "api-rs",
                                                 "uid": "rs-api", "controller": True}]
    objs = [K8sObject.from_raw(d, "live") for d in docs + [rs]]
    inv = Inventory.build([ClusterFacts("live", provider="eks", source="live", facts=AWS)], objs)
    result = run_scan(ScanInput(inv, CollectionReport()), default_registry(),
                      Settings(include=("NW009",), include_preview=True))
    msgs = [f.message for f in result.findings if f.rule == "NW009" and f.status == "FAIL"]
    assert any(m.startswith("Service db port 80/TCP: ReplicaSet x/api-rs may reach") for m in msgs), msgs

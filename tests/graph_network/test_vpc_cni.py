"""The Amazon VPC CNI network policy agent's documented limits (netpol-semantics.md C.1): what it
enforces differs from the policies as written, and the engine says so with the reason."""

from __future__ import annotations

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

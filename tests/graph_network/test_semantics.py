"""Every edge case of netpol-semantics.md part A.2 (NP-xx), plus admin policies (B.1).

Each test builds a tiny cluster (namespaces x and y, pods a and b in each) and
asks the engine one or more questions; the assertion message names the policy
field that decides.
"""

from __future__ import annotations

from kubeguard.graph.network_sets import PortSet

from .helpers import admin, base, graph, netpol, ns, pod, reach

DENY_ALL_IN = {"podSelector": {}}


# --- selection and isolation ---------------------------------------------------------------

def test_np01_pod_selected_by_no_policy_is_open_both_ways():
    g = graph(*base(), netpol("x", "only-b", {"podSelector": {"matchLabels": {"app": "b"}}}))
    assert reach(g, "y/a", "x/a"), "x/a is selected by no policy: ingress must be open"
    assert not reach(g, "y/a", "x/b"), "only-b spec.podSelector selects x/b and has no ingress rule"


def test_np02_empty_pod_selector_selects_every_pod_of_its_own_namespace_only():
    g = graph(*base(), netpol("x", "deny", DENY_ALL_IN))
    assert not reach(g, "y/a", "x/a") and not reach(g, "y/a", "x/b")
    assert reach(g, "x/a", "y/b"), "a policy in x must not select pods of y"


def test_np03_absent_pod_selector_selects_every_pod_of_the_namespace():
    g = graph(*base(), netpol("x", "deny", {"policyTypes": ["Ingress"]}))
    assert not reach(g, "y/a", "x/a") and not reach(g, "x/b", "x/a")
    assert [p.id for p in g.selected_pods(g.policies[0])] == ["x/a", "x/b"]


def test_np04_policy_selecting_nothing_has_no_effect():
    g = graph(*base(), netpol("x", "nothing", {"podSelector": {"matchLabels": {"app": "zzz"}}}))
    assert g.selected_pods(g.policies[0]) == []
    assert reach(g, "y/a", "x/a") and reach(g, "x/a", "y/a")


def test_np05_ingress_and_egress_isolation_are_independent():
    g = graph(*base(), netpol("x", "in", {"podSelector": {}, "policyTypes": ["Ingress"]}))
    assert not reach(g, "y/a", "x/a"), "x/a is ingress-isolated"
    assert reach(g, "x/a", "y/a"), "x/a is not egress-isolated"


def test_np06_non_isolated_pods_in_different_namespaces_talk():
    g = graph(*base())
    assert reach(g, "x/a", "y/b") and reach(g, "y/b", "x/a")


# --- policyTypes defaulting ------------------------------------------------------------------

def test_np07_absent_policy_types_without_egress_is_ingress_only():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}}))
    q = g.policies[0]
    assert q.ingress_isolates and not q.egress_isolates
    assert not reach(g, "y/a", "x/a") and reach(g, "x/a", "y/a")


def test_np08_absent_policy_types_with_egress_rules_isolates_ingress_too():
    g = graph(*base(), netpol("x", "egress-only-intent", {"podSelector": {}, "egress": [{"to": [{"podSelector": {}}]}]}))
    q = g.policies[0]
    assert q.ingress_isolates and q.egress_isolates, "defaulted policyTypes must be [Ingress, Egress]"
    assert not reach(g, "y/a", "x/a"), "the classic trap: ingress is denied as well"
    assert reach(g, "x/a", "x/b") is False, "x/b is ingress-isolated by the same policy"
    assert not reach(g, "x/a", "y/a"), "egress only to pods of x"
    assert any("also deny all ingress" in msg for _, msg in q.notes)


def test_np09_absent_policy_types_with_empty_egress_list_is_not_egress_isolated():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "egress": []}))
    assert not g.policies[0].egress_isolates
    assert reach(g, "x/a", "y/a")


def test_np10_egress_type_without_rules_denies_all_egress_including_dns():
    g = graph(*base(), pod("kube-system", "coredns", {"k8s-app": "kube-dns"}, [(53, "dns", "UDP")]),
              netpol("x", "p", {"podSelector": {}, "policyTypes": ["Egress"]}))
    assert not reach(g, "x/a", "kube-system/coredns", 53, "UDP")
    assert not reach(g, "x/a", "1.1.1.1", 443)
    assert reach(g, "y/a", "x/a"), "ingress untouched"


def test_np11_rules_for_a_direction_not_in_policy_types_have_no_effect():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "policyTypes": ["Ingress"],
                                        "egress": [{"to": [{"podSelector": {}}]}]}))
    q = g.policies[0]
    assert not q.egress_isolates and q.egress == ()
    assert reach(g, "x/a", "y/a"), "egress rules without Egress in policyTypes must not isolate"
    assert any("egress rules are ignored" in m for _, m in q.notes)


# --- rule lists ----------------------------------------------------------------------------

def test_np12_absent_or_empty_ingress_denies_all_ingress():
    for spec in ({"podSelector": {}, "policyTypes": ["Ingress"]}, {"podSelector": {}, "ingress": []}):
        g = graph(*base(), netpol("x", "p", spec))
        assert not reach(g, "x/b", "x/a") and not reach(g, "203.0.113.9", "x/a"), spec


def test_np13_single_empty_rule_allows_everything():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
                                        "ingress": [{}], "egress": [{}]}))
    for src, dst, port, proto in (("y/a", "x/a", 1234, "UDP"), ("203.0.113.9", "x/a", 22, "TCP"),
                                  ("x/a", "8.8.8.8", 53, "UDP"), ("x/a", "y/b", 9999, "SCTP")):
        assert reach(g, src, dst, port, proto), (src, dst, port, proto)
    assert g.allowed_ports(g.endpoint("y/a"), g.endpoint("x/a")).is_all


def test_np14_rule_without_peers_means_any_peer_limited_by_ports():
    for rule in ({"ports": [{"port": 80}]}, {"from": [], "ports": [{"port": 80}]}):
        g = graph(*base(), netpol("x", "p", {"podSelector": {}, "ingress": [rule]}))
        assert reach(g, "y/a", "x/a", 80) and reach(g, "198.51.100.1", "x/a", 80), rule
        assert not reach(g, "y/a", "x/a", 81), rule


def test_np15_rule_without_ports_means_every_port_and_protocol():
    for rule in ({"from": [{"podSelector": {}}]}, {"from": [{"podSelector": {}}], "ports": []}):
        g = graph(*base(), netpol("x", "p", {"podSelector": {}, "ingress": [rule]}))
        assert g.allowed_ports(g.endpoint("x/b"), g.endpoint("x/a")).is_all, rule


def test_np16_policies_selecting_the_same_pod_are_a_union():
    g = graph(*base(), netpol("x", "p80", {"podSelector": {}, "ingress": [{"ports": [{"port": 80}]}]}),
              netpol("x", "p81", {"podSelector": {}, "ingress": [{"ports": [{"port": 81}]}]}))
    assert reach(g, "y/a", "x/a", 80) and reach(g, "y/a", "x/a", 81) and not reach(g, "y/a", "x/a", 82)
    g = graph(*base(), netpol("x", "deny", {"podSelector": {}}),
              netpol("x", "all", {"podSelector": {}, "ingress": [{}]}))
    assert reach(g, "y/a", "x/a", 5555), "an allow-all policy makes the deny-all irrelevant"


# --- peers ---------------------------------------------------------------------------------

def test_np17_pod_selector_peer_is_scoped_to_the_policy_namespace():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "b"}}}]}]}))
    assert reach(g, "x/b", "x/a") and not reach(g, "y/b", "x/a")


def test_np18_empty_pod_selector_peer_is_every_pod_of_the_policy_namespace():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]}))
    assert reach(g, "x/b", "x/a") and not reach(g, "y/a", "x/a")


def test_np19_namespace_selector_peer_includes_own_namespace_when_it_matches():
    g = graph(*base(), ns("z", team="x"), pod("z", "c", {"app": "c"}),
              netpol("x", "p", {"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "x"}}}]}]}))
    assert reach(g, "x/b", "x/a") and reach(g, "z/c", "x/a") and not reach(g, "y/a", "x/a")


def test_np20_empty_namespace_selector_is_all_pods_but_not_external_ips():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {}}]}]}))
    assert reach(g, "y/b", "x/a") and not reach(g, "203.0.113.5", "x/a")


def test_np21_one_peer_with_both_selectors_is_an_and():
    spec = {"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "y"}},
                                                       "podSelector": {"matchLabels": {"app": "b"}}}]}]}
    g = graph(*base(), netpol("x", "p", spec))
    assert reach(g, "y/b", "x/a") and not reach(g, "y/a", "x/a") and not reach(g, "x/b", "x/a")
    spec["ingress"][0]["from"][0]["namespaceSelector"] = {}
    g = graph(*base(), netpol("x", "p", spec))
    assert reach(g, "y/b", "x/a") and reach(g, "x/b", "x/a") and not reach(g, "y/a", "x/a")


def test_np22_two_peers_are_an_or():
    spec = {"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "y"}}},
                                                      {"podSelector": {"matchLabels": {"app": "b"}}}]}]}
    g = graph(*base(), netpol("x", "p", spec))
    assert reach(g, "y/a", "x/a") and reach(g, "y/b", "x/a") and reach(g, "x/b", "x/a")


def test_np23_invalid_peers_are_rejected_and_the_policy_is_not_evaluated():
    for peer, msg in (({"ipBlock": {"cidr": "10.0.0.0/8"}, "podSelector": {}}, "not both"), ({}, "must set")):
        g = graph(*base(), netpol("x", "bad", {"podSelector": {}, "ingress": [{"from": [peer]}]}))
        probs = [(p.path, p.message) for p in g.problems() if p.severity == "error"]
        assert probs and probs[0][0] == ("spec", "ingress", 0, "from", 0) and msg in probs[0][1], probs
        assert reach(g, "y/a", "x/a"), "a policy the API rejects cannot isolate anything"


def test_np24_namespace_by_name_uses_the_metadata_name_label_even_without_a_namespace_object():
    g = graph(pod("x", "a", {"app": "a"}), pod("prod", "c", {"app": "c"}), pod("dev", "c", {"app": "c"}),
              netpol("x", "p", {"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": {
                  "matchLabels": {"kubernetes.io/metadata.name": "prod"}}}]}]}))
    assert reach(g, "prod/c", "x/a") and not reach(g, "dev/c", "x/a")


def test_np25_negative_selectors_match_objects_without_the_key():
    spec = {"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchExpressions": [
        {"key": "tier", "operator": "NotIn", "values": ["web"]}]}}]}]}
    g = graph(*base(), pod("x", "web", {"tier": "web"}), netpol("x", "p", spec))
    assert reach(g, "x/b", "x/a"), "x/b has no tier label: NotIn matches it"
    assert not reach(g, "x/web", "x/a")
    spec["ingress"][0]["from"][0]["podSelector"] = {"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}
    g = graph(*base(), pod("x", "web", {"tier": "web"}), netpol("x", "p", spec))
    assert reach(g, "x/b", "x/a") and not reach(g, "x/web", "x/a")


def test_np26_reachability_follows_current_labels():
    pol = netpol("x", "p", {"podSelector": {}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"role": "client"}}}]}]})
    before = graph(*base(), pol)
    after = graph(*[d for d in base() if d["metadata"]["name"] != "b" or d["metadata"].get("namespace") != "x"],
                  pod("x", "b", {"app": "b", "role": "client"}), pol)
    assert not reach(before, "x/b", "x/a") and reach(after, "x/b", "x/a")


# --- ipBlock -------------------------------------------------------------------------------

def test_np27_ip_block_with_except_ipv4_and_ipv6():
    spec = {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [
        {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}},
        {"ipBlock": {"cidr": "2001:db8::/32", "except": ["2001:db8:1::/48"]}}]}]}
    g = graph(*base(), netpol("x", "p", spec))
    assert reach(g, "x/a", "10.2.3.4") and not reach(g, "x/a", "10.1.3.4") and not reach(g, "x/a", "11.0.0.1")
    assert reach(g, "x/a", "2001:db8:2::1") and not reach(g, "x/a", "2001:db8:1::1")
    bad = graph(*base(), netpol("x", "bad", {"podSelector": {}, "egress": [{"to": [
        {"ipBlock": {"cidr": "10.0.0.0/16", "except": ["192.168.0.0/24"]}}]}]}))
    assert [p.path for p in bad.problems() if p.severity == "error"] == [("spec", "egress", 0, "to", 0, "ipBlock", "except", 0)]


def test_np28_address_excepted_in_one_block_but_allowed_by_another_rule_is_allowed():
    g = graph(*base(),
              netpol("x", "p1", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [
                  {"ipBlock": {"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}}]}]}),
              netpol("x", "p2", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [
                  {"ipBlock": {"cidr": "10.1.2.0/24"}}]}]}))
    assert reach(g, "x/a", "10.1.2.3") and not reach(g, "x/a", "10.1.3.3")


def test_np29_ip_block_covering_a_pod_ip_matches_by_e2e_semantics_but_not_on_cilium():
    docs = [ns("x"), ns("y"), pod("x", "a", {"app": "a"}, ip="10.0.0.5"), pod("y", "s", {"app": "s"}, ip="10.0.1.7"),
            pod("y", "t", {"app": "t"}, ip="10.0.1.8"),
            netpol("x", "p", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [
                {"ipBlock": {"cidr": "10.0.1.0/24", "except": ["10.0.1.8/32"]}}]}]})]
    g = graph(*docs)
    assert reach(g, "x/a", "y/s"), "e2e 'egress access to server in CIDR block'"
    assert not reach(g, "x/a", "y/t"), "e2e 'except clause' blocks the excepted pod IP"
    assert reach(g, "x/a", "10.0.1.7"), "an IP that is a pod's IP resolves to that pod"
    c = graph(*docs, cni="cilium")
    v = c.can_reach(c.endpoint("x/a"), c.endpoint("y/s"), "TCP", 80)
    assert v.spec_allowed and not v.allowed
    assert any(r.decision == "caveat" and "never matches ipBlock against pod" in r.message for r in v.reasons)


def test_np30_host_network_pod_traffic_matches_ip_blocks_by_its_node_ip():
    g = graph(ns("x"), ns("kube-system"), pod("x", "a", {"app": "a"}, ip="10.0.0.5"),
              pod("kube-system", "agent", {"app": "agent"}, ip="192.168.1.10", host_network=True),
              netpol("x", "p", {"podSelector": {}, "ingress": [{"from": [{"ipBlock": {"cidr": "192.168.1.0/24"}}]}]}))
    assert reach(g, "kube-system/agent", "x/a")


def test_np31_cluster_ip_ranges_in_ip_blocks_do_not_match_backend_pods():
    g = graph(ns("x"), ns("y"), pod("x", "a", {"app": "a"}, ip="10.244.0.5"), pod("y", "s", {"app": "s"}, ip="10.244.1.7"),
              netpol("x", "p", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [
                  {"ipBlock": {"cidr": "10.96.0.0/12"}}]}]}))
    assert not reach(g, "x/a", "y/s"), "policy sees the backend pod IP after DNAT, not the ClusterIP"


# --- ports and protocols -------------------------------------------------------------------

def test_np33_omitted_protocol_is_tcp():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "ingress": [{"ports": [{"port": 53}]}]}))
    assert reach(g, "y/a", "x/a", 53, "TCP") and not reach(g, "y/a", "x/a", 53, "UDP")


def test_np34_protocol_without_port_is_every_port_of_that_protocol():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "ingress": [{"ports": [{"protocol": "UDP"}]}]}))
    assert reach(g, "y/a", "x/a", 1, "UDP") and reach(g, "y/a", "x/a", 65535, "UDP") and not reach(g, "y/a", "x/a", 80)


def test_np35_numeric_port_is_the_destination_port():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": 8080}]}]}))
    assert reach(g, "x/a", "y/a", 8080) and not reach(g, "x/a", "y/a", 80)


def test_np36_named_ports_resolve_on_each_destination_pod_by_name_and_protocol():
    docs = [ns("x"), ns("y"), pod("x", "a", {"app": "a"}),
            pod("y", "web1", {"app": "web"}, [(8080, "http")]), pod("y", "web2", {"app": "web"}, [(9090, "http")]),
            pod("y", "udp", {"app": "web"}, [(8080, "http", "UDP")]),
            netpol("x", "p", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": "http"}]}]}),
            netpol("y", "q", {"podSelector": {}, "ingress": [{"ports": [{"port": "http"}]}]})]
    g = graph(*docs)
    assert reach(g, "x/a", "y/web1", 8080) and not reach(g, "x/a", "y/web1", 9090)
    assert reach(g, "x/a", "y/web2", 9090) and not reach(g, "x/a", "y/web2", 8080)
    assert not reach(g, "x/a", "y/udp", 8080, "TCP") and not reach(g, "x/a", "y/udp", 8080, "UDP"), \
        "'http' is a UDP port on y/udp and the policy asks for TCP"
    assert reach(g, "x/a", "y/web2", "http"), "a port name in the question resolves on the destination"


def test_np37_named_port_towards_ip_blocks_matches_nothing():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{
        "to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"port": "https"}]}]}))
    assert not reach(g, "x/a", "93.184.216.34", 443)
    assert any("NP-37" in m for _, m in g.policies[0].notes)


def test_np38_end_port_is_an_inclusive_range_and_validated():
    spec = {"podSelector": {}, "ingress": [{"ports": [{"port": 8000, "endPort": 8010}]}]}
    g = graph(*base(), netpol("x", "p", spec))
    assert reach(g, "y/a", "x/a", 8000) and reach(g, "y/a", "x/a", 8010) and not reach(g, "y/a", "x/a", 8011)
    npm = graph(*base(), netpol("x", "p", spec), cni="azure-npm")
    v = npm.can_reach(npm.endpoint("y/a"), npm.endpoint("x/a"), "TCP", 8005)
    assert v.spec_allowed and not v.allowed, "Azure NPM programs only `port`"
    assert any(r.field == "spec.ingress[0].ports[0].endPort" for r in v.reasons), [r.to_dict() for r in v.reasons]
    assert reach(npm, "y/a", "x/a", 8000)
    for bad in ({"port": 90, "endPort": 80}, {"endPort": 80}, {"port": "http", "endPort": 90}):
        b = graph(*base(), netpol("x", "p", {"podSelector": {}, "ingress": [{"ports": [bad]}]}))
        assert [p.path[-1] for p in b.problems() if p.severity == "error"] == ["endPort"], bad


def test_np38_cilium_end_port_depends_on_version():
    spec = {"podSelector": {}, "ingress": [{"ports": [{"port": 8000, "endPort": 8010}]}]}
    old = graph(*base(), netpol("x", "p", spec), facts={"cni": {"name": "cilium", "version": "1.15.2"}})
    new = graph(*base(), netpol("x", "p", spec), facts={"cni": {"name": "cilium", "version": "v1.16.1"}})
    aks = graph(*base(), netpol("x", "p", spec), facts={"cni": {"name": "azure-cilium"}}, k8s="v1.29.7")
    assert not reach(old, "y/a", "x/a", 8005) and reach(new, "y/a", "x/a", 8005) and not reach(aks, "y/a", "x/a", 8005)


def test_np39_sctp_is_its_own_protocol():
    spec = {"podSelector": {}, "ingress": [{"ports": [{"port": 80, "protocol": "SCTP"}]}]}
    g = graph(*base(), netpol("x", "p", spec))
    assert reach(g, "y/a", "x/a", 80, "SCTP") and not reach(g, "y/a", "x/a", 80, "TCP")
    kr = graph(*base(), netpol("x", "p", spec), cni="kube-router")
    assert not reach(kr, "y/a", "x/a", 80, "SCTP") and reach(kr, "y/a", "x/a", 80, "SCTP", spec=True)


def test_np40_udp_rule_does_not_allow_tcp():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "ingress": [{"ports": [{"port": 80, "protocol": "UDP"}]}]}))
    assert reach(g, "y/a", "x/a", 80, "UDP") and not reach(g, "y/a", "x/a", 80, "TCP")


def test_np41_icmp_protocol_is_rejected_by_validation():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "ingress": [{"ports": [{"protocol": "ICMP"}]}]}))
    assert [p.path for p in g.problems() if p.severity == "error"] == [("spec", "ingress", 0, "ports", 0, "protocol")]


def test_np42_ports_are_destination_ports_on_both_directions():
    g = graph(*base(), netpol("x", "p", {"podSelector": {"matchLabels": {"app": "a"}}, "policyTypes": ["Egress"],
                                        "egress": [{"ports": [{"port": 5432}]}]}))
    assert reach(g, "x/a", "y/b", 5432) and not reach(g, "x/a", "y/b", 1), "the rule's port is the destination's"
    assert reach(g, "y/b", "x/a", 1), "x/a is not ingress-isolated: replies and other sources are unaffected"


# --- direction interplay -------------------------------------------------------------------

def test_np43_source_egress_deny_wins_over_destination_ingress_allow():
    g = graph(*base(), netpol("x", "eg", {"podSelector": {}, "policyTypes": ["Egress"]}),
              netpol("y", "in", {"podSelector": {}, "ingress": [{}]}))
    v = g.can_reach(g.endpoint("x/a"), g.endpoint("y/a"), "TCP", 80)
    assert not v.allowed
    assert [r.decision for r in v.reasons if r.direction == "egress"] == ["deny"]
    assert [r.decision for r in v.reasons if r.direction == "ingress"] == ["allow"]


def test_np44_np45_only_the_pod_side_matters_for_external_endpoints():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
                                        "ingress": [{"from": [{"ipBlock": {"cidr": "203.0.113.0/24"}}]}],
                                        "egress": [{"to": [{"ipBlock": {"cidr": "93.184.216.0/24"}}]}]}))
    assert reach(g, "x/a", "93.184.216.7") and not reach(g, "x/a", "203.0.113.7")
    assert reach(g, "203.0.113.7", "x/a") and not reach(g, "93.184.216.7", "x/a")
    assert reach(g, "x/a", "internet"), "some public addresses are allowed"


# --- special traffic -----------------------------------------------------------------------

def test_np46_a_pod_can_always_reach_itself():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}))
    assert reach(g, "x/a", "x/a", 80) and not reach(g, "x/a", "x/b", 80)


def test_np48_host_network_pods_are_never_selected_nor_matched_by_selectors():
    g = graph(ns("x"), pod("x", "a", {"app": "a"}), pod("x", "h", {"app": "h"}, host_network=True),
              netpol("x", "p", {"podSelector": {}, "ingress": [{"from": [{"podSelector": {}}]}]}))
    assert reach(g, "y/zz" if False else "203.0.113.1", "x/h"), "x/h is node traffic: not isolated"
    assert not reach(g, "x/h", "x/a"), "pod selectors do not match hostNetwork pods"
    assert [p.id for p in g.selected_pods(g.policies[0])] == ["x/a"]


def test_np50_pods_synthesised_from_templates_are_evaluated_by_labels():
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "x"},
           "spec": {"template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [
               {"name": "c", "image": "api:1", "ports": [{"containerPort": 8443, "name": "https"}]}]}}}}
    g = graph(ns("x"), pod("x", "a", {"app": "a"}), dep,
              netpol("x", "p", {"podSelector": {"matchLabels": {"app": "api"}},
                                "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "a"}}}],
                                             "ports": [{"port": "https"}]}]}))
    api = g.endpoint("x/deployment/api")
    assert api.synthesized and api.id == "x/api"
    assert reach(g, "x/a", "x/Deployment/api", 8443) and not reach(g, "x/a", "x/api", 80)


# --- admin policies (B.1) ------------------------------------------------------------------

ANP_DENY_FROM_Y = """
priority: 10
subject: {namespaces: {matchLabels: {team: x}}}
ingress:
  - {name: deny-y, action: Deny, from: [{namespaces: {matchLabels: {team: y}}}]}
"""


def test_anp_deny_beats_a_network_policy_allow():
    g = graph(*base(), admin("AdminNetworkPolicy", "a", ANP_DENY_FROM_Y),
              netpol("x", "all", {"podSelector": {}, "ingress": [{}]}))
    v = g.can_reach(g.endpoint("y/a"), g.endpoint("x/a"), "TCP", 80)
    assert not v.allowed and v.reasons[-1].policy == "AdminNetworkPolicy/a" and v.reasons[-1].field == "spec.ingress[0]"
    assert reach(g, "x/b", "x/a")


def test_anp_allow_beats_network_policy_isolation_and_priority_orders_rules():
    g = graph(*base(),
              admin("AdminNetworkPolicy", "allow", "priority: 5\nsubject: {namespaces: {}}\n"
                    "ingress: [{action: Allow, from: [{namespaces: {matchLabels: {team: y}}}], "
                    "ports: [{portNumber: {protocol: TCP, port: 80}}]}]"),
              admin("AdminNetworkPolicy", "deny", ANP_DENY_FROM_Y),
              netpol("x", "deny", {"podSelector": {}}))
    assert reach(g, "y/a", "x/a", 80), "priority 5 Allow comes before priority 10 Deny and before NetworkPolicy"
    assert not reach(g, "y/a", "x/a", 81), "81 falls to the priority 10 Deny"


def test_anp_pass_hands_over_to_network_policy_then_baseline():
    passing = admin("AdminNetworkPolicy", "pass", "priority: 1\nsubject: {namespaces: {}}\n"
                    "ingress: [{action: Pass, from: [{namespaces: {}}]}]")
    deny_after = admin("AdminNetworkPolicy", "deny", ANP_DENY_FROM_Y)
    banp = admin("BaselineAdminNetworkPolicy", "default", "subject: {namespaces: {}}\n"
                 "ingress: [{action: Deny, from: [{namespaces: {matchLabels: {team: y}}}]}]")
    g = graph(*base(), passing, deny_after, banp)
    assert not reach(g, "y/a", "x/a"), "no NetworkPolicy selects x/a, so the baseline Deny applies"
    assert reach(g, "x/b", "x/a"), "baseline does not match x/b: default allow"
    g = graph(*base(), passing, deny_after, banp, netpol("x", "allow-y", {"podSelector": {}, "ingress": [
        {"from": [{"namespaceSelector": {"matchLabels": {"team": "y"}}}]}]}))
    assert reach(g, "y/a", "x/a"), "Pass skips the later ANP Deny; the NetworkPolicy allows; baseline not consulted"
    assert not reach(g, "x/b", "x/a"), "x/a is isolated by allow-y, which does not allow x/b"


def test_banp_allow_and_deny_apply_only_to_pods_no_network_policy_isolates():
    banp = admin("BaselineAdminNetworkPolicy", "default", "subject: {namespaces: {}}\negress:\n"
                 "  - {action: Allow, to: [{namespaces: {matchLabels: {team: x}}}]}\n"
                 "  - {action: Deny, to: [{networks: ['0.0.0.0/0']}]}")
    g = graph(*base(), banp)
    assert reach(g, "y/a", "x/a") and not reach(g, "y/a", "93.184.216.34")
    v = g.can_reach(g.endpoint("y/a"), g.endpoint("y/b"), "TCP", 80)
    assert v.undecided, "networks 0.0.0.0/0 matches pod IPs too, but y/b has no IP yet and may get an IPv6 one"
    g = graph(*base(), pod("z", "c", ip="10.244.0.7"), banp)
    assert not reach(g, "y/a", "y/b") and not g.can_reach(g.endpoint("y/a"), g.endpoint("y/b"), "TCP", 80).undecided, \
        "z/c's IP shows the pods are IPv4: whatever address y/b gets, 0.0.0.0/0 holds it"


def test_admin_policies_are_ignored_in_practice_on_a_cni_without_support():
    g = graph(*base(), admin("AdminNetworkPolicy", "a", ANP_DENY_FROM_Y), cni="aws-vpc-cni")
    v = g.can_reach(g.endpoint("y/a"), g.endpoint("x/a"), "TCP", 80)
    assert v.allowed and not v.spec_allowed
    assert any("does not implement AdminNetworkPolicy" in r.message for r in v.reasons)


def test_admin_policy_validation():
    g = graph(*base(), admin("AdminNetworkPolicy", "a", "priority: 2000\nsubject: {}\n"),
              admin("BaselineAdminNetworkPolicy", "other", "subject: {namespaces: {}}\n"))
    msgs = sorted(p.message for p in g.problems() if p.severity == "error")
    assert msgs == ["a BaselineAdminNetworkPolicy must be named 'default'",
                    "priority must be a number between 0 and 1000",
                    "subject must set exactly one of namespaces or pods"]


# --- CNI profiles (part C) -----------------------------------------------------------------

def test_flannel_enforces_nothing():
    g = graph(*base(), netpol("x", "deny", {"podSelector": {}}), facts={"cni": {"name": "flannel"}})
    v = g.can_reach(g.endpoint("y/a"), g.endpoint("x/a"), "TCP", 80)
    assert v.allowed and not v.spec_allowed and "allowed in practice" in v.reasons[0].message


def test_eks_standalone_pods_are_not_protected():
    g = graph(ns("x"), ns("y"), pod("x", "bare", {"app": "a"}, owned=False), pod("x", "owned", {"app": "a"}),
              pod("y", "c"), netpol("x", "deny", {"podSelector": {}}), cni="aws-vpc-cni")
    assert reach(g, "y/c", "x/bare") and not reach(g, "y/c", "x/bare", spec=True)
    assert not reach(g, "y/c", "x/owned")


def test_eks_metadata_except_is_not_enforced():
    g = graph(*base(), netpol("x", "p", {"podSelector": {}, "policyTypes": ["Egress"], "egress": [{"to": [
        {"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"]}}]}]}), cni="aws-vpc-cni")
    v = g.can_reach(g.endpoint("x/a"), g.endpoint("169.254.169.254"), "TCP", 80)
    assert v.allowed and not v.spec_allowed
    assert any(r.field == "spec.egress[0].to[0]" and r.decision == "caveat" for r in v.reasons)


def test_weave_ignores_named_ports():
    g = graph(*base(), pod("x", "web", {"app": "web"}, [(8080, "http")]),
              netpol("x", "p", {"podSelector": {}, "ingress": [{"ports": [{"port": "http"}]}]}), cni="weave")
    assert not reach(g, "y/a", "x/web", 8080) and reach(g, "y/a", "x/web", 8080, spec=True)


def test_port_set_rendering_and_algebra():
    p = PortSet.of("TCP", 80) | PortSet.of("TCP", 8000, 8010) | PortSet.of("UDP", 53)
    assert str(p) == "TCP 80,8000-8010; UDP 53"
    assert (p - PortSet.of("TCP", 8005)).ranges("TCP") == [(80, 80), (8000, 8004), (8006, 8010)]
    assert str(PortSet.all()) == "all ports" and not PortSet.none()

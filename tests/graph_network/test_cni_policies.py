"""CNI policy CRDs (netpol-semantics.md B.2, B.3): Calico NetworkPolicy/GlobalNetworkPolicy with tiers and
Cilium CNP/CCNP, layered with Kubernetes NetworkPolicies the way each CNI evaluates them."""

from __future__ import annotations

import pytest
import yaml

from kubeguard.graph.network_calico import SelectorError, parse_selector

from .helpers import graph, netpol, ns, pod

CALICO = {"cni": {"name": "calico", "networkPolicyEnforcement": True, "policyEngine": "calico"}}
CILIUM = {"cni": {"name": "cilium", "version": "1.16.3", "networkPolicyEnforcement": True, "policyEngine": "cilium"}}


def calico(kind: str, name: str, spec: str, namespace: str | None = None,
           api: str = "projectcalico.org/v3") -> dict:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": api, "kind": kind, "metadata": meta, "spec": yaml.safe_load(spec)}


def cilium(kind: str, name: str, spec: str, namespace: str | None = None) -> dict:
    meta = {"name": name, **({"namespace": namespace} if namespace else {})}
    return {"apiVersion": "cilium.io/v2", "kind": kind, "metadata": meta, "spec": yaml.safe_load(spec)}


def cast() -> list[dict]:
    return [ns("x", team="x"), ns("y", team="y"),
            pod("x", "a", {"app": "a"}, [(80,), (81,), (8080, "http")], ip="10.244.1.10"),
            pod("x", "b", {"app": "b"}, ip="10.244.1.11"), pod("x", "d", {"app": "b", "debug": "on"}, ip="10.244.1.12"),
            pod("y", "b", {"app": "b"}, ip="10.244.2.11")]


def ok(g, src: str, dst: str, port: int | None = 80, proto: str = "TCP") -> bool:
    return g.can_reach(g.endpoint(src), g.endpoint(dst), proto, port).allowed


def undecided(g, src: str, dst: str, port: int | None = 80) -> bool:
    return g.can_reach(g.endpoint(src), g.endpoint(dst), "TCP", port).undecided


# --- Calico selector language ----------------------------------------------------------------

@pytest.mark.parametrize("expr,labels,want", [
    ("app == 'a'", {"app": "a"}, True), ("app != 'a'", {}, True), ("has(app)", {"app": ""}, True),
    ("!has(app)", {"app": "x"}, False), ("app in {'a', 'b'}", {"app": "b"}, True),
    ("app not in {'a'}", {}, True), ("app contains 'ron'", {"app": "frontend"}, True),
    ("app starts with 'fr' && tier ends with 'end'", {"app": "front", "tier": "backend"}, True),
    ("(app == 'a' || app == 'b') && !has(debug)", {"app": "b", "debug": "1"}, False),
    ("all()", {}, True), ('role == "db"', {"role": "db"}, True), ("", {"x": "y"}, True),
])
def test_calico_selector_language(expr, labels, want):
    assert parse_selector(expr).match(labels) is want, expr


@pytest.mark.parametrize("expr", ["app ==", "app = 'a'", "has(app", "app in {'a'", "&& app == 'a'"])
def test_calico_selector_syntax_errors(expr):
    with pytest.raises(SelectorError):
        parse_selector(expr)


# --- Calico policies ------------------------------------------------------------------------------

def test_calico_tier_order_deny_before_kubernetes_allow_and_pass_to_the_next_tier():
    allow = netpol("x", "allow-b", {"podSelector": {"matchLabels": {"app": "a"}},
                                    "ingress": [{"from": [{"podSelector": {}}], "ports": [{"port": 80}]}]})
    early_deny = calico("NetworkPolicy", "no-debug", """
        order: 100
        selector: app == 'a'
        ingress: [{action: Deny, source: {selector: has(debug)}}]""", "x")
    late_deny = calico("GlobalNetworkPolicy", "late", """
        order: 2000
        selector: all()
        types: [Ingress]
        ingress: [{action: Deny, protocol: TCP, destination: {ports: [80]}}]""")
    g = graph(*cast(), allow, early_deny, late_deny, facts=CALICO)
    assert not ok(g, "x/d", "x/a"), "no-debug (order 100) spec.ingress[0] denies before allow-b (order 1000)"
    assert ok(g, "x/b", "x/a"), "allow-b allows TCP 80 before late (order 2000) denies it"
    assert not ok(g, "y/b", "x/b"), "late selects x/b: the default tier isolates it, its default action denies"
    assert not ok(g, "y/b", "x/b", 53, "UDP"), "late's Deny is TCP 80 only, but the default tier's default denies"
    v = g.can_reach(g.endpoint("x/d"), g.endpoint("x/a"), "TCP", 80)
    assert v.spec_allowed and not v.allowed, "upstream semantics know nothing of Calico's policies"
    assert "Calico" in g.profile.title and v.reasons[0].decision == "caveat"


def test_calico_pass_goes_to_the_next_tier_and_an_unknown_tier_is_undecided():
    tier = {"apiVersion": "projectcalico.org/v3", "kind": "Tier", "metadata": {"name": "security"},
            "spec": {"order": 100}}
    sec = calico("GlobalNetworkPolicy", "security.gate", """
        tier: security
        order: 10
        selector: all()
        ingress:
          - {action: Pass, source: {namespaceSelector: team == 'x'}}
          - {action: Deny}""")
    g = graph(*cast(), tier, sec, facts=CALICO)
    assert ok(g, "x/b", "x/a"), "security.gate passes team x; no default-tier policy selects x/a: allowed"
    assert not ok(g, "y/b", "x/a"), "security.gate spec.ingress[1] denies everything else"
    g = graph(*cast(), sec, facts=CALICO)
    assert undecided(g, "y/b", "x/a"), "without the Tier object the order of tier security is unknown"


def test_calico_types_default_nets_ports_and_protocols():
    egress_only = calico("NetworkPolicy", "egress", """
        selector: app == 'b'
        egress:
          - {action: Allow, protocol: TCP, destination: {nets: [10.244.1.0/24], notPorts: [81]}}
          - {action: Allow, notProtocol: TCP, destination: {selector: app == 'a'}}""", "x")
    g = graph(*cast(), egress_only, facts=CALICO)
    q = g.cni_policies[0]
    assert not q.ingress_isolates and q.egress_isolates, "types default to [Egress] with egress rules only"
    assert ok(g, "x/b", "x/a") and not ok(g, "x/b", "x/a", 81), "nets match pod IPs; notPorts takes 81 out"
    assert not ok(g, "x/b", "y/b"), "10.244.2.11 is outside the nets"
    assert ok(g, "x/b", "x/a", 53, "UDP"), "notProtocol TCP: UDP to app == 'a' is allowed"
    assert ok(g, "y/b", "x/b"), "not isolated for ingress"


def test_calico_network_sets_and_namespace_selectors():
    netset = {"apiVersion": "projectcalico.org/v3", "kind": "GlobalNetworkSet",
              "metadata": {"name": "partners", "labels": {"role": "partner"}}, "spec": {"nets": ["198.51.100.0/24"]}}
    gnp = calico("GlobalNetworkPolicy", "egress", """
        selector: projectcalico.org/namespace == 'x'
        types: [Egress]
        egress:
          - {action: Allow, destination: {selector: role == 'partner'}}
          - {action: Allow, destination: {namespaceSelector: projectcalico.org/name == 'y', selector: app == 'b'}}""")
    g = graph(*cast(), netset, gnp, facts=CALICO)
    assert ok(g, "x/a", "198.51.100.7", 443), "the GlobalNetworkSet labelled role=partner holds the address"
    assert not ok(g, "x/a", "203.0.113.7", 443)
    assert ok(g, "x/a", "y/b") and not ok(g, "x/a", "x/b"), "namespaceSelector y and selector app == 'b'"


def test_calico_undecided_constructs_and_staged_policies():
    http = calico("NetworkPolicy", "l7", """
        selector: app == 'a'
        ingress: [{action: Allow, protocol: TCP, http: {methods: [GET]}, destination: {ports: [80]}}]""", "x")
    sa = calico("NetworkPolicy", "sa", """
        selector: app == 'a'
        ingress: [{action: Allow, source: {serviceAccounts: {names: [api]}}}]""", "x")
    staged = calico("StagedNetworkPolicy", "preview", "{selector: all(), ingress: []}", "x")
    g = graph(*cast(), http, sa, staged, facts=CALICO)
    v = g.can_reach(g.endpoint("x/b"), g.endpoint("x/a"), "TCP", 80)
    assert v.undecided and {r.policy for r in v.reasons if r.decision == "undecided"} == {
        "NetworkPolicy.projectcalico.org/x/l7", "NetworkPolicy.projectcalico.org/x/sa"}
    assert ok(g, "x/a", "x/b"), "the staged policy enforces nothing"


def test_calico_crd_group_and_invalid_selectors():
    crd = calico("NetworkPolicy", "default.deny", "{selector: app == 'a', types: [Ingress]}", "x",
                 api="crd.projectcalico.org/v1")
    g = graph(*cast(), crd, facts=CALICO)
    assert not ok(g, "x/b", "x/a"), "crd.projectcalico.org/v1 objects are Calico policies too"
    bad = calico("NetworkPolicy", "bad", "{selector: app = 'a'}", "x")
    g = graph(*cast(), bad, facts=CALICO)
    assert [m for _, m in g.all_policies[0].problems][0].startswith("invalid selector")
    assert ok(g, "x/b", "x/a"), "a policy Calico would reject is not evaluated"


# --- Cilium ---------------------------------------------------------------------------------------

def test_cilium_endpoints_are_namespace_scoped_and_ports_default_deny():
    cnp = cilium("CiliumNetworkPolicy", "a", """
        endpointSelector: {matchLabels: {app: a}}
        ingress:
          - fromEndpoints: [{matchLabels: {app: b}}]
            toPorts: [{ports: [{port: "80", protocol: TCP}]}]
          - fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: y}}]
            toPorts: [{ports: [{port: http}]}]""", "x")
    g = graph(*cast(), cnp, facts=CILIUM)
    assert ok(g, "x/b", "x/a") and not ok(g, "x/b", "x/a", 81), "a spec.ingress[0]: app=b in x on TCP 80 only"
    assert not ok(g, "y/b", "x/a"), "fromEndpoints without a namespace key means the CNP's namespace"
    assert ok(g, "y/b", "x/a", 8080), "spec.ingress[1] names namespace y, named port http is 8080"


def test_cilium_deny_wins_over_every_allow_and_entities():
    ccnp = cilium("CiliumClusterwideNetworkPolicy", "lockdown", """
        endpointSelector: {}
        ingressDeny: [{fromEntities: [world]}]
        ingress: [{fromEntities: [all]}]""")
    allow_world = netpol("x", "open", {"podSelector": {}, "ingress": [{}]})
    g = graph(*cast(), ccnp, allow_world, facts=CILIUM)
    assert not ok(g, "8.8.8.8", "x/a"), "lockdown spec.ingressDeny[0] denies world before open allows it"
    assert ok(g, "y/b", "x/a"), "pods are cluster, not world"
    egress = cilium("CiliumNetworkPolicy", "egress", """
        endpointSelector: {}
        egress: [{toEntities: [cluster]}, {toCIDR: [10.0.0.0/8]}]""", "x")
    g = graph(*cast(), egress, facts=CILIUM)
    assert ok(g, "x/a", "y/b") and not ok(g, "x/a", "8.8.8.8"), "cluster entity: every pod, no outside address"
    assert ok(g, "x/a", "10.1.2.3"), "toCIDR matches outside addresses"


def test_cilium_empty_rule_denies_and_enable_default_deny_false_does_not_isolate():
    deny = cilium("CiliumNetworkPolicy", "deny", "{endpointSelector: {matchLabels: {app: a}}, ingress: [{}]}", "x")
    assert not ok(graph(*cast(), deny, facts=CILIUM), "x/b", "x/a"), "an empty ingress rule allows nothing"
    soft = cilium("CiliumNetworkPolicy", "soft", """
        endpointSelector: {matchLabels: {app: a}}
        enableDefaultDeny: {ingress: false}
        ingress: [{fromEndpoints: [{matchLabels: {app: b}}]}]""", "x")
    g = graph(*cast(), soft, facts=CILIUM)
    assert ok(g, "y/b", "x/a"), "enableDefaultDeny.ingress false: the rule adds, nothing is denied"


def test_cilium_l7_fqdn_and_cidr_never_matching_pods():
    l7 = cilium("CiliumNetworkPolicy", "l7", """
        endpointSelector: {matchLabels: {app: a}}
        ingress:
          - fromEndpoints: [{matchLabels: {app: b}}]
            toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: GET}]}}]""", "x")
    fqdn = cilium("CiliumNetworkPolicy", "fqdn", """
        endpointSelector: {matchLabels: {app: b}}
        egress:
          - toFQDNs: [{matchName: api.example.com}]
            toPorts: [{ports: [{port: "443", protocol: TCP}]}]
          - toCIDR: [10.244.0.0/16]""", "x")
    assert undecided(graph(*cast(), l7, facts=CILIUM), "x/d", "x/a"), \
        "l7 spec.ingress[0] filters HTTP requests: not decided statically"
    g = graph(*cast(), fqdn, facts=CILIUM)
    assert undecided(g, "x/b", "93.184.216.34", 443), "fqdn spec.egress[0]: the address DNS returns is unknown"
    assert not undecided(g, "x/b", "y/b", 443) and not ok(g, "x/b", "y/b", 443), \
        "DNS names are not pods, and toCIDR 10.244.0.0/16 never matches pods on Cilium"


def test_cni_policies_need_their_cni():
    deny = cilium("CiliumNetworkPolicy", "deny", "{endpointSelector: {}, ingress: [{}]}", "x")
    g = graph(*cast(), deny, facts=CALICO)
    assert ok(g, "x/b", "x/a"), "Calico does not enforce CiliumNetworkPolicies"
    g = graph(*cast(), deny)
    assert not ok(g, "x/b", "x/a") and "inferred" in g.profile.title, "CNI not told: the Cilium policy names it"

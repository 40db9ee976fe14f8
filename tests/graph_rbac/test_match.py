"""The rule matcher against upstream evaluation_helpers.go semantics (rbac.md §3)."""

from __future__ import annotations

import pytest

from kubeguard.graph.rbac_match import ANY_NAME, PolicyRule, Request, parse_resource, request_from_cli


def rule(**raw) -> PolicyRule:
    keys = {"groups": "apiGroups", "resources": "resources", "names": "resourceNames", "urls": "nonResourceURLs",
            "verbs": "verbs"}
    return PolicyRule.from_raw({keys[k]: v for k, v in raw.items()}, 0, ("Role", "ns", "r"))


R = Request


@pytest.mark.parametrize("r,req,allowed", [
    # verbs and groups
    (rule(groups=[""], resources=["pods"], verbs=["get"]), R("get", "pods", name="p"), True),
    (rule(groups=[""], resources=["pods"], verbs=["get"]), R("list", "pods"), False),
    (rule(groups=[""], resources=["pods"], verbs=["*"]), R("escalate", "pods", name="p"), True),
    (rule(groups=[""], resources=["pods"], verbs=["Get"]), R("get", "pods", name="p"), False),  # case-sensitive
    (rule(groups=["apps"], resources=["deployments"], verbs=["get"]), R("get", "deployments", name="d"), False),
    (rule(groups=["*"], resources=["deployments"], verbs=["get"]), R("get", "deployments", group="apps", name="d"),
     True),
    (rule(groups=[""], resources=["secrets"], verbs=["get"]), R("get", "secrets", group="example.com", name="s"),
     False),
    # resources and subresources
    (rule(groups=[""], resources=["*"], verbs=["get"]), R("get", "pods", "log", name="p"), True),
    (rule(groups=[""], resources=["pods"], verbs=["get"]), R("get", "pods", "log", name="p"), False),
    (rule(groups=[""], resources=["pods/log"], verbs=["get"]), R("get", "pods", "log", name="p"), True),
    (rule(groups=[""], resources=["pods/*"], verbs=["create"]), R("create", "pods", "exec", name="p"), False),
    (rule(groups=[""], resources=["pods/*"], verbs=["create"]), R("create", "pods"), False),
    (rule(groups=["*"], resources=["*/scale"], verbs=["patch"]), R("patch", "deployments", "scale", "apps", "d"), True),
    (rule(groups=["*"], resources=["*/scale"], verbs=["patch"]), R("patch", "deployments", "", "apps", "d"), False),
    (rule(groups=["*"], resources=["*/*"], verbs=["get"]), R("get", "pods", "log", name="p"), False),
    (rule(groups=[""], resources=["secret"], verbs=["get"]), R("get", "secrets", name="s"), False),  # singular
    # resourceNames
    (rule(groups=[""], resources=["secrets"], names=["a"], verbs=["get"]), R("get", "secrets", name="a"), True),
    (rule(groups=[""], resources=["secrets"], names=["a"], verbs=["get"]), R("get", "secrets", name="b"), False),
    (rule(groups=[""], resources=["secrets"], names=["a"], verbs=["create"]), R("create", "secrets"), False),
    (rule(groups=[""], resources=["secrets"], names=["a"], verbs=["create"]), R("create", "secrets", name=ANY_NAME),
     False),  # top-level create never carries a name
    (rule(groups=[""], resources=["secrets"], names=["a"], verbs=["deletecollection"]),
     R("deletecollection", "secrets", name=ANY_NAME), False),
    (rule(groups=[""], resources=["secrets"], names=["a"], verbs=["list"]), R("list", "secrets"), False),
    (rule(groups=[""], resources=["secrets"], names=["a"], verbs=["list"]), R("list", "secrets", name="a"), True),
    (rule(groups=[""], resources=["pods/exec"], names=["web"], verbs=["create"]),
     R("create", "pods", "exec", name="web"), True),  # subresources carry the parent's name
    (rule(groups=[""], resources=["pods/exec"], names=["web"], verbs=["create"]),
     R("create", "pods", "exec", name="db"), False),
    (rule(groups=[""], resources=["pods/exec"], names=["web"], verbs=["create"]),
     R("create", "pods", "exec", name=ANY_NAME), True),
    # non-resource URLs
    (rule(urls=["/healthz"], verbs=["get"]), R("get", path="/healthz"), True),
    (rule(urls=["/healthz/*"], verbs=["get"]), R("get", path="/healthz/etcd"), True),
    (rule(urls=["/healthz/*"], verbs=["get"]), R("get", path="/healthz"), False),
    (rule(urls=["/api*"], verbs=["get"]), R("get", path="/apis/apps"), True),
    (rule(urls=["*"], verbs=["get"]), R("get", path="/metrics"), True),
    (rule(urls=["/metrics"], verbs=["get"]), R("post", path="/metrics"), False),
    # a resource rule never allows a non-resource request and vice versa
    (rule(groups=["*"], resources=["*"], verbs=["*"]), R("get", path="/metrics"), False),
    (rule(urls=["*"], verbs=["*"]), R("get", "pods", name="p"), False),
])
def test_rule_allows(r, req, allowed):
    assert r.allows(req) is allowed, f"{r.describe()} vs {req.describe()}"


def test_full_authority_needs_unnamed_stars():
    assert rule(groups=["*"], resources=["*"], verbs=["*"]).is_full_authority
    assert not rule(groups=["*"], resources=["*"], verbs=["*"], names=["x"]).is_full_authority
    assert not rule(groups=["*"], resources=["pods"], verbs=["*"]).is_full_authority


def test_malformed_rules_are_tolerated():
    assert PolicyRule.from_raw("not a rule", 0, ("Role", None, "r")) is None
    r = PolicyRule.from_raw({"verbs": "get", "resources": [None, "pods"]}, 0, ("Role", None, "r"))
    assert r is not None and r.verbs == frozenset() and r.resources == frozenset({"pods"})


@pytest.mark.parametrize("text,expected", [
    ("pods/exec", ("", "pods", "exec")),
    ("deployments.apps/scale", ("apps", "deployments", "scale")),
    ("widgets.example.com", ("example.com", "widgets", "")),
])
def test_parse_resource(text, expected):
    assert parse_resource(text) == expected


def test_cli_request_guesses_well_known_groups():
    assert request_from_cli("create", "deployments", None, None).group == "apps"
    assert request_from_cli("create", "widgets", None, None, {"widgets": "example.com"}).group == "example.com"
    assert request_from_cli("get", "pods/log", "ns", "p") == Request("get", "pods", "log", "", "p", "ns")
    assert request_from_cli("get", "/metrics", None, None).path == "/metrics"

"""deploy/rbac/reader.yaml: read-only, covers what the collector lists, keeps Secrets and nodes/proxy opt-in."""

from __future__ import annotations

import yaml

from kubeguard.collect.live import selected
from kubeguard.collect.live_http import Resource

from ..conftest import ROOT
from .fakeapi import BUILTIN, ROLLOUT

READER = ROOT / "deploy" / "rbac" / "reader.yaml"


def roles() -> dict[str, dict]:
    docs = [d for d in yaml.safe_load_all(READER.read_text()) if d]
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == "ClusterRole"}


def grants(rules: list[dict], group: str, resource: str, verb: str) -> bool:
    return any(group in r["apiGroups"] and (resource in r["resources"] or "*" in r["resources"])
               and verb in r["verbs"] for r in rules)


def test_reader_is_read_only_and_narrow():
    rs = roles()
    assert set(rs) == {"kubeguard-reader", "kubeguard-reader-base", "kubeguard-reader-secrets",
                       "kubeguard-reader-kubelet"}
    for name, role in rs.items():
        for rule in role.get("rules") or []:
            assert set(rule["verbs"]) <= {"get", "list"}, (name, rule)
            assert "*" not in rule["apiGroups"]
            assert rule["resources"] != ["*"] or rule["apiGroups"] == ["constraints.gatekeeper.sh"], (name, rule)
    base = rs["kubeguard-reader-base"]["rules"]
    assert not grants(base, "", "secrets", "list") and not grants(base, "", "nodes/proxy", "get")
    assert rs["kubeguard-reader-secrets"]["rules"] == [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["list"]}]
    assert rs["kubeguard-reader-kubelet"]["rules"] == [{"apiGroups": [""], "resources": ["nodes/proxy"],
                                                        "verbs": ["get"]}]
    selector = rs["kubeguard-reader"]["aggregationRule"]["clusterRoleSelectors"][0]["matchLabels"]
    assert all(rs["kubeguard-reader-base"]["metadata"]["labels"].get(k) == v for k, v in selector.items())
    for optional in ("kubeguard-reader-secrets", "kubeguard-reader-kubelet"):  # opt-in: not aggregated
        assert not all(rs[optional]["metadata"]["labels"].get(k) == v for k, v in selector.items())


def test_reader_covers_every_type_the_collector_lists():
    base = roles()["kubeguard-reader-base"]["rules"]
    for spec in BUILTIN + (ROLLOUT,):
        res = Resource(spec.group, spec.version, spec.plural, spec.kind, spec.namespaced, frozenset(spec.verbs))
        if "list" not in res.verbs or not selected(res) or res.name == "secrets":
            continue
        assert grants(base, res.group, res.plural, "list"), f"reader.yaml does not grant list on {res.name}"

"""Speed-ups that must not change results: each fast path against the plain computation."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from kubeguard.collect.files import read_paths
from kubeguard.model.selectors import map_selector_matches, selector_matches
from kubeguard.rules._helpers import sensitive as S

SAMPLES = [
    "aws_key: AKIAIOSFODNN7EXAMPLE", "x ASIAY34FZKBOKMUTVV7A y", "-----BEGIN RSA PRIVATE KEY-----",
    "token ghp_" + "a" * 36, "github_pat_" + "B" * 60, "glpat-" + "c" * 20, "xoxb-1234567890-abc",
    "https://hooks.slack.com/services/T000/B000/XXXX", "AIza" + "d" * 35, "sk_live_" + "e" * 24,
    "npm_" + "f" * 36, "AccountKey=" + "g" * 44 + "==", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkw.c2lnbmF0dXJlMTIz",
    "postgres://app:s3cr3t-pw@db:5432/app", "mysql://user:${PASSWORD}@db/x", "no credential here at all",
    "xAKIAIOSFODNN7EXAMPLE", "ghp_short", "k_live_ without prefix", "aws=AKIA1234",
]


def _brute_force(text: object) -> list[str]:
    """credential_kinds without the substring hints: every pattern searched."""
    if not isinstance(text, str) or len(text) < 8:
        return []
    found = [d.label for d in S.DETECTORS if d.pattern.search(text)]
    for m in S._URL_PASSWORD.finditer(text):
        if S.is_literal_secret_value(m.group("pw")):
            found.append("a URL with an embedded password")
            break
    return found


def test_credential_hints_change_no_result(corpus):
    texts = list(SAMPLES)
    ms = read_paths([str(corpus / "insecure-wrongsecrets"), str(corpus / "kube-prometheus" / "manifests")], "c")
    for o in ms.objects:
        if o.kind == "ConfigMap":
            texts.extend(v for v in (o.raw.get("data") or {}).values() if isinstance(v, str))
    hits = 0
    for t in texts:
        assert S.credential_kinds(t) == _brute_force(t), t[:80]
        hits += bool(_brute_force(t))
    assert hits >= len(SAMPLES) - 6  # the positive samples really are positives


@pytest.mark.parametrize("sel", [{"app": "a"}, MappingProxyType({"app": "a"}), {}, None, ["app"]])
def test_selector_fast_path_keeps_mapping_semantics(sel):
    labels = {"app": "a"}
    expected = bool(sel) and isinstance(sel, (dict, MappingProxyType))
    assert map_selector_matches(sel, labels) is expected
    wrapped = None if sel is None else {"matchLabels": sel} if not isinstance(sel, list) else sel
    assert selector_matches(wrapped, labels) is (sel is not None and not isinstance(sel, list))


def test_service_pod_index_equals_scanning_every_pod(corpus):
    from kubeguard.graph.build import GraphCache
    from kubeguard.model import Inventory

    ms = read_paths([str(corpus)], "c", parallel=False)
    [cluster] = Inventory.build([], ms.objects).clusters
    g = GraphCache(cluster).get("network")
    services = [o for o in cluster.of_kind("Service") if isinstance(o.spec.get("selector"), dict)]
    assert len(services) > 300
    matched = 0
    for svc in services:
        sel = svc.spec["selector"]
        expected = [p for p in g.pods if p.namespace == svc.namespace and map_selector_matches(sel, p.labels)]
        got = g.pods_selected(svc.namespace, sel)
        assert [id(p) for p in got] == [id(p) for p in expected], svc
        matched += bool(got)
    assert matched > 100


def test_declaring_groups_cover_every_kind_that_declares_secrets():
    """The group pre-filter of declared_secrets must list every group _declared_names handles."""
    import inspect
    import re

    from kubeguard.rules._helpers import refs

    handled = set(re.findall(r'group == "([^"]+)"', inspect.getsource(refs._declared_names)))
    assert handled and handled <= refs._DECLARING_GROUPS, handled - refs._DECLARING_GROUPS

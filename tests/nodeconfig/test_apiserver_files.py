"""Files named by kube-apiserver flags (EncryptionConfiguration, audit Policy, AdmissionConfiguration) given with
--node-config, and the CIS items they decide: 1.2.28 (CP050), 3.2.2 (CP051), 1.2.9 (CP009)."""

from __future__ import annotations

import json

import pytest
import yaml

from kubeguard.collect.nodeconfig import attach_node_configs, read_node_file
from kubeguard.model import ClusterFacts, CollectionReport
from kubeguard.rules._helpers.audit_policy import Request, level_of

from .helpers import DATA, NODE, by_rule, reason, scan

HARDENED = DATA / "kube-apiserver-hardened.yaml"
FILES = [DATA / "admission-config.yaml", DATA / "encryption-config.yaml", DATA / "audit-policy.yaml"]


def _status(result, code):
    return next(rr for rr in result.rule_results if rr.rule == code)


def test_encryption_keys_are_dropped_when_the_file_is_read():
    nf = read_node_file(str(DATA / "encryption-config.yaml"))
    assert nf.kind == "encryption-provider-config"
    assert nf.data["resources"][1] == {"resources": ["secrets", "configmaps"], "providers": [
        {"type": "kms", "apiVersion": "v2", "name": "vault-kms"}, {"type": "aescbc", "keys": ["key-2024"]},
        {"type": "identity"}]}
    assert "c2VjcmV0" not in json.dumps(nf.data)


def test_each_kind_goes_to_the_flag_that_reads_it():
    assert read_node_file(str(DATA / "audit-policy.yaml")).kind == "audit-policy-file"
    admission = read_node_file(str(DATA / "admission-config.yaml"))
    assert admission.kind == "admission-control-config-file"
    assert admission.data["plugins"][0]["configuration"]["limits"][0] == {
        "type": "Namespace", "qps": 50, "burst": 100, "cacheSize": 2000}
    assert admission.data["plugins"][1] == {"name": "PodSecurity", "configuration": "<present; value not kept>"}


@pytest.mark.parametrize("text, message", [
    ("apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: []\n",
     "Policy apiVersion 'audit.k8s.io/v1beta1' is not supported (expected audit.k8s.io/v1)"),
    ("apiVersion: audit.k8s.io/v1\nkind: Policy\n---\napiVersion: audit.k8s.io/v1\nkind: Policy\n",
     "2 kube-apiserver configuration documents in one file"),
    ("apiVersion: audit.k8s.io/v1\nkind: Policy\n---\n"
     "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n", "give one per file"),
])
def test_bad_files_are_one_line_naming_the_file(tmp_path, text, message):
    p = tmp_path / "x.yaml"
    p.write_text(text)
    report = CollectionReport()
    attach_node_configs([str(p)], {"c": ClusterFacts(name="c")}, report, "c")
    [issue] = report.issues
    assert message in issue.message and issue.file.endswith("x.yaml")


def test_hardened_api_server_with_its_files_passes_and_without_them_is_unknown():
    with_files = scan([HARDENED], FILES)
    for code in ("CP009", "CP050", "CP051"):
        assert _status(with_files, code).status == "PASS", code
    without = scan([HARDENED])
    for code, flag in (("CP009", "admission-control-config-file"), ("CP050", "encryption-provider-config"),
                       ("CP051", "audit-policy-file")):
        assert _status(without, code).status == "UNKNOWN", code
        assert f"--{flag}=" in reason(without, code) and "--node-config" in reason(without, code)


def test_insecure_api_server_fails_both_items_on_the_missing_flags():
    if not NODE.is_dir():
        pytest.skip("shared node fixtures not present")
    found = by_rule(scan([NODE / "kube-apiserver-insecure.yaml"]))
    assert "--encryption-provider-config is not set" in found["CP050"][0].message
    assert "--audit-policy-file is not set" in found["CP051"][0].message


def test_identity_first_and_a_leaky_policy_fail_at_the_flag_naming_the_file():
    r = scan([HARDENED], [DATA / "encryption-config-identity-first.yaml", DATA / "audit-policy-leaky.yaml",
                          DATA / "admission-config.yaml"])
    found = by_rule(r)
    command = yaml.safe_load(HARDENED.read_text())["spec"]["containers"][0]["command"]
    [enc] = found["CP050"]
    assert enc.path == f"spec.containers[0].command[{command.index(next(w for w in command if 'encryption' in w))}]"
    assert "identity is the first provider for secrets (resources[0].providers[0])" in enc.message
    assert "encryption-config-identity-first.yaml" in enc.message
    assert enc.evidence["entry"] == "resources[0].providers[0]" and enc.evidence["provider"] == "identity"
    leaks = [f.evidence["request"] for f in found["CP051"]]
    assert sorted(leaks) == ["get configmaps", "get secrets", "get tokenreviews.authentication.k8s.io"]
    assert all("RequestResponse (rules[1])" in f.message for f in found["CP051"])
    text = json.dumps([f.to_dict() for f in r.findings]) + json.dumps([c.to_dict() for c in r.clusters])
    assert "dGhpcyBpcyBh" not in text  # the key value never reaches facts or findings


def _apiserver_on(tmp_path, node):
    doc = yaml.safe_load(HARDENED.read_text())
    doc["metadata"]["name"] = f"kube-apiserver-{node}"
    doc["spec"]["nodeName"] = node
    p = tmp_path / f"apiserver-{node}.yaml"
    p.write_text(yaml.safe_dump(doc))
    return p


def test_files_given_for_a_node_belong_to_the_api_server_on_that_node(tmp_path):
    pods = [_apiserver_on(tmp_path, "cp-1"), _apiserver_on(tmp_path, "cp-2")]
    good, bad = DATA / "encryption-config.yaml", DATA / "encryption-config-identity-first.yaml"
    r = scan(pods, [f"cp-1={good}"])
    assert _status(r, "CP050").status == "UNKNOWN"
    assert "kube-apiserver-cp-2" in reason(r, "CP050") and "cp-2=FILE" in reason(r, "CP050")
    assert "kube-apiserver-cp-1" not in reason(r, "CP050")
    r = scan(pods, [f"cp-1={good}", f"cp-2={bad}"])
    assert [f.name for f in by_rule(r)["CP050"]] == ["kube-apiserver-cp-2"]
    assert _status(scan(pods, [str(good)]), "CP050").status == "PASS"  # no node: every API server's file


@pytest.mark.parametrize("req, level", [
    (Request("get", "", "secrets", namespace="shop", name="db"), "Metadata"),
    (Request("create", "", "pods", "exec", namespace="shop"), "RequestResponse"),
    (Request("get", "", "pods", "log", namespace="shop"), "Request"),  # pods/log: the group rule, no resources
    (Request("watch", "", "endpoints", namespace="shop", user="system:kube-proxy"), "None"),
    (Request("watch", "", "endpoints", namespace="shop"), "Request"),
    (Request("get", "rbac.authorization.k8s.io", "roles", namespace="shop"), "Metadata"),  # the catch-all
])
def test_audit_levels_follow_the_first_matching_rule(req, level):
    rules = read_node_file(str(DATA / "audit-policy.yaml")).data["rules"]
    assert level_of(rules, req)[0] == level


def test_audit_resource_patterns():
    def lv(resources, req, **more):
        return level_of([{"level": "Metadata", "resources": resources, **more}], req)[0]

    exec_ = Request("create", "", "pods", "exec", namespace="a")
    assert lv([{"group": "", "resources": ["*/exec"]}], exec_) == "Metadata"
    assert lv([{"group": "", "resources": ["pods/*"]}], exec_) == "Metadata"
    assert lv([{"group": "", "resources": ["pods"]}], exec_) == "None"  # the subresource is not the resource
    assert lv([{"group": "apps", "resources": ["*"]}], exec_) == "None"
    named = {"group": "", "resources": ["secrets"], "resourceNames": ["db"]}
    assert lv([named], Request("get", "", "secrets", namespace="a", name="db")) == "Metadata"
    assert lv([named], Request("list", "", "secrets", namespace="a")) == "None"
    assert lv([{"group": "", "resources": ["nodes"]}], Request("get", "", "nodes"), namespaces=[""]) == "Metadata"
    assert level_of([{"level": "Metadata", "nonResourceURLs": ["/api*"]}], exec_)[0] == "None"

"""facts["identity"]: aws-auth, ServiceAccount links and provider descriptions (cloud-identity.md)."""

from __future__ import annotations

import copy

import orjson
import pytest

from kubeguard.collect.cloud import attach_cloud
from kubeguard.collect.cloud_identity import attach_identity_facts
from kubeguard.collect.files import read_paths
from kubeguard.model import ClusterFacts, CollectionReport

from ..conftest import SHARED

CLOUD = SHARED / "fixtures" / "cloud"
needs_cloud = pytest.mark.skipif(not CLOUD.is_dir(), reason="shared cloud fixtures not present")


def identity_of(tmp_path, text: str = "", cloud: list[str] = (), name: str = "c"):
    p = tmp_path / "m.yaml"
    p.write_text(text or "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
    ms = read_paths([str(p)], name)
    facts = {name: ClusterFacts(name)}
    if cloud:
        facts.update(attach_cloud([str(CLOUD / c) for c in cloud], facts, ms.report))
    attach_identity_facts(facts, ms.objects, ms.report)
    return facts[name].facts.get("identity", {}), ms.report, facts, ms


AWS_AUTH = """apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/admins
      username: "admin:{{SessionName}}"
      groups: [system:masters]
    - username: no-arn
  mapUsers: |
    - userarn: arn:aws:iam::111122223333:user/ci
      username: ci
      groups: [deployers]
  mapAccounts: |
    - "444455556666"
"""


def test_aws_auth_entries_become_principals(tmp_path):
    ident, report, _, _ = identity_of(tmp_path, AWS_AUTH)
    got = {(p["id"], p["type"], p["username"], tuple(p["groups"]), p["source"]) for p in ident["principals"]}
    assert got == {
        ("arn:aws:iam::111122223333:role/admins", "aws-iam-role", "admin:{{SessionName}}", ("system:masters",),
         "aws-auth mapRoles[0]"),
        ("arn:aws:iam::111122223333:user/ci", "aws-iam-user", "ci", ("deployers",), "aws-auth mapUsers[0]"),
        ("aws-account:444455556666", "aws-account", None, (), "aws-auth mapAccounts[0]"),
    }
    assert ident["provider"] == "eks"
    lines = [i.one_line() for i in report.issues]
    assert len(lines) == 1 and "mapRoles[1] has no rolearn" in lines[0] and "m.yaml:1" in lines[0]


def test_malformed_aws_auth_is_one_line_and_nothing_else_breaks(tmp_path):
    ident, report, _, _ = identity_of(tmp_path, AWS_AUTH.replace("groups: [deployers]", "groups: [deployers"))
    lines = [i.one_line() for i in report.issues]
    assert any("data.mapUsers is not valid YAML" in line for line in lines)
    assert any(p["source"] == "aws-auth mapRoles[0]" for p in ident["principals"])


def test_identity_facts_are_idempotent_and_keep_exports(tmp_path):
    _, _, facts, ms = identity_of(tmp_path, AWS_AUTH)
    facts["c"].facts["identity"]["principals"].append(
        {"id": "arn:aws:iam::1:role/x", "type": "aws-iam-role", "groups": [], "source": "eks access entry",
         "origin": "export"})
    key = lambda ident: sorted(orjson.dumps(p, option=orjson.OPT_SORT_KEYS) for p in ident["principals"])  # noqa
    before = copy.deepcopy(facts["c"].facts["identity"])
    attach_identity_facts(facts, ms.objects, CollectionReport())
    after = facts["c"].facts["identity"]
    assert key(after) == key(before) and len(after["principals"]) == 4


@needs_cloud
def test_eks_config_map_mode_has_an_invisible_creator(tmp_path):
    ident, _, _, _ = identity_of(tmp_path, cloud=["eks-insecure.json"], name="acme-dev-legacy")
    creator = [p for p in ident["principals"] if p["type"] == "eks-cluster-creator"]
    assert creator and creator[0]["groups"] == ["system:masters"]
    assert ident["authenticationMode"] == "CONFIG_MAP"


@needs_cloud
def test_eks_access_entries_with_policies(tmp_path):
    ident, _, _, _ = identity_of(tmp_path, cloud=["eks-hardened.json", "extra/eks-hardened.describe-access-entry.json",
                                                  "extra/eks-hardened.list-associated-access-policies.json"],
                                 name="acme-prod-core")
    entry = next(p for p in ident["principals"] if p["id"].endswith("team-payments-deployer"))
    assert entry["accessPolicies"] == [{"policy": "AmazonEKSEditPolicy", "scope": "namespace",
                                        "namespaces": ["payments"]}]
    assert not any(p["type"] == "eks-cluster-creator" for p in ident["principals"])  # creator admin off


@needs_cloud
def test_aks_local_accounts_and_entra_admin_groups(tmp_path):
    insecure, _, _, _ = identity_of(tmp_path, cloud=["aks-insecure.json"], name="aks-acme-dev-legacy")
    assert [p["groups"] for p in insecure["principals"] if p["type"] == "aks-local-account"] == [["system:masters"]]
    hardened, _, _, _ = identity_of(tmp_path, cloud=["aks-hardened.json"], name="aks-acme-prod-core")
    assert not any(p["type"] == "aks-local-account" for p in hardened["principals"])
    group = next(p for p in hardened["principals"] if p["type"] == "entra-group")
    assert group["id"] == "abcdef01-2345-6789-abcd-ef0123456789"
    assert group["accessPolicies"] == [{"policy": "cluster-admin", "scope": "cluster"}]
    assert any("Azure RBAC" in n for n in hardened["notes"])


@needs_cloud
def test_gke_groups_pool_and_public_authenticated(tmp_path):
    ident, _, _, _ = identity_of(tmp_path, cloud=["gke-hardened.json"], name="acme-prod-core")
    assert ident["googleGroups"] == "gke-security-groups@example.com"
    assert ident["workloadPool"] == "acme-prod-000000.svc.id.goog"
    assert ident["authenticatedIsPublic"] is True
    insecure, _, _, _ = identity_of(tmp_path, cloud=["gke-insecure.json"], name="acme-dev-legacy")
    assert any("legacy ABAC" in n for n in insecure["notes"])


def test_service_account_annotations_link_cloud_identities(tmp_path):
    ident, _, _, _ = identity_of(tmp_path, """apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
  annotations:
    azure.workload.identity/client-id: 11111111-1111-1111-1111-111111111111
    azure.workload.identity/tenant-id: 22222222-2222-2222-2222-222222222222
""")
    assert ident["workloadIdentities"] == [{
        "namespace": "shop", "serviceAccount": "web", "provider": "azure", "mechanism": "azure-workload-identity",
        "cloudIdentity": "11111111-1111-1111-1111-111111111111", "source": "annotation azure.workload.identity/client-id",
        "origin": "objects", "tenantId": "22222222-2222-2222-2222-222222222222"}]

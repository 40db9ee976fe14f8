"""Reading cloud exports: shapes, matching to clusters, secrets kept out, one-line errors."""

from __future__ import annotations

import builtins
from pathlib import Path

import orjson
import pytest

from kubeguard.collect.cloud import CloudError, attach_cloud, eks
from kubeguard.collect.files import ManifestSet
from kubeguard.collect.snapshot import SnapshotCluster, read_snapshot, write_snapshot
from kubeguard.model import ClusterFacts, CollectionReport

from ..conftest import FIXTURES, SHARED
from .snapshots import KINDS, render

MINE = FIXTURES / "cloud"
SHARED_CLOUD = SHARED / "fixtures" / "cloud"


def _attach(specs, clusters=("scan",), create=False):
    report = CollectionReport()
    out = attach_cloud([str(s) for s in specs], {n: ClusterFacts(name=n) for n in clusters}, report, create=create)
    return out, report


def test_cloud_fixtures_are_current():
    for kind in KINDS:
        assert (MINE / f"{kind}.snapshot.json").read_bytes() == render(kind), \
            f"{kind}.snapshot.json is stale: python -m tests.cloud.snapshots"


def test_aks_rest_shape_is_read_with_cli_key_names():
    out, report = _attach(sorted((MINE / "aks-insecure").glob("*.json")))
    c = out["scan"]
    assert not report.issues
    assert c.provider == "aks" and c.kubernetes_version == "v1.31.9"
    cluster = c.facts["cloud"]["cluster"]
    assert cluster["enableRbac"] is True and "enableRBAC" not in cluster
    assert cluster["apiServerAccessProfile"]["authorizedIpRanges"] == ["0.0.0.0/0"]
    assert cluster["agentPoolProfiles"][0]["osSku"] == "Ubuntu"
    assert cluster["autoUpgradeProfile"]["nodeOsUpgradeChannel"] == "None"
    assert c.facts["cloud"]["diagnosticSettings"][0]["name"] == "metrics-only"


def test_secret_values_never_reach_facts():
    secrets = ("not-a-real-secret", "IyEvYmluL2Jhc2g", "echo secret", "RkFLRQ==", "RkFLRS1DTElFTlQtS0VZ")
    specs = [*sorted((MINE / "aks-insecure").glob("*.json")), *sorted((MINE / "eks-insecure").glob("*.json")),
             *sorted((MINE / "gke-insecure").glob("*.json"))]
    out, _ = _attach(specs, clusters=(), create=True)
    if SHARED_CLOUD.is_dir():
        more, _ = _attach([SHARED_CLOUD / "gke-insecure.json"], clusters=(), create=True)
        out.update({f"shared-{k}": v for k, v in more.items()})
        assert more["acme-dev-legacy"].facts["cloud"]["cluster"]["masterAuth"]["clientKey"].startswith("<present")
    text = orjson.dumps([c.to_dict() for c in out.values()]).decode()
    for s in secrets:
        assert s not in text
    assert "startup-script" not in text and "UserData" not in text


def test_documents_match_clusters_by_name_arn_and_gke_context():
    arn = "arn:aws:eks:us-west-2:111122223333:cluster/shop-staging"
    files = sorted((MINE / "eks-insecure").glob("*.json")) + [MINE / "gke-hardened" / "describe.json"]
    out, report = _attach(files, clusters=(arn, "gke_acme-ml-000000_europe-west1_ml-prod", "other"))
    assert not report.issues, [i.one_line() for i in report.issues]
    assert out[arn].provider == "eks" and out[arn].facts["cloud"]["nodegroups"][0]["nodegroupName"] == "ng-apps"
    assert "launchTemplates" in out[arn].facts["cloud"] and "subnets" in out[arn].facts["cloud"]
    assert out["gke_acme-ml-000000_europe-west1_ml-prod"].provider == "gke"
    assert "other" not in out


def test_one_cluster_and_one_description_match_whatever_the_names():
    out, report = _attach([MINE / "gke-hardened" / "describe.json"], clusters=("manifests",))
    assert out["manifests"].facts["cloud"]["name"] == "ml-prod" and not report.issues


def test_a_file_that_matches_no_cluster_is_a_one_line_warning():
    out, report = _attach([MINE / "gke-hardened" / "describe.json", MINE / "aks-hardened" / "az-aks-show.json"],
                          clusters=("a", "b"))
    assert out == {}
    lines = [i.one_line() for i in report.issues]
    assert len(lines) == 2 and all(i.level == "warning" for i in report.issues)
    assert any(line.startswith("tests/fixtures/cloud/gke-hardened/describe.json: describes gke cluster 'ml-prod'")
               for line in lines), lines
    assert all("\n" not in line for line in lines)


def test_binding_a_file_to_a_cluster_by_name(tmp_path):
    empty = tmp_path / "diag.json"
    empty.write_text("[]")
    show = MINE / "aks-hardened" / "az-aks-show.json"
    out, report = _attach([f"prod={show}", f"prod={empty}"], clusters=("prod", "dev"))
    assert not report.issues
    assert out["prod"].facts["cloud"]["diagnosticSettings"] == []


def test_malformed_and_unrecognised_files_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"cluster": {"name": "x",')
    odd = tmp_path / "odd.json"
    odd.write_text('{"kind": "Deployment"}')
    out, report = _attach([bad, odd, tmp_path / "missing.json"])
    assert out == {}
    msgs = [i.one_line() for i in report.issues]
    assert len(msgs) == 3 and all(i.level == "error" for i in report.issues)
    assert msgs[0].endswith("bad.json: invalid JSON in cloud file: unexpected end of data") or "invalid JSON" in msgs[0]
    assert "not a recognised cloud description" in msgs[1] and "odd.json" in msgs[1]
    assert "cannot read cloud file" in msgs[2]


def test_identity_facts_per_provider():
    out, _ = _attach([*sorted((MINE / "eks-hardened").glob("*.json")), MINE / "aks-hardened" / "az-aks-show.json",
                      MINE / "gke-insecure" / "clusters-list.json"], clusters=(), create=True)
    rbac = out["shop-prod"].facts["identity"]
    assert rbac["provider"] == "eks" and rbac["authenticationMode"] == "API"
    e = out["shop-prod"].facts["cloud"]["identity"]
    assert e["authenticationMode"] == "API" and e["clusterCreator"] == {"admin": False, "visible": True}
    assert e["workloadIdentity"]["podIdentityAgent"] == "ACTIVE"
    assert e["nodeIdentities"] == [{"pool": "ng-apps", "kind": "aws-iam-role",
                                    "id": "arn:aws:iam::444455556666:role/shop-prod-nodes"}]
    a = out["pay-prod"].facts["cloud"]["identity"]
    assert a["localAccounts"] == {"enabled": False} and a["azureRbac"] is True
    assert a["kubeletIdentity"]["resourceId"] == "/subscriptions/x/kubelet"
    assert a["entra"]["adminGroupObjectIDs"] == ["abcdef01-0000-0000-0000-000000000000"]
    g = out["ml-dev"].facts["cloud"]["identity"]
    assert g["workloadIdentity"]["pool"] == "acme-ml-000000.svc.id.goog"
    assert g["nodeIdentities"][0]["id"] == "123456789-compute@developer.gserviceaccount.com"
    assert g["nodeIdentities"][0]["metadataMode"] == "GCE_METADATA"


def test_eks_config_map_mode_means_an_invisible_creator():
    if not SHARED_CLOUD.is_dir():
        pytest.skip("shared fixtures not present")
    out, _ = _attach([SHARED_CLOUD / "eks-insecure.json"])
    assert out["scan"].facts["cloud"]["identity"]["clusterCreator"] == {"admin": True, "visible": False}


def test_access_entries_reach_the_rbac_identity_facts():
    if not SHARED_CLOUD.is_dir():
        pytest.skip("shared fixtures not present")
    files = [SHARED_CLOUD / "eks-hardened.json", *sorted((SHARED_CLOUD / "extra").glob("eks-hardened.*access*.json"))]
    out, report = _attach(files)
    assert not report.issues
    principals = {p["id"]: p for p in out["scan"].facts["identity"]["principals"]}
    deployer = principals["arn:aws:iam::444455556666:role/team-payments-deployer"]
    assert deployer["origin"] == "export" and deployer["entryType"] == "STANDARD"
    assert deployer["accessPolicies"] == [{"policy": "AmazonEKSEditPolicy", "scope": "namespace",
                                           "namespaces": ["payments"]}]
    assert "arn:aws:iam::444455556666:role/platform-break-glass" in principals


def test_cloud_facts_survive_a_snapshot(tmp_path):
    out, _ = _attach([MINE / "gke-hardened" / "describe.json"])
    path = tmp_path / "fleet.snapshot.json.gz"
    write_snapshot(path, [SnapshotCluster(out["scan"], [])])
    ms = ManifestSet()
    read_snapshot(ms, Path(path))
    back = ms.clusters["scan"]
    assert back.provider == "gke" and back.facts["cloud"] == out["scan"].facts["cloud"]


def test_live_reading_without_the_extra_is_a_one_line_error(monkeypatch):
    real_import = builtins.__import__

    def no_sdk(name, *a, **kw):
        if name.split(".")[0] in ("boto3", "botocore", "google", "azure"):
            raise ImportError(name)
        return real_import(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_sdk)
    with pytest.raises(CloudError, match=r"needs the 'aws' extra: pip install 'kubeguard\[aws\]'"):
        eks.fetch("eu-west-1", "prod")
    out, report = _attach(["gke://p/europe-west1/c", "aks://sub/rg/c", "eks://only-region"])
    msgs = [i.one_line() for i in report.issues]
    assert "needs the 'gcp' extra" in msgs[0] and "needs the 'azure' extra" in msgs[1]
    assert "expected eks://REGION/NAME" in msgs[2]

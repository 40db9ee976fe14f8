"""Every cloud rule's result on every shared provider fixture (insecure fails, hardened passes).

The shared fixtures (``shared/fixtures/cloud``) are real CLI output shapes; the
expected letters per rule CL001..CL029 are P(ass) F(ail) U(nknown) or - (not
applicable), judged on 2026-12-01.
"""

from __future__ import annotations

import pytest

from kubeguard.collect.cloud import attach_cloud
from kubeguard.engine.run import ScanInput, run_scan
from kubeguard.model import CollectionReport, Inventory
from kubeguard.model.settings import Settings
from kubeguard.rules._registry import default_registry

from ..conftest import SHARED

CLOUD = SHARED / "fixtures" / "cloud"
REGISTRY = default_registry()
CODES = sorted(r.code for r in REGISTRY if r.domain == "cloud")

#                 CL001 ...                   CL029
EXPECTED = {
    "eks-insecure": "FFFFFFUFPFFFUUU-F------------",
    "eks-hardened": "P-PPPUUPPPPPPUP-P------------",
    "aks-insecure": "FFFFFFFFFFFFUUFFF-----------F",
    "aks-hardened": "P-PPPPPPPPFPUUPPP-----------P",
    "gke-insecure": "FFFFFFFFFFFFFFUF-FFFFFFPPFFF-",
    "gke-hardened": "P-PPPPPPPPFPPPUP-PPPPPPPPPPP-",
}
LETTER = {"PASS": "P", "FAIL": "F", "UNKNOWN": "U", "NOT_APPLICABLE": "-"}

# The field each failing rule must name on the insecure fixtures (one per rule where it is unique).
FAILING_FIELD = {
    ("eks-insecure", "CL001"): "cluster.resourcesVpcConfig.endpointPublicAccess",
    ("eks-insecure", "CL002"): "cluster.resourcesVpcConfig.publicAccessCidrs",
    ("eks-insecure", "CL003"): "cluster.encryptionConfig",
    ("eks-insecure", "CL004"): "cluster.logging.clusterLogging",
    ("eks-insecure", "CL005"): "addon.configurationValues",
    ("eks-insecure", "CL006"): "nodegroup.subnets",
    ("eks-insecure", "CL010"): "nodegroup.version",
    ("eks-insecure", "CL011"): "cluster.version",
    ("eks-insecure", "CL012"): "nodegroup.amiType",
    ("eks-insecure", "CL017"): "nodegroup.remoteAccess.ec2SshKey",
    ("aks-insecure", "CL001"): "apiServerAccessProfile.enablePrivateCluster",
    ("aks-insecure", "CL003"): "securityProfile.azureKeyVaultKms.enabled",
    ("aks-insecure", "CL004"): "diagnosticSettings",
    ("aks-insecure", "CL005"): "networkProfile.networkPolicy",
    ("aks-insecure", "CL006"): "agentPoolProfiles[0].enableNodePublicIp",
    ("aks-insecure", "CL008"): "disableLocalAccounts",
    ("aks-insecure", "CL009"): "enableRbac",
    ("aks-insecure", "CL015"): "securityProfile.defender.securityMonitoring.enabled",
    ("gke-insecure", "CL001"): "controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint",
    ("gke-insecure", "CL003"): "databaseEncryption.state",
    ("gke-insecure", "CL004"): "loggingService",
    ("gke-insecure", "CL007"): "workloadIdentityConfig.workloadPool",
    ("gke-insecure", "CL008"): "masterAuth.clientKey",
    ("gke-insecure", "CL009"): "legacyAbac.enabled",
    ("gke-insecure", "CL012"): "nodePools[0].config.imageType",
    ("gke-insecure", "CL014"): "binaryAuthorization.evaluationMode",
    ("gke-insecure", "CL018"): "nodePools[0].config.serviceAccount",
}


def _scan(name: str):
    if not CLOUD.is_dir():
        pytest.skip("shared cloud fixtures not present")
    files = [CLOUD / f"{name}.json", *sorted((CLOUD / "extra").glob(f"{name}.*.json"))]
    report = CollectionReport()
    facts = attach_cloud([str(f) for f in files], {}, report, create=True)
    assert not report.issues, [i.one_line() for i in report.issues]
    inv = Inventory.build(facts.values(), [])
    return run_scan(ScanInput(inv, report), REGISTRY,
                    Settings(include=("cloud/*",), params={"CL011": {"as_of": "2026-12-01"}}))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_cloud_rule_on_each_provider_fixture(name):
    assert len(CODES) == len(EXPECTED[name]), "update EXPECTED when a cloud rule is added"
    result = _scan(name)
    got = {rr.rule: LETTER[rr.status] for rr in result.rule_results}
    want = dict(zip(CODES, EXPECTED[name]))
    diff = {code: (want[code], got[code]) for code in CODES if want[code] != got[code]}
    assert not diff, f"{name}: rule -> (expected, got): {diff}"
    for rr in result.rule_results:
        if rr.status == "UNKNOWN":
            assert rr.reason and ("not in" in rr.reason or "no " in rr.reason), (rr.rule, rr.reason)
    paths = {(f.rule, f.path) for f in result.findings if f.status == "FAIL"}
    for (fixture, code), field in FAILING_FIELD.items():
        if fixture == name:
            assert (code, field) in paths, f"{code} on {name} should name {field}; got {sorted(paths)}"


def test_findings_carry_provider_field_and_value_as_evidence():
    result = _scan("gke-insecure")
    f = next(f for f in result.findings if f.rule == "CL009")
    assert f.kind == "Cluster" and f.name == "acme-dev-legacy"
    assert f.evidence["provider"] == "gke"
    assert f.evidence["fields"] == {"legacyAbac.enabled": True}
    assert f.evidence["file"].endswith("gke-insecure.json")
    assert "legacyAbac.enabled = true" in f.message


def test_stale_public_cidrs_do_not_fail_a_private_eks_endpoint():
    result = _scan("eks-hardened")
    rr = next(r for r in result.rule_results if r.rule == "CL002")
    assert rr.status == "NOT_APPLICABLE"


def test_unknown_names_the_missing_export():
    result = _scan("eks-hardened")
    rr = next(r for r in result.rule_results if r.rule == "CL006")
    assert "subnet-0f1e2d3c4b5a00012" in rr.reason and "describe-subnets" in rr.reason


def test_cloud_rules_do_not_apply_without_cloud_facts():
    from kubeguard.model import ClusterFacts

    inv = Inventory.build([ClusterFacts(name="onprem")], [])
    result = run_scan(ScanInput(inv), REGISTRY, Settings(include=("cloud/*",)))
    assert {rr.status for rr in result.rule_results} == {"NOT_APPLICABLE"}


def test_extended_support_fails_only_when_standard_support_is_required():
    result = _scan("eks-hardened")  # 1.33: standard support ended 2026-07-29, extended until 2027-07-29
    assert next(r for r in result.rule_results if r.rule == "CL011").status == "PASS"
    files = [CLOUD / "eks-hardened.json"]
    facts = attach_cloud([str(f) for f in files], {}, CollectionReport(), create=True)
    strict = run_scan(ScanInput(Inventory.build(facts.values(), [])), REGISTRY, Settings(
        include=("CL011",), params={"CL011": {"as_of": "2026-12-01", "require_standard_support": True}}))
    f = next(f for f in strict.findings if f.rule == "CL011")
    assert f.path == "cluster.version" and "extended support since 2026-07-29" in f.message

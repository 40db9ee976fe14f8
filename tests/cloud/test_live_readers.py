"""The live cloud readers (extras aws, gcp, azure) without network: EKS through botocore's Stubber, GKE and AKS
through their SDKs' own HTTP transports answering from the shared fixtures; missing credentials are one line.

What a live read returns must give the same cluster facts as the CLI export of the same cluster."""

from __future__ import annotations

import copy
import json
import logging
from datetime import datetime

import orjson
import pytest

from kubeguard.collect.cloud import CloudError, attach_cloud, eks
from kubeguard.model import CollectionReport

from ..conftest import FIXTURES, SHARED

CLOUD = SHARED / "fixtures" / "cloud"
REGION, NAME = "eu-west-1", "acme-prod-core"


def _load(name: str):
    if not CLOUD.is_dir():
        pytest.skip("shared cloud fixtures not present")
    return json.loads((CLOUD / name).read_text())


def _facts_from(specs):
    report = CollectionReport()
    out = attach_cloud([str(s) for s in specs], {}, report, create=True)
    return out, report


# --- EKS: botocore Stubber ----------------------------------------------------------------------

boto3 = pytest.importorskip("boto3")
from botocore.stub import Stubber  # noqa: E402


class StubbedSession:
    """A boto3 session whose clients answer from Stubbers (what ``eks.fetch`` takes as ``session``)."""

    def __init__(self):
        real = boto3.session.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="not-used",
                                     region_name=REGION)
        self.clients = {n: real.client(n) for n in ("eks", "ec2", "guardduty", "iam")}
        self.stubs = {n: Stubber(c) for n, c in self.clients.items()}

    def client(self, name):
        return self.clients[name]

    def __enter__(self):
        for s in self.stubs.values():
            s.activate()
        return self

    def __exit__(self, *exc):
        for s in self.stubs.values():
            s.deactivate()


def _eks_hardened_stubs(s: StubbedSession) -> None:
    eks_, ec2, gd, iam = (s.stubs[n] for n in ("eks", "ec2", "guardduty", "iam"))
    cluster = _load("eks-hardened.json")
    ng = _load("extra/eks-hardened.describe-nodegroup.json")
    entries = _load("extra/eks-hardened.list-access-entries.json")["accessEntries"]
    deployer = _load("extra/eks-hardened.describe-access-entry.json")
    node_role = copy.deepcopy(deployer)
    node_role["accessEntry"].update(principalArn=entries[0], type="EC2_LINUX", kubernetesGroups=[])
    node_role["accessEntry"]["accessEntryArn"] = deployer["accessEntry"]["accessEntryArn"].replace(
        "team-payments-deployer", "acme-prod-core-node-role")
    policies = _load("extra/eks-hardened.list-associated-access-policies.json")
    c = {"clusterName": NAME}
    live_cluster = copy.deepcopy(cluster)  # boto3 returns timestamps as datetimes
    live_cluster["cluster"]["createdAt"] = datetime.fromisoformat(cluster["cluster"]["createdAt"])
    eks_.add_response("describe_cluster", live_cluster, {"name": NAME})
    eks_.add_response("list_nodegroups", {"nodegroups": ["ng-system"], "nextToken": "page-2"}, c)
    eks_.add_response("list_nodegroups", {"nodegroups": []}, {**c, "nextToken": "page-2"})  # paged to the end
    eks_.add_response("describe_nodegroup", ng, {**c, "nodegroupName": "ng-system"})
    eks_.add_response("list_addons", {"addons": ["vpc-cni"]}, c)
    eks_.add_response("describe_addon", _load("extra/eks-hardened.describe-addon-vpc-cni.json"),
                      {**c, "addonName": "vpc-cni"})
    eks_.add_response("list_access_entries", {"accessEntries": entries}, c)
    eks_.add_response("describe_access_entry", node_role, {**c, "principalArn": entries[0]})
    eks_.add_response("list_associated_access_policies", {"clusterName": NAME, "principalArn": entries[0],
                                                          "associatedAccessPolicies": []},
                      {**c, "principalArn": entries[0]})
    eks_.add_client_error("describe_access_entry", "AccessDeniedException", "not allowed",
                          expected_params={**c, "principalArn": entries[1]})
    eks_.add_client_error("list_associated_access_policies", "AccessDeniedException", "not allowed",
                          expected_params={**c, "principalArn": entries[1]})
    eks_.add_response("describe_access_entry", deployer, {**c, "principalArn": entries[2]})
    eks_.add_response("list_associated_access_policies", policies, {**c, "principalArn": entries[2]})
    eks_.add_response("list_pod_identity_associations", {"associations": []}, c)
    eks_.add_response("describe_cluster_versions", {"clusterVersions": [
        {"clusterVersion": "1.33", "versionStatus": "EXTENDED_SUPPORT", "endOfStandardSupportDate": "2026-07-29",
         "endOfExtendedSupportDate": "2027-07-29"}]}, {"clusterVersions": ["1.33"]})
    issuer = cluster["cluster"]["identity"]["oidc"]["issuer"].removeprefix("https://")
    iam.add_response("list_open_id_connect_providers", {"OpenIDConnectProviderList": [
        {"Arn": f"arn:aws:iam::444455556666:oidc-provider/{issuer}"}]}, {})
    ec2.add_response("describe_subnets", _load("extra/eks-hardened.ec2-describe-subnets.json"),
                     {"SubnetIds": sorted(ng["nodegroup"]["subnets"])})
    lt = ng["nodegroup"]["launchTemplate"]
    ec2.add_response("describe_launch_template_versions",
                     _load("extra/eks-hardened.ec2-describe-launch-template-versions.json"),
                     {"LaunchTemplateId": lt["id"], "Versions": [lt["version"]]})
    gd.add_response("list_detectors", {"DetectorIds": ["12abc34d567e8fa901bc2d34e56789f0"]}, {})
    gd.add_response("get_detector", _load("extra/eks-hardened.guardduty-get-detector.json"),
                    {"DetectorId": "12abc34d567e8fa901bc2d34e56789f0"})


def test_eks_live_read_gives_the_facts_of_the_cli_export():
    with StubbedSession() as s:
        _eks_hardened_stubs(s)
        docs = eks.fetch(REGION, NAME, session=s)
        for stub in s.stubs.values():
            stub.assert_no_pending_responses()  # every call made, with the parameters expected
    labels = [label for label, _ in docs]
    assert labels[0] == f"eks://{REGION}/{NAME}"
    assert "warning: describe-access-entry arn:aws:iam::444455556666:role/platform-break-glass: " \
           "AccessDeniedException" in labels
    live = {label: doc for label, doc in docs if doc is not None}
    # datetimes as the CLI prints them
    assert live[labels[0]]["cluster"]["createdAt"] == _load("eks-hardened.json")["cluster"]["createdAt"]
    assert not any(b"ResponseMetadata" in orjson.dumps(d) for d in live.values())
    assert live["list-access-entries"] == _load("extra/eks-hardened.list-access-entries.json")


def test_eks_live_read_through_the_cli_path(monkeypatch):
    s = StubbedSession()
    monkeypatch.setattr(boto3.session, "Session", lambda **kw: s)
    with s:
        _eks_hardened_stubs(s)
        out, report = _facts_from([f"eks://{REGION}/{NAME}"])
    cloud = out[NAME].facts["cloud"]
    files = [CLOUD / "eks-hardened.json", *sorted((CLOUD / "extra").glob("eks-hardened.*.json"))]
    want = _facts_from(files)[0][NAME].facts["cloud"]
    for part in ("cluster", "nodegroups", "addons", "subnets", "launchTemplateVersions", "guardDuty"):
        assert cloud.get(part) == want.get(part), part
    assert [i.level for i in report.issues] == ["warning", "warning"]  # the denied access entry, both calls
    assert "platform-break-glass" in report.issues[0].message
    assert cloud["clusterVersions"][0]["versionStatus"] == "EXTENDED_SUPPORT"
    assert out[NAME].provider == "eks"


def test_eks_missing_credentials_is_one_line(monkeypatch, tmp_path):
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # no instance metadata lookup: no network
    with pytest.raises(CloudError, match=r"^no AWS credentials found \(set AWS_PROFILE"):
        eks.fetch(REGION, NAME)
    out, report = _facts_from([f"eks://{REGION}/{NAME}"])
    assert not out and [i.one_line() for i in report.issues][0].count("\n") == 0
    assert "no AWS credentials found" in report.issues[0].message


def test_eks_unknown_cluster_is_one_line():
    with StubbedSession() as s:
        s.stubs["eks"].add_client_error("describe_cluster", "ResourceNotFoundException", "No cluster found for "
                                        "name: nope.", expected_params={"name": "nope"})
        with pytest.raises(CloudError) as err:
            eks.fetch(REGION, "nope", session=s)
    assert str(err.value) == f"eks://{REGION}/nope: ResourceNotFoundException: No cluster found for name: nope."


# --- GKE: the REST transport of google-cloud-container, its HTTP session answering ------------------

container_v1 = pytest.importorskip("google.cloud.container_v1")


class _Answer:
    """A requests adapter that records each request and answers with one canned response."""

    def __init__(self, status: int, body: bytes):
        import requests.adapters

        self.requests: list = []
        outer = self

        class Adapter(requests.adapters.HTTPAdapter):
            def send(self, request, **kw):
                import io

                import urllib3

                outer.requests.append(request)
                raw = urllib3.HTTPResponse(body=io.BytesIO(body), status=status, preload_content=False,
                                           headers={"Content-Type": "application/json"})
                return self.build_response(request, raw)

        self.adapter = Adapter()


def _gke_client(answer: _Answer):
    from google.auth.credentials import AnonymousCredentials

    client = container_v1.ClusterManagerClient(credentials=AnonymousCredentials(), transport="rest")
    client._transport._session.mount("https://", answer.adapter)
    return client


def test_gke_live_read_builds_the_request_and_prints_like_gcloud():
    text = (CLOUD / "gke-hardened.json").read_bytes() if CLOUD.is_dir() else pytest.skip("no shared fixtures")
    doc = json.loads(text)
    project, location = doc["selfLink"].split("/projects/")[1].split("/")[0], doc["location"]
    answer = _Answer(200, text)
    from kubeguard.collect.cloud import gke

    [(label, got)] = gke.fetch(project, location, doc["name"], client=_gke_client(answer))
    [req] = answer.requests
    assert req.method == "GET"
    assert req.url.startswith(f"https://container.googleapis.com/v1/projects/{project}/locations/{location}/"
                              f"clusters/{doc['name']}")
    assert label == f"gke://{project}/{location}/{doc['name']}"
    assert got == doc  # parsed by the SDK and printed back: the same JSON gcloud prints, defaults omitted


def test_gke_api_error_is_one_line():
    from kubeguard.collect.cloud import gke

    body = (b'{"error": {"code": 404, "message": "Not found: projects/p/locations/l/clusters/x.", '
            b'"status": "NOT_FOUND"}}')
    with pytest.raises(CloudError) as err:
        gke.fetch("p", "l", "x", client=_gke_client(_Answer(404, body)))
    line = str(err.value)  # the REST transport names the URL it called, gRPC does not
    assert line.startswith("gke://p/l/x: 404 ") and line.endswith("Not found: projects/p/locations/l/clusters/x.")
    assert "\n" not in line


def test_gke_missing_credentials_is_one_line(monkeypatch, tmp_path, caplog):
    from google.auth.compute_engine import _metadata

    from kubeguard.collect.cloud import gke

    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path))  # no gcloud application-default credentials
    monkeypatch.setattr(_metadata, "_NO_GCE_CHECK", True)  # as NO_GCE_CHECK=true: no metadata server probe
    with pytest.raises(CloudError, match=r"^no Google credentials found \(run gcloud auth application-default"):
        gke.fetch("p", "l", "x")
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]  # the SDK stays quiet


# --- AKS: azure-core's requests transport, its session answering ---------------------------------

pytest.importorskip("azure.mgmt.containerservice")


class _Token:
    """A TokenCredential that never asks Entra ID."""

    def get_token(self, *scopes, **kw):
        from azure.core.credentials import AccessToken

        return AccessToken("not-a-real-token", 4102444800)

    def get_token_info(self, *scopes, options=None):
        from azure.core.credentials import AccessTokenInfo

        return AccessTokenInfo("not-a-real-token", 4102444800)


def _aks_client(answer: _Answer, subscription: str):
    import requests
    from azure.core.pipeline.transport import RequestsTransport
    from azure.mgmt.containerservice import ContainerServiceClient

    session = requests.Session()
    session.mount("https://", answer.adapter)
    return ContainerServiceClient(_Token(), subscription, transport=RequestsTransport(session=session))


def test_aks_live_read_builds_the_request_and_reads_like_the_exported_document():
    from kubeguard.collect.cloud import _detect, aks

    rest_file = FIXTURES / "cloud" / "aks-insecure" / "managed-cluster.rest.json"
    rest = json.loads(rest_file.read_text())  # the ARM document (REST key names, properties wrapper)
    subscription, group = rest["id"].split("/")[2], rest["id"].split("/")[4]
    answer = _Answer(200, orjson.dumps(rest))
    docs = aks.fetch(subscription, group, rest["name"], client=_aks_client(answer, subscription))
    [req] = answer.requests
    assert req.method == "GET" and req.headers["Authorization"] == "Bearer not-a-real-token"
    assert req.url.startswith(f"https://management.azure.com/subscriptions/{subscription}/resourceGroups/{group}/"
                              f"providers/Microsoft.ContainerService/managedClusters/{rest['name']}?api-version=")
    label, live_doc = docs[0]
    assert label == f"aks://{subscription}/{group}/{rest['name']}"
    assert docs[1] == ("warning: diagnostic settings are not read live; export them with "
                       "az monitor diagnostic-settings list --resource <cluster id>", None)
    [live] = _detect(live_doc, "live")
    [exported] = _detect(rest, "file")
    assert live.data == exported.data  # what the SDK parsed and gave back reads as the exported document
    assert live.data["enableRbac"] is True and "not-a-real-secret" not in json.dumps(live.data)


def test_aks_api_error_is_one_line():
    from kubeguard.collect.cloud import aks

    body = b'{"error": {"code": "ResourceNotFound", "message": "The Resource was not found."}}'
    sub = "00000000-0000-0000-0000-000000000001"
    with pytest.raises(CloudError) as err:
        aks.fetch(sub, "rg", "nope", client=_aks_client(_Answer(404, body), sub))
    assert str(err.value) == f"aks://{sub}/rg/nope: 404 ResourceNotFound: The Resource was not found."


def test_aks_missing_credentials_is_one_line(monkeypatch, tmp_path, caplog):
    from kubeguard.collect.cloud import aks

    for var in ("AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID", "AZURE_FEDERATED_TOKEN_FILE",
                "AZURE_USERNAME", "AZURE_PASSWORD", "IDENTITY_ENDPOINT", "MSI_ENDPOINT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "dev")  # developer credentials only: no managed identity probe
    monkeypatch.setenv("PATH", str(tmp_path))  # no az, azd or pwsh to ask
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(CloudError) as err:
        aks.fetch("00000000-0000-0000-0000-000000000000", "rg", "x")
    assert str(err.value).startswith("no usable Azure credentials (run az login")
    assert "\n" not in str(err.value)
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]  # no multi-line report

"""Google GKE: ``gcloud container clusters describe --format=json`` (proto3 JSON) and live reading.

gcloud omits fields that hold their default (``false``, ``0``, empty, ``*_UNSPECIFIED``),
so an absent boolean means false; ``gcloud container clusters list --format=json``
(a list of the same objects) is read too.
"""

from __future__ import annotations

from typing import Any

from ._shape import PRESENT, prune
from .base import CloudDoc, CloudError, CloudGroup, quiet_sdk

PROVIDER = "gke"

_NODE_CONFIG = {
    "imageType": True, "serviceAccount": True, "oauthScopes": True, "metadata": {"disable-legacy-endpoints": True},
    "workloadMetadataConfig": True, "shieldedInstanceConfig": True, "sandboxConfig": True, "bootDiskKmsKey": True,
    "kubeletConfig": True, "confidentialNodes": True, "machineType": True,
}
_KUBELET_DEFAULTS = {"nodeKubeletConfig": True}
CLUSTER_SPEC = {
    "name": True, "id": True, "selfLink": True, "location": True, "zone": True, "status": True,
    "currentMasterVersion": True, "currentNodeVersion": True, "initialClusterVersion": True,
    "releaseChannel": True, "autopilot": True, "enableKubernetesAlpha": True,
    "masterAuth": {"username": True, "password": PRESENT, "clientKey": PRESENT, "clientCertificate": PRESENT,
                   "clientCertificateConfig": True},
    "legacyAbac": True, "networkPolicy": True,
    "addonsConfig": {"networkPolicyConfig": True, "kubernetesDashboard": True},
    "networkConfig": {"datapathProvider": True, "defaultEnablePrivateNodes": True, "enableIntraNodeVisibility": True,
                      "serviceExternalIpsConfig": True, "network": True, "subnetwork": True},
    "ipAllocationPolicy": {"useIpAliases": True, "useRoutes": True, "stackType": True},
    "controlPlaneEndpointsConfig": True, "masterAuthorizedNetworksConfig": True,
    "privateClusterConfig": {"enablePrivateNodes": True, "enablePrivateEndpoint": True, "privateEndpoint": True,
                             "publicEndpoint": True, "masterGlobalAccessConfig": True},
    "databaseEncryption": True, "workloadIdentityConfig": True, "shieldedNodes": True, "binaryAuthorization": True,
    "loggingService": True, "monitoringService": True, "loggingConfig": True,
    "monitoringConfig": {"componentConfig": True, "managedPrometheusConfig": True},
    "securityPostureConfig": True, "authenticatorGroupsConfig": True, "rbacBindingConfig": True,
    "anonymousAuthenticationConfig": True, "secretManagerConfig": True,
    "nodePoolDefaults": {"nodeConfigDefaults": _KUBELET_DEFAULTS}, "nodePoolAutoConfig": _KUBELET_DEFAULTS,
    "nodePools": [{"name": True, "version": True, "status": True, "management": True,
                   "networkConfig": {"enablePrivateNodes": True}, "config": _NODE_CONFIG, "autoscaling": True}],
}


def _is_cluster(doc: Any) -> bool:
    return isinstance(doc, dict) and ("currentMasterVersion" in doc or "nodePools" in doc
                                      or "container.googleapis.com" in str(doc.get("selfLink") or ""))


def project_of(c: dict[str, Any]) -> str | None:
    link = str(c.get("selfLink") or "")
    if "/projects/" in link:
        return link.split("/projects/", 1)[1].split("/", 1)[0]
    pool = (c.get("workloadIdentityConfig") or {}).get("workloadPool")
    return pool.split(".svc.id.goog")[0] if isinstance(pool, str) and pool.endswith(".svc.id.goog") else None


def detect(doc: Any, file: str) -> list[CloudDoc] | None:
    items = doc if isinstance(doc, list) else [doc]
    if not items or not all(_is_cluster(x) for x in items):
        return None
    out = []
    for item in items:
        c = prune(item, CLUSTER_SPEC)
        names = {c.get("name"), c.get("id"), c.get("selfLink")}
        project, location = project_of(c), c.get("location") or c.get("zone")
        if project and location:
            names.add(f"gke_{project}_{location}_{c.get('name')}")  # the kubeconfig context gcloud writes
            names.add(f"projects/{project}/locations/{location}/clusters/{c.get('name')}")
        out.append(CloudDoc(PROVIDER, "cluster", c, file, names))
    return out


def build(group: CloudGroup) -> dict[str, Any]:
    out = group.base()
    c = group.cluster or {}
    out["id"] = c.get("selfLink") or c.get("id")
    out["location"] = c.get("location") or c.get("zone")
    out["project"] = project_of(c)
    return out


def identity(cloud: dict[str, Any]) -> dict[str, Any]:
    c = cloud.get("cluster") or {}
    auth = c.get("masterAuth") or {}
    return {
        "provider": PROVIDER,
        "project": cloud.get("project"),
        "workloadIdentity": {"pool": (c.get("workloadIdentityConfig") or {}).get("workloadPool")},
        "googleGroups": {"enabled": bool((c.get("authenticatorGroupsConfig") or {}).get("enabled")),
                         "securityGroup": (c.get("authenticatorGroupsConfig") or {}).get("securityGroup")},
        "legacyAbac": bool((c.get("legacyAbac") or {}).get("enabled")),
        "localAccounts": {"clientCertificate": bool(auth.get("clientKey") or auth.get("clientCertificate")),
                          "basicAuth": bool(auth.get("username") or auth.get("password"))},
        "insecureBindings": c.get("rbacBindingConfig"),
        "nodeIdentities": [
            {"pool": p.get("name"), "kind": "gcp-service-account",
             "id": (p.get("config") or {}).get("serviceAccount") or "default",
             "oauthScopes": (p.get("config") or {}).get("oauthScopes") or [],
             "metadataMode": ((p.get("config") or {}).get("workloadMetadataConfig") or {}).get("mode")}
            for p in c.get("nodePools") or []
        ],
    }


# --- live reading (google-cloud-container, extra "gcp") ------------------------------

def fetch(project: str, location: str, name: str, client: Any = None) -> list[tuple[str, Any]]:
    """``projects.locations.clusters.get`` through google-cloud-container, printed as gcloud prints it.

    ``client`` is a ``ClusterManagerClient`` (tests pass one on the REST transport whose HTTP
    session answers from a fixture); by default Application Default Credentials are used.
    """
    try:
        from google.api_core import exceptions as gexc
        from google.auth import exceptions as auth_exc
        from google.cloud import container_v1
    except ImportError:
        raise CloudError("reading GKE live needs the 'gcp' extra: pip install 'kubeguard[gcp]'") from None
    import orjson

    label = f"gke://{project}/{location}/{name}"
    try:
        with quiet_sdk("google.auth", "google.api_core"):
            client = client or container_v1.ClusterManagerClient()
            cluster = client.get_cluster(name=f"projects/{project}/locations/{location}/clusters/{name}")
    except auth_exc.DefaultCredentialsError:
        raise CloudError("no Google credentials found (run gcloud auth application-default login "
                         "or set GOOGLE_APPLICATION_CREDENTIALS)") from None
    except auth_exc.GoogleAuthError as exc:
        raise CloudError(f"{label}: Google credentials rejected: {str(exc).splitlines()[0] if str(exc) else exc}") \
            from None
    except gexc.GoogleAPICallError as exc:
        raise CloudError(f"{label}: {exc.code} {exc.message}") from None
    # proto3 JSON as gcloud prints it: lowerCamelCase, enums by name, int64 as strings, defaults omitted
    try:
        text = container_v1.Cluster.to_json(cluster, use_integers_for_enums=False,
                                            always_print_fields_with_no_presence=False)
    except TypeError:  # proto-plus before 1.24
        text = container_v1.Cluster.to_json(cluster, use_integers_for_enums=False,
                                            including_default_value_fields=False)
    return [(label, orjson.loads(text))]

"""Azure AKS: ``az aks show`` (and ``az monitor diagnostic-settings list``), the ARM REST shape, and live reading.

``az aks show`` prints the SDK model with the ARM ``properties`` flattened and
keys camelCased from Python attribute names (``enableRbac``, ``authorizedIpRanges``);
the REST API (ARM templates, ``az rest``, the SDK's ``serialize()``) nests them
under ``properties`` with the service's spelling (``enableRBAC``,
``authorizedIPRanges``).  Both are read; facts use the CLI spelling.
"""

from __future__ import annotations

from typing import Any

from ._shape import PRESENT, prune
from .base import CloudDoc, CloudError, CloudGroup, quiet_sdk

PROVIDER = "aks"

_IDENTITY = {"clientId": True, "objectId": True, "resourceId": True}
CLUSTER_SPEC = {
    "name": True, "id": True, "location": True, "resourceGroup": True, "type": True,
    "kubernetesVersion": True, "currentKubernetesVersion": True, "supportPlan": True, "sku": True,
    "fqdn": True, "privateFqdn": True, "provisioningState": True, "powerState": True,
    "enableRbac": True, "disableLocalAccounts": True, "publicNetworkAccess": True,
    "aadProfile": {"managed": True, "enableAzureRbac": True, "adminGroupObjectIDs": True, "tenantId": True,
                   "clientAppId": True, "serverAppId": True, "serverAppSecret": PRESENT},
    "apiServerAccessProfile": {"authorizedIpRanges": True, "enablePrivateCluster": True,
                               "enablePrivateClusterPublicFqdn": True, "privateDnsZone": True,
                               "disableRunCommand": True, "enableVnetIntegration": True},
    "networkProfile": {"networkPlugin": True, "networkPluginMode": True, "networkPolicy": True,
                       "networkDataplane": True, "outboundType": True, "podLinkLocalAccess": True},
    "securityProfile": {"defender": {"securityMonitoring": True, "logAnalyticsWorkspaceResourceId": True},
                        "azureKeyVaultKms": {"enabled": True, "keyId": True, "keyVaultNetworkAccess": True,
                                             "keyVaultResourceId": True},
                        "workloadIdentity": True, "imageCleaner": True, "imageIntegrity": True,
                        "kubernetesResourceObjectEncryptionProfile": True},
    "oidcIssuerProfile": {"enabled": True, "issuerUrl": True}, "podIdentityProfile": {"enabled": True},
    "autoUpgradeProfile": {"upgradeChannel": True, "nodeOsUpgradeChannel": True},
    "addonProfiles": {"*": {"enabled": True, "identity": _IDENTITY}},
    "identity": {"type": True, "principalId": True},
    "identityProfile": {"*": _IDENTITY},
    "servicePrincipalProfile": {"clientId": True, "secret": PRESENT},
    "diskEncryptionSetId": True,
    "agentPoolProfiles": [{
        "name": True, "mode": True, "osType": True, "osSku": True, "type": True, "count": True,
        "enableNodePublicIp": True, "nodePublicIpPrefixId": True, "orchestratorVersion": True,
        "currentOrchestratorVersion": True, "nodeImageVersion": True, "enableEncryptionAtHost": True,
        "enableFips": True, "securityProfile": {"enableSecureBoot": True, "enableVtpm": True, "sshAccess": True},
        "vnetSubnetId": True, "kubeletConfig": True,
        "podLinkLocalAccess": True,
    }],
}
DIAG_SPEC = {"id": True, "name": True, "workspaceId": True, "storageAccountId": True,
             "eventHubAuthorizationRuleId": True, "eventHubName": True, "marketplacePartnerId": True,
             "logs": [{"category": True, "categoryGroup": True, "enabled": True}]}


def _flatten(doc: dict[str, Any]) -> dict[str, Any]:
    """ARM/REST shape -> CLI shape: lift ``properties`` (also inside agent pools)."""
    props = doc.get("properties")
    if not isinstance(props, dict):
        return doc
    out = {k: v for k, v in doc.items() if k != "properties"}
    out.update(props)
    pools = out.get("agentPoolProfiles")
    if isinstance(pools, list):
        out["agentPoolProfiles"] = [_flatten(p) if isinstance(p, dict) else p for p in pools]
    return out


def _is_cluster(doc: dict[str, Any]) -> bool:
    t = str(doc.get("type") or "").lower()
    body = doc.get("properties") if isinstance(doc.get("properties"), dict) else doc
    return t == "microsoft.containerservice/managedclusters" or (
        isinstance(body, dict) and "agentPoolProfiles" in body and ("dnsPrefix" in body or "fqdn" in body
                                                                    or "kubernetesVersion" in body))


def _is_diag(doc: Any) -> bool:
    return isinstance(doc, dict) and "diagnosticsettings" in str(doc.get("id") or doc.get("type") or "").lower()


def _cluster_of_diag(diag_id: str) -> str | None:
    low = diag_id.lower()
    marker = "/managedclusters/"
    if marker not in low:
        return None
    start = low.index(marker) + len(marker)
    return diag_id[start:].split("/", 1)[0]


def detect(doc: Any, file: str) -> list[CloudDoc] | None:
    if isinstance(doc, dict) and isinstance(doc.get("value"), list) and all(_is_diag(x) for x in doc["value"]):
        doc = doc["value"]  # REST list shape
    if isinstance(doc, list) and doc and all(_is_diag(x) for x in doc):
        out = []
        for d in doc:
            flat = _flatten(d)
            data = prune(flat, DIAG_SPEC)
            name = _cluster_of_diag(str(flat.get("id") or ""))
            out.append(CloudDoc(PROVIDER, "diagnosticSettings", [data], file, {name}))
        return out
    if isinstance(doc, dict) and _is_cluster(doc):
        c = prune(_flatten(doc), CLUSTER_SPEC)
        return [CloudDoc(PROVIDER, "cluster", c, file, {c.get("name"), c.get("id")})]
    return None


def empty_diagnostics(file: str) -> CloudDoc:
    """``az monitor diagnostic-settings list`` for a cluster without settings prints ``[]``."""
    return CloudDoc(PROVIDER, "diagnosticSettings", [], file, set())


def build(group: CloudGroup) -> dict[str, Any]:
    out = group.base()
    c = group.cluster or {}
    out["id"] = c.get("id")
    out["location"] = c.get("location")
    if "diagnosticSettings" in group.parts:
        out["diagnosticSettings"] = [s for d in group.parts["diagnosticSettings"] for s in d.data]
    return out


def addon(cluster: dict[str, Any], name: str) -> dict[str, Any] | None:
    """An add-on profile by name, case-insensitively (``azurepolicy`` / ``azurePolicy``)."""
    for k, v in (cluster.get("addonProfiles") or {}).items():
        if k.lower() == name.lower() and isinstance(v, dict):
            return v
    return None


def identity(cloud: dict[str, Any]) -> dict[str, Any]:
    c = cloud.get("cluster") or {}
    aad = c.get("aadProfile") or {}
    sec = c.get("securityProfile") or {}
    kubelet = next((v for k, v in (c.get("identityProfile") or {}).items() if k.lower() == "kubeletidentity"), None)
    return {
        "provider": PROVIDER,
        "localAccounts": {"enabled": None if c.get("disableLocalAccounts") is None
                          else not c["disableLocalAccounts"]},
        "entra": {"managed": aad.get("managed"), "adminGroupObjectIDs": aad.get("adminGroupObjectIDs") or [],
                  "tenantId": aad.get("tenantId")} if aad else None,
        "kubernetesRbac": c.get("enableRbac"),
        "azureRbac": aad.get("enableAzureRbac") if aad else False,
        "oidcIssuer": (c.get("oidcIssuerProfile") or {}).get("issuerUrl"),
        "workloadIdentity": {
            "azureWorkloadIdentity": bool((sec.get("workloadIdentity") or {}).get("enabled")),
            "oidcIssuerEnabled": bool((c.get("oidcIssuerProfile") or {}).get("enabled")),
            "aadPodIdentity": bool((c.get("podIdentityProfile") or {}).get("enabled")),
        },
        "kubeletIdentity": kubelet,
        "addonIdentities": {k: v["identity"] for k, v in (c.get("addonProfiles") or {}).items()
                            if isinstance(v, dict) and v.get("enabled") and v.get("identity")},
        "nodeIdentities": [{"pool": p.get("name"), "kind": "azure-managed-identity",
                            "id": (kubelet or {}).get("resourceId")}
                           for p in c.get("agentPoolProfiles") or [] if kubelet],
        "servicePrincipal": (c.get("servicePrincipalProfile") or {}).get("clientId") not in (None, "msi"),
    }


# --- live reading (azure-identity + azure-mgmt-containerservice, extra "azure") -------

def fetch(subscription: str, resource_group: str, name: str, client: Any = None) -> list[tuple[str, Any]]:
    """``managedClusters.get`` through azure-mgmt-containerservice: the ARM document (REST key names, the
    ``properties`` wrapper), which the reader normalises like ``az aks show`` output.

    ``client`` is a ``ContainerServiceClient`` (tests pass one whose transport answers from a fixture);
    by default ``DefaultAzureCredential`` is used.
    """
    try:
        from azure.core.exceptions import AzureError, ClientAuthenticationError, HttpResponseError
        from azure.identity import CredentialUnavailableError, DefaultAzureCredential
        from azure.mgmt.containerservice import ContainerServiceClient
    except ImportError:
        raise CloudError("reading AKS live needs the 'azure' extra: pip install 'kubeguard[azure]'") from None
    label = f"aks://{subscription}/{resource_group}/{name}"
    try:
        with quiet_sdk("azure.identity", "azure.core"):
            client = client or ContainerServiceClient(DefaultAzureCredential(), subscription)
            mc = client.managed_clusters.get(resource_group, name)
    except (CredentialUnavailableError, ClientAuthenticationError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CloudError(f"no usable Azure credentials (run az login or set AZURE_CLIENT_ID...): {first}") from None
    except HttpResponseError as exc:
        err = getattr(exc, "error", None)  # the ARM error body: {"error": {"code", "message"}}
        detail = f"{err.code}: {err.message}" if getattr(err, "code", None) else (exc.reason or type(exc).__name__)
        raise CloudError(f"{label}: {exc.status_code} {str(detail).strip().splitlines()[0]}") from None
    except AzureError as exc:
        raise CloudError(f"{label}: {type(exc).__name__}") from None
    # msrest models (SDK < 38) serialise to the ARM document; TypeSpec models (38+) are mappings over it
    doc = mc.serialize(keep_readonly=True) if hasattr(mc, "serialize") else mc.as_dict()
    docs: list[tuple[str, Any]] = [(label, doc)]
    docs.append(("warning: diagnostic settings are not read live; export them with "
                 "az monitor diagnostic-settings list --resource <cluster id>", None))
    return docs

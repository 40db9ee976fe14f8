"""How cloud identities enter a cluster, and which ServiceAccounts leave it for cloud identities.

Writes ``ClusterFacts.facts["identity"]`` (read by :mod:`kubeguard.graph.rbac` and the
attack-path work).  Inputs: the ``kube-system/aws-auth`` ConfigMap and ServiceAccount
annotations from the inventory, and the provider's cluster description in
``facts["cloud"]`` (``aws eks describe-cluster``, ``az aks show``, ``gcloud container
clusters describe``, read by :mod:`kubeguard.collect.cloud` from ``--cloud`` files, which
also adds EKS access entries with their access policies and pod identity associations
here with origin ``export``).

Schema of ``facts["identity"]`` (every key optional)::

    {
      "provider": "eks" | "aks" | "gke" | null,
      "authenticationMode": "CONFIG_MAP" | "API_AND_CONFIG_MAP" | "API",      # EKS
      "authenticatedIsPublic": true,          # GKE: system:authenticated = any Google account
      "googleGroups": "gke-security-groups@example.com",                       # GKE
      "workloadPool": "PROJECT.svc.id.goog",                                    # GKE
      "principals": [                       # cloud identities that authenticate into the cluster
        {"id": "arn:aws:iam::1:role/ops", "type": "aws-iam-role" | "aws-iam-user" | "aws-account"
                | "eks-cluster-creator" | "entra-group" | "aks-local-account",
         "username": "ops" | "...{{SessionName}}" | null, "groups": ["system:masters"],
         "source": "aws-auth mapRoles[0]" | "eks access entry" | ..., "origin": "objects" | "cloud" | "export",
         "accessPolicies": [{"policy": "AmazonEKSEditPolicy", "scope": "cluster" | "namespace",
                             "namespaces": ["payments"]}],            # cloud-side grants (EKS, AKS admin)
         "entryType": "STANDARD" | "EC2_LINUX" | ...}                 # EKS access entries
      ],
      "workloadIdentities": [               # ServiceAccount -> cloud identity links
        {"namespace": "shop", "serviceAccount": "web", "provider": "aws" | "gcp" | "azure",
         "mechanism": "irsa" | "eks-pod-identity" | "gke-workload-identity" | "azure-workload-identity",
         "cloudIdentity": "arn:aws:iam::1:role/web" | "gsa@p.iam.gserviceaccount.com" | "<client id>",
         "source": "annotation eks.amazonaws.com/role-arn" | "pod identity association a-123",
         "origin": ..., "targetRoleArn": ..., "tenantId": ...}
      ],
      "notes": ["Azure RBAC for Kubernetes is enabled: its grants are not RBAC objects", ...]
    }

Annotations are hints for a mutating webhook; the cloud-side trust decides.  The links
are kept as facts with their source so the attack-path work can weigh them.
"""

from __future__ import annotations

from typing import Any, Iterable

import yaml

from ..model.cloud import ClusterFacts
from ..model.collection import CollectionReport, InputIssue
from ..model.objects import K8sObject

SA_LINK_ANNOTATIONS = (
    ("eks.amazonaws.com/role-arn", "aws", "irsa"),
    ("iam.gke.io/gcp-service-account", "gcp", "gke-workload-identity"),
    ("azure.workload.identity/client-id", "azure", "azure-workload-identity"),
)


def attach_identity_facts(facts: dict[str, ClusterFacts], objects: Iterable[K8sObject],
                          report: CollectionReport) -> None:
    """Fill ``facts[c].facts["identity"]`` for every cluster from its objects and cloud facts.

    Idempotent: entries derived from objects and cloud facts are recomputed; entries that
    came from exported files (origin ``export``, added by :func:`kubeguard.collect.cloud.attach_cloud`
    from EKS access entries and pod identity associations) are kept.
    """
    by_cluster: dict[str, list[K8sObject]] = {}
    for o in objects:
        if o.kind in ("ConfigMap", "ServiceAccount"):
            by_cluster.setdefault(o.cluster, []).append(o)
    for name, cf in facts.items():
        old = cf.facts.get("identity") if isinstance(cf.facts.get("identity"), dict) else {}
        ident: dict[str, Any] = {
            "principals": [p for p in old.get("principals") or [] if isinstance(p, dict)
                           and p.get("origin") == "export"],
            "workloadIdentities": [w for w in old.get("workloadIdentities") or [] if isinstance(w, dict)
                                   and w.get("origin") == "export"],
            "notes": [],
        }
        for key in ("provider", "authenticationMode", "authenticatedIsPublic", "googleGroups", "workloadPool"):
            if key in old:
                ident[key] = old[key]
        cloud = cf.facts.get("cloud")
        if isinstance(cloud, dict):
            _from_cloud(ident, cloud, cf.provider)
        for o in by_cluster.get(name, []):
            if o.kind == "ConfigMap" and o.namespace == "kube-system" and o.name == "aws-auth":
                _from_aws_auth(ident, o, report)
            elif o.kind == "ServiceAccount":
                _from_annotations(ident, o)
        if not ident.get("provider") and cf.provider in ("eks", "aks", "gke"):
            ident["provider"] = cf.provider
        if ident.get("provider") == "gke":
            ident["authenticatedIsPublic"] = True
        if ident["principals"] or ident["workloadIdentities"] or ident["notes"] or len(ident) > 3:
            cf.facts["identity"] = ident


# --------------------------------------------------------------------------- aws-auth
def _from_aws_auth(ident: dict[str, Any], cm: K8sObject, report: CollectionReport) -> None:
    ident.setdefault("provider", "eks")
    data = cm.raw.get("data") if isinstance(cm.raw.get("data"), dict) else {}
    for key, arn_field, ptype in (("mapRoles", "rolearn", "aws-iam-role"), ("mapUsers", "userarn", "aws-iam-user")):
        entries = _yaml_list(cm, data, key, report)
        for i, e in enumerate(entries):
            arn = e.get(arn_field) if isinstance(e, dict) else None
            if not isinstance(arn, str) or not arn:
                _issue(report, cm, f"aws-auth {key}[{i}] has no {arn_field}; entry ignored")
                continue
            groups = e.get("groups") if isinstance(e.get("groups"), list) else []
            username = e.get("username")
            _add_principal(ident, {
                "id": arn, "type": ptype, "username": username if isinstance(username, str) and username else None,
                "groups": [str(g) for g in groups if isinstance(g, str)], "source": f"aws-auth {key}[{i}]",
                "origin": "objects"})
    for i, acct in enumerate(_yaml_list(cm, data, "mapAccounts", report)):
        if isinstance(acct, (str, int)) and str(acct).strip():
            _add_principal(ident, {"id": f"aws-account:{str(acct).strip()}", "type": "aws-account",
                                   "username": None, "groups": [], "source": f"aws-auth mapAccounts[{i}]",
                                   "origin": "objects"})


def _yaml_list(cm: K8sObject, data: dict[str, Any], key: str, report: CollectionReport) -> list[Any]:
    text = data.get(key)
    if text is None or text == "":
        return []
    if not isinstance(text, str):
        _issue(report, cm, f"aws-auth data.{key} must be a YAML string; ignored")
        return []
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1} of the value)" if mark is not None else ""
        _issue(report, cm, f"aws-auth data.{key} is not valid YAML{where}; its mappings were not evaluated")
        return []
    if value is None:
        return []
    if not isinstance(value, list):
        _issue(report, cm, f"aws-auth data.{key} must be a YAML list; ignored")
        return []
    return value


def _issue(report: CollectionReport, obj: K8sObject, message: str) -> None:
    report.add(InputIssue(message, file=obj.source.file, line=obj.source.line, cluster=obj.cluster,
                          resource="ConfigMap kube-system/aws-auth", level="warning",
                          skipped="cloud principals mapped by this entry"))


# --------------------------------------------------------------------------- ServiceAccount annotations
def _from_annotations(ident: dict[str, Any], sa: K8sObject) -> None:
    ann = sa.annotations
    for key, provider, mechanism in SA_LINK_ANNOTATIONS:
        value = ann.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        link: dict[str, Any] = {"namespace": sa.namespace or "default", "serviceAccount": sa.name,
                                "provider": provider, "mechanism": mechanism, "cloudIdentity": value.strip(),
                                "source": f"annotation {key}", "origin": "objects"}
        if mechanism == "azure-workload-identity" and isinstance(ann.get("azure.workload.identity/tenant-id"), str):
            link["tenantId"] = ann["azure.workload.identity/tenant-id"]
        if mechanism == "irsa" and isinstance(ann.get("eks.amazonaws.com/audience"), str):
            link["audience"] = ann["eks.amazonaws.com/audience"]
        ident["workloadIdentities"].append(link)


# --------------------------------------------------------------------------- provider descriptions
def _from_cloud(ident: dict[str, Any], cloud: dict[str, Any], provider: str) -> None:
    """``facts["cloud"]`` as written by :mod:`kubeguard.collect.cloud` (``{"provider", "cluster": {...}}``)."""
    provider = str(cloud.get("provider") or provider)
    if isinstance(cloud.get("cluster"), dict):
        cloud = cloud["cluster"]
    if provider == "eks" or "accessConfig" in cloud:
        _from_eks(ident, cloud)
    elif provider == "aks" or "aadProfile" in cloud or "disableLocalAccounts" in cloud:
        _from_aks(ident, cloud)
    elif provider == "gke" or "authenticatorGroupsConfig" in cloud or "workloadIdentityConfig" in cloud:
        _from_gke(ident, cloud)


def _from_eks(ident: dict[str, Any], c: dict[str, Any]) -> None:
    ident["provider"] = "eks"
    access = c.get("accessConfig") if isinstance(c.get("accessConfig"), dict) else {}
    mode = access.get("authenticationMode")
    if isinstance(mode, str):
        ident["authenticationMode"] = mode
    creator = access.get("bootstrapClusterCreatorAdminPermissions")
    if creator is True and (mode in (None, "CONFIG_MAP")):
        _add_principal(ident, {"id": "eks-cluster-creator", "type": "eks-cluster-creator", "username": None,
                               "groups": ["system:masters"], "origin": "cloud",
                               "source": "EKS cluster creator (CONFIG_MAP mode: invisible, cannot be removed)"})
    elif creator is True and not any(p.get("source") == "eks access entry" for p in ident["principals"]):
        _add_principal(ident, {"id": "eks-cluster-creator", "type": "eks-cluster-creator", "username": None,
                               "groups": [], "origin": "cloud",
                               "accessPolicies": [{"policy": "AmazonEKSClusterAdminPolicy", "scope": "cluster"}],
                               "source": "EKS cluster creator access entry (not exported; ARN unknown)"})
    if mode == "API":
        ident["notes"].append("authentication mode API: the aws-auth ConfigMap is ignored by EKS")


def _from_aks(ident: dict[str, Any], c: dict[str, Any]) -> None:
    ident["provider"] = "aks"
    aad = c.get("aadProfile") if isinstance(c.get("aadProfile"), dict) else None
    if c.get("disableLocalAccounts") is not True:
        _add_principal(ident, {"id": "aks-local-admin", "type": "aks-local-account", "username": "clusterAdmin",
                               "groups": ["system:masters"], "origin": "cloud",
                               "source": "AKS local accounts enabled (listClusterAdminCredential: Contributor, "
                                         "Owner and AKS Cluster Admin Role)"})
    if aad:
        for gid in aad.get("adminGroupObjectIDs") or aad.get("adminGroupObjectIds") or []:
            if isinstance(gid, str) and gid:
                _add_principal(ident, {"id": gid, "type": "entra-group", "username": None, "groups": [gid],
                                       "origin": "cloud", "source": "AKS aadProfile.adminGroupObjectIDs",
                                       "accessPolicies": [{"policy": "cluster-admin", "scope": "cluster"}]})
        if aad.get("enableAzureRbac") or aad.get("enableAzureRBAC"):
            ident["notes"].append("Azure RBAC for Kubernetes is enabled: role assignments grant access that "
                                  "RBAC objects do not show")
    elif c.get("enableRbac") is False:
        ident["notes"].append("Kubernetes RBAC is disabled on this AKS cluster")


def _from_gke(ident: dict[str, Any], c: dict[str, Any]) -> None:
    ident["provider"] = "gke"
    ident["authenticatedIsPublic"] = True
    groups = c.get("authenticatorGroupsConfig") if isinstance(c.get("authenticatorGroupsConfig"), dict) else {}
    if groups.get("enabled") and isinstance(groups.get("securityGroup"), str):
        ident["googleGroups"] = groups["securityGroup"]
    wi = c.get("workloadIdentityConfig") if isinstance(c.get("workloadIdentityConfig"), dict) else {}
    if isinstance(wi.get("workloadPool"), str):
        ident["workloadPool"] = wi["workloadPool"]
    abac = c.get("legacyAbac") if isinstance(c.get("legacyAbac"), dict) else {}
    if abac.get("enabled"):
        ident["notes"].append("legacy ABAC is enabled: it grants access that RBAC objects do not show")
    ident["notes"].append("IAM roles with container.* permissions grant access that RBAC objects do not show")


def _add_principal(ident: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """Add or merge a principal (same id and source family); returns the stored entry."""
    for p in ident["principals"]:
        if p.get("id") == entry["id"] and p.get("source") == entry["source"]:
            for g in entry.get("groups") or []:
                if g not in p.setdefault("groups", []):
                    p["groups"].append(g)
            for k in ("username", "entryType", "type"):
                if entry.get(k) and not p.get(k):
                    p[k] = entry[k]
            for a in entry.get("accessPolicies") or []:
                if a not in p.setdefault("accessPolicies", []):
                    p["accessPolicies"].append(a)
            return p
    ident["principals"].append(entry)
    return entry

"""Cloud cluster settings for EKS, AKS and GKE: exported JSON or live SDK reads -> cluster facts.

Inputs (``kubeguard scan --cloud SPEC``, repeatable)
----------------------------------------------------
* a file with the JSON that ``aws eks describe-cluster`` (and ``describe-nodegroup``,
  ``describe-addon``, ``list-access-entries``, ``describe-access-entry``,
  ``list-associated-access-policies``, ``list-pod-identity-associations``,
  ``describe-cluster-versions``, ``aws ec2 describe-subnets``,
  ``describe-launch-template-versions``, ``aws guardduty get-detector``), ``az aks show``
  (or the ARM REST document; ``az monitor diagnostic-settings list``) or
  ``gcloud container clusters describe --format=json`` (or ``clusters list``) prints;
* ``CLUSTER=FILE`` binds a file to a scanned cluster by name;
* ``eks://REGION/NAME``, ``gke://PROJECT/LOCATION/NAME``, ``aks://SUBSCRIPTION/RESOURCE_GROUP/NAME``
  read the same documents live through the extras ``aws``, ``gcp`` and ``azure``.

Documents are matched to the scanned clusters by cluster name, ARN, resource id,
self link or the kubeconfig context name gcloud writes (``gke_PROJECT_LOCATION_NAME``);
companions that name no cluster (subnets, launch templates, GuardDuty, an empty
diagnostic-settings list) follow the cluster whose subnets, launch templates or
account they describe.  One scanned cluster and one described cluster always match.
A document that matches nothing is a one-line warning; malformed JSON is a one-line
error naming the file.

``facts["cloud"]`` (one cluster; only allow-listed fields, provider spelling)
------------------------------------------------------------------------------
::

    provider: eks | aks | gke
    name, id, location            # ARN / ARM resource id / self link; region or zone
    cluster: {...}                # the cluster description with the provider's own field names:
                                  #   EKS the object under "cluster" of describe-cluster,
                                  #   AKS az aks show keys (REST input renamed to them),
                                  #   GKE proto3 JSON as gcloud prints it (absent = default)
    files: {part: [file, ...]}    # which file each part came from (for evidence and UNKNOWN reasons)
    # EKS companions (present only when their file was given):
    nodegroups: [nodegroup, ...]; addons: {name: addon}; subnets: {subnetId: subnet};
    launchTemplates: {templateId: {version: launchTemplateVersion}}; guardDuty: detector;
    clusterVersions: [...]; oidcProviders: [arn, ...]; accessEntries: [{principalArn, username, kubernetesGroups, type,
    accessPolicies: [{policyArn, accessScope}]}]; podIdentityAssociations: [...]
    # AKS companion:
    diagnosticSettings: [{id, name, logs: [{category, categoryGroup, enabled}], workspaceId, ...}]
    # GKE:
    project

Rules name evidence by the provider's field path: ``cluster.resourcesVpcConfig.endpointPublicAccess``
(EKS, as in the describe-cluster output), ``apiServerAccessProfile.enablePrivateCluster`` (AKS),
``nodePools[0].config.imageType`` (GKE).  Secret-bearing fields (GKE ``masterAuth.clientKey``,
AKS ``servicePrincipalProfile.secret``, EKS ``certificateAuthority.data``) keep only the marker
``"<present; value not kept>"``.

``facts["cloud"]["identity"]`` (cloud-side identity facts for RBAC and attack paths)
------------------------------------------------------------------------------------
``facts["identity"]`` is owned by :mod:`kubeguard.collect.cloud_identity` (RBAC schema:
``principals``, ``workloadIdentities``...); this reader adds to it, with origin ``export``,
the EKS access entries (with their access policies) and pod identity associations, and
keeps the fuller cloud-side picture below under ``facts["cloud"]["identity"]``.
Common keys: ``provider``; ``nodeIdentities``: ``[{pool, kind: aws-iam-role |
gcp-service-account | azure-managed-identity, id, ...}]``; ``oidcIssuer`` (EKS, AKS).

* EKS: ``authenticationMode`` (``API`` | ``API_AND_CONFIG_MAP`` | ``CONFIG_MAP``), ``configMapAuth``
  (aws-auth is honoured; the ConfigMap itself is read from the cluster objects),
  ``clusterCreator: {admin, visible}`` (in CONFIG_MAP mode an invisible system:masters user),
  ``accessEntries`` (as in ``facts["cloud"]``, None when not exported),
  ``workloadIdentity: {irsa, podIdentityAgent, podIdentityAssociations}``.
* GKE: ``project``, ``workloadIdentity: {pool}``, ``googleGroups: {enabled, securityGroup}``,
  ``legacyAbac``, ``localAccounts: {clientCertificate, basicAuth}``, ``insecureBindings``
  (``rbacBindingConfig``); node identities carry ``oauthScopes`` and ``metadataMode``.
* AKS: ``localAccounts: {enabled}`` (``listClusterAdminCredential`` yields system:masters),
  ``entra: {managed, adminGroupObjectIDs, tenantId}``, ``kubernetesRbac``, ``azureRbac``,
  ``workloadIdentity: {azureWorkloadIdentity, oidcIssuerEnabled, aadPodIdentity}``,
  ``kubeletIdentity: {clientId, objectId, resourceId}``, ``addonIdentities``, ``servicePrincipal``.
"""

from __future__ import annotations

import os
from pathlib import Path as FsPath
from typing import Any, Iterable

import orjson

from ...model.cloud import ClusterFacts
from ...model.collection import CollectionReport, InputIssue
from . import aks, eks, gke
from .base import CloudDoc, CloudError, CloudGroup

__all__ = ["CloudError", "attach_cloud", "read_cloud"]

READERS = {"eks": eks, "aks": aks, "gke": gke}
_LIVE = {"eks://": ("eks", 2), "gke://": ("gke", 3), "aks://": ("aks", 3)}
_EXPECTED = ("not a recognised cloud description (expected the JSON of aws eks describe-cluster/-nodegroup/-addon, "
             "az aks show, az monitor diagnostic-settings list or gcloud container clusters describe)")


def _display(p: str) -> str:
    try:
        rel = os.path.relpath(p)
    except ValueError:
        return p
    return p if rel.startswith("..") else rel.replace(os.sep, "/")


def _split_binding(spec: str) -> tuple[str | None, str]:
    """``CLUSTER=FILE`` -> (CLUSTER, FILE); a plain path (even one containing '=') -> (None, path)."""
    if spec.startswith(tuple(_LIVE)) or os.path.exists(spec) or "=" not in spec:
        return None, spec
    name, _, path = spec.partition("=")
    return (name, path) if name and "/" not in name and os.sep not in name else (None, spec)


def read_cloud(specs: Iterable[str], report: CollectionReport) -> list[CloudDoc]:
    """Parse every spec into recognised documents; problems go to ``report`` as one-line issues."""
    docs: list[CloudDoc] = []
    for spec in specs:
        bound, target = _split_binding(spec)
        try:
            found = _read_live(target) if target.startswith(tuple(_LIVE)) else _read_file(target)
        except CloudError as exc:
            report.add(InputIssue(str(exc), file=None if target.startswith(tuple(_LIVE)) else _display(target),
                                  resource="cloud", skipped="cloud settings from this input"))
            continue
        for label, doc in found:
            if isinstance(doc, InputIssue):
                report.add(doc)
                continue
            if bound:
                doc.names.add(bound)
            docs.append(doc)
    return docs


def _read_file(path: str) -> list[tuple[str, Any]]:
    shown = _display(path)
    try:
        data = FsPath(path).read_bytes()
    except OSError as exc:
        raise CloudError(f"cannot read cloud file: {exc.strerror}") from None
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise CloudError(f"invalid JSON in cloud file: {str(exc).split(':')[0]}") from None
    return [(shown, d) for d in _detect(doc, shown)]


def _detect(doc: Any, shown: str) -> list[CloudDoc]:
    if doc == []:
        return [aks.empty_diagnostics(shown)]
    for reader in READERS.values():
        found = reader.detect(doc, shown)
        if found is not None:
            return found
    raise CloudError(_EXPECTED)


def _read_live(uri: str) -> list[tuple[str, Any]]:
    for prefix, (provider, n) in _LIVE.items():
        if uri.startswith(prefix):
            parts = [p for p in uri[len(prefix):].split("/") if p]
            if len(parts) != n:
                shape = {"eks": "eks://REGION/NAME", "gke": "gke://PROJECT/LOCATION/NAME",
                         "aks": "aks://SUBSCRIPTION/RESOURCE_GROUP/NAME"}[provider]
                raise CloudError(f"{uri}: expected {shape}")
            out: list[tuple[str, Any]] = []
            for label, doc in READERS[provider].fetch(*parts):
                if doc is None:
                    out.append((label, InputIssue(f"{uri}: {label.removeprefix('warning: ')}", level="warning",
                                                  resource="cloud")))
                    continue
                out.extend((label, d) for d in _detect(doc, f"{uri} ({label})"))
            return out
    raise CloudError(f"{uri}: unknown cloud URI")


def group_documents(docs: list[CloudDoc], report: CollectionReport) -> list[CloudGroup]:
    """Gather the documents of each cloud cluster."""
    groups: list[CloudGroup] = []

    def find(provider: str, keys: set[str]) -> CloudGroup | None:
        return next((g for g in groups if g.provider == provider and g.keys & keys), None)

    def first_name(d: CloudDoc) -> str:
        return sorted(n for n in d.names if isinstance(n, str) and n)[0]

    for d in (d for d in docs if d.part == "cluster"):
        g = find(d.provider, d.keys)
        if g is None:
            g = CloudGroup(d.provider, str(d.data.get("name") or first_name(d)))
            groups.append(g)
        g.add(d)
    for d in (d for d in docs if d.part != "cluster" and d.keys):
        g = find(d.provider, d.keys)
        if g is None:
            g = CloudGroup(d.provider, first_name(d))
            groups.append(g)
        g.add(d)
    for d in (d for d in docs if d.part != "cluster" and not d.keys):
        candidates = [g for g in groups if g.provider == d.provider]
        if d.shared:
            for g in candidates:
                g.add(d)
            continue
        if d.links - {None}:
            candidates = [g for g in candidates if eks.links_of(g) & d.links]
        elif d.account and len(candidates) > 1:
            candidates = [g for g in candidates if _account(g) == d.account]
        if len(candidates) == 1:
            candidates[0].add(d)
        else:
            why = "no cluster of the scan" if not candidates else f"{len(candidates)} clusters"
            report.add(InputIssue(f"{d.part} names no cluster and could belong to {why}; bind it with "
                                  "--cloud CLUSTER=FILE", file=d.file, level="warning", resource="cloud"))
    return groups


def _account(g: CloudGroup) -> str | None:
    return next((d.account for d in g.parts.get("cluster", []) if d.account), None)


def attach_cloud(specs: Iterable[str], clusters: dict[str, ClusterFacts], report: CollectionReport,
                 create: bool = False) -> dict[str, ClusterFacts]:
    """Read ``specs`` and return the clusters whose facts gained ``cloud`` and ``identity`` (new objects).

    ``clusters`` are the scanned clusters by name; with ``create`` a described cluster that
    matches none of them becomes a cluster of its own (a scan of cloud settings only).
    """
    groups = group_documents(read_cloud(specs, report), report)
    names = list(clusters)
    assigned: dict[str, list[CloudGroup]] = {}
    for g in groups:
        hits = [n for n in names if n.lower() in g.keys]
        if len(hits) == 1:
            assigned.setdefault(hits[0], []).append(g)
        elif len(names) == 1 and len(groups) == 1:
            assigned.setdefault(names[0], []).append(g)
        elif create and not names:
            name = g.name
            if any(o.provider != g.provider for o in assigned.get(name, [])):
                name = f"{g.name}-{g.provider}"  # same name on two clouds
            assigned.setdefault(name, []).append(g)
        else:
            scanned = ", ".join(sorted(names)) or "none"
            for f in g.files:
                report.add(InputIssue(f"describes {g.provider} cluster {g.name!r}, which matches no scanned cluster "
                                      f"(scanned: {scanned}); name the scan with --cluster {g.name} or bind the "
                                      "file with --cloud CLUSTER=FILE", file=f, level="warning", resource="cloud"))
    out: dict[str, ClusterFacts] = {}
    for name, gs in assigned.items():
        g = gs[0]
        for other in gs[1:]:
            if other.provider != g.provider:
                report.add(InputIssue(f"cloud files describe both {g.provider} and {other.provider}; "
                                      f"the {other.provider} ones are ignored", cluster=name, level="warning"))
                continue
            for docs in other.parts.values():
                for d in docs:
                    g.add(d)
        reader = READERS[g.provider]
        cloud = reader.build(g)
        old = clusters.get(name) or ClusterFacts(name=name, source="cloud")
        if old.provider not in ("other", g.provider):
            report.add(InputIssue(f"looked like {old.provider}, but its cloud description says {g.provider}",
                                  cluster=name, level="warning"))
        facts = dict(old.facts)
        cloud["identity"] = reader.identity(cloud)
        facts["cloud"] = cloud
        facts["identity"] = _rbac_identity(facts.get("identity"), cloud)
        out[name] = ClusterFacts(name=name, provider=g.provider,
                                 kubernetes_version=old.kubernetes_version or _version(g.provider, cloud),
                                 facts=facts, source=old.source)
    return out


def _rbac_identity(old: Any, cloud: dict[str, Any]) -> dict[str, Any]:
    """EKS access entries and pod identity associations as ``export`` entries of the RBAC identity schema.

    ``facts["identity"]`` belongs to :mod:`kubeguard.collect.cloud_identity`, which recomputes it
    from ``facts["cloud"]`` and the cluster's objects and keeps the entries whose origin is
    ``export``; these are the ones only the exported companions can tell.
    """
    ident = dict(old) if isinstance(old, dict) else {}
    principals = [p for p in ident.get("principals") or [] if isinstance(p, dict)]
    links = [w for w in ident.get("workloadIdentities") or [] if isinstance(w, dict)]
    for e in cloud.get("accessEntries") or []:
        arn = e.get("principalArn")
        if not isinstance(arn, str) or any(p.get("id") == arn for p in principals):
            continue
        etype = str(e.get("type") or "STANDARD")
        groups = [g for g in e.get("kubernetesGroups") or [] if isinstance(g, str)]
        if etype.startswith(("EC2", "FARGATE_", "HYBRID_")):
            groups = sorted(set(groups) | {"system:nodes"})
        principals.append({
            "id": arn, "type": "aws-iam-user" if ":user/" in arn else "aws-iam-role", "username": e.get("username"),
            "groups": groups, "source": "eks access entry", "entryType": etype, "origin": "export",
            "accessPolicies": [{"policy": str(a.get("policyArn", "")).rsplit("/", 1)[-1],
                                "scope": (a.get("accessScope") or {}).get("type") or "cluster",
                                "namespaces": (a.get("accessScope") or {}).get("namespaces") or []}
                               for a in e.get("accessPolicies") or []]})
    for a in cloud.get("podIdentityAssociations") or []:
        if all(isinstance(a.get(k), str) for k in ("namespace", "serviceAccount", "roleArn")):
            link = {"namespace": a["namespace"], "serviceAccount": a["serviceAccount"], "provider": "aws",
                    "mechanism": "eks-pod-identity", "cloudIdentity": a["roleArn"], "origin": "export",
                    "source": f"pod identity association {a.get('associationId') or ''}".strip()}
            if a.get("targetRoleArn"):
                link["targetRoleArn"] = a["targetRoleArn"]
            if link not in links:
                links.append(link)
    ident.update({"provider": cloud["provider"], "principals": principals, "workloadIdentities": links})
    mode = ((cloud.get("cluster") or {}).get("accessConfig") or {}).get("authenticationMode")
    if mode:
        ident["authenticationMode"] = mode
    return ident


def _version(provider: str, cloud: dict[str, Any]) -> str | None:
    c = cloud.get("cluster") or {}
    v = {"eks": c.get("version"), "aks": c.get("currentKubernetesVersion") or c.get("kubernetesVersion"),
         "gke": c.get("currentMasterVersion")}[provider]
    return f"v{v}" if isinstance(v, str) and v and not v.startswith("v") else v

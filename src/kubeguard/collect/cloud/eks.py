"""Amazon EKS: the JSON that ``aws eks ...`` (and ``aws ec2``/``aws guardduty``) print, and live reading via boto3.

Recognised documents (one per file, as the AWS CLI prints them):

=============================================  =====================  ======================================
command                                        top-level key          stored under ``facts["cloud"]``
=============================================  =====================  ======================================
``aws eks describe-cluster``                   ``cluster``            ``cluster``
``aws eks describe-nodegroup``                 ``nodegroup``          ``nodegroups[]``
``aws eks describe-addon``                     ``addon``              ``addons{name}``
``aws eks list-access-entries``                ``accessEntries``      ``accessEntries[]`` (principal ARNs)
``aws eks describe-access-entry``              ``accessEntry``        ``accessEntries[]``
``aws eks list-associated-access-policies``    ``associatedAccessPolicies``  ``accessPolicies{principalArn}``
``aws eks list/describe-pod-identity-association(s)``  ``associations`` / ``association``  ``podIdentityAssociations[]``
``aws eks describe-cluster-versions``          ``clusterVersions``    ``clusterVersions[]``
``aws ec2 describe-subnets``                   ``Subnets``            ``subnets{SubnetId}``
``aws ec2 describe-launch-template-versions``  ``LaunchTemplateVersions``  ``launchTemplates{id}{version}``
``aws guardduty get-detector``                 ``Features`` + ``Status``    ``guardDuty``
``aws iam list-open-id-connect-providers``     ``OpenIDConnectProviderList``  ``oidcProviders[]`` (ARNs)
=============================================  =====================  ======================================
"""

from __future__ import annotations

from typing import Any

import orjson

from ._shape import PRESENT, dig, prune
from .base import CloudDoc, CloudError, CloudGroup

PROVIDER = "eks"

CLUSTER_SPEC = {
    "name": True, "arn": True, "version": True, "platformVersion": True, "status": True, "roleArn": True,
    "resourcesVpcConfig": True, "kubernetesNetworkConfig": True, "logging": True, "identity": True,
    "encryptionConfig": True, "accessConfig": True, "upgradePolicy": True, "computeConfig": True,
    "deletionProtection": True, "remoteNetworkConfig": True, "createdAt": True,
    "certificateAuthority": {"data": PRESENT},
}
NODEGROUP_SPEC = {
    "nodegroupName": True, "nodegroupArn": True, "clusterName": True, "version": True, "releaseVersion": True,
    "status": True, "capacityType": True, "amiType": True, "nodeRole": True, "subnets": True,
    "remoteAccess": True, "launchTemplate": True, "nodeRepairConfig": True, "instanceTypes": True,
}
ADDON_SPEC = {"addonName": True, "clusterName": True, "status": True, "addonVersion": True,
              "serviceAccountRoleArn": True, "podIdentityAssociations": True, "configurationValues": True}
ACCESS_ENTRY_SPEC = {"clusterName": True, "principalArn": True, "kubernetesGroups": True, "username": True,
                     "type": True, "accessEntryArn": True}
POLICIES_SPEC = {"clusterName": True, "principalArn": True,
                 "associatedAccessPolicies": [{"policyArn": True, "accessScope": True}]}
ASSOCIATION_SPEC = {"clusterName": True, "namespace": True, "serviceAccount": True, "roleArn": True,
                    "targetRoleArn": True, "associationArn": True, "associationId": True, "ownerArn": True}
SUBNET_SPEC = {"SubnetId": True, "VpcId": True, "MapPublicIpOnLaunch": True, "AvailabilityZone": True,
               "CidrBlock": True}
LT_SPEC = {"LaunchTemplateId": True, "LaunchTemplateName": True, "VersionNumber": True, "DefaultVersion": True,
           "LaunchTemplateData": {"MetadataOptions": True, "ImageId": True,
                                  "NetworkInterfaces": [{"AssociatePublicIpAddress": True, "DeviceIndex": True}]}}
GUARDDUTY_SPEC = {"Status": True, "ServiceRole": True, "Features": [{"Name": True, "Status": True,
                                                                     "AdditionalConfiguration": True}]}
VERSIONS_SPEC = {"clusterVersion": True, "versionStatus": True, "endOfStandardSupportDate": True,
                 "endOfExtendedSupportDate": True, "releaseDate": True}
# Only the add-on settings rules read: vpc-cni's network-policy switch.
_ADDON_CONFIG_KEYS = ("enableNetworkPolicy",)


def _account(arn: Any) -> str | None:
    parts = arn.split(":") if isinstance(arn, str) else []
    return parts[4] if len(parts) > 5 and parts[0] == "arn" and parts[4] else None


def detect(doc: Any, file: str) -> list[CloudDoc] | None:
    """The EKS/EC2/GuardDuty documents in ``doc``, or None when it is not one of them."""
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("cluster"), dict) and ("arn" in doc["cluster"] or "resourcesVpcConfig" in doc["cluster"]):
        c = prune(doc["cluster"], CLUSTER_SPEC)
        names = {c.get("name"), c.get("arn")}
        return [CloudDoc(PROVIDER, "cluster", c, file, names, account=_account(c.get("arn")))]
    if isinstance(doc.get("nodegroup"), dict):
        n = prune(doc["nodegroup"], NODEGROUP_SPEC)
        return [CloudDoc(PROVIDER, "nodegroup", n, file, {n.get("clusterName")}, account=_account(n.get("nodegroupArn")))]
    if isinstance(doc.get("addon"), dict):
        a = prune(doc["addon"], ADDON_SPEC)
        a["configurationValues"] = _addon_config(a.get("configurationValues"))
        if a["configurationValues"] is None:
            del a["configurationValues"]
        return [CloudDoc(PROVIDER, "addon", a, file, {a.get("clusterName")})]
    if isinstance(doc.get("accessEntry"), dict):
        e = prune(doc["accessEntry"], ACCESS_ENTRY_SPEC)
        return [CloudDoc(PROVIDER, "accessEntry", e, file, {e.get("clusterName")}, account=_account(e.get("principalArn")))]
    if isinstance(doc.get("accessEntries"), list) and all(isinstance(x, str) for x in doc["accessEntries"]):
        arns = list(doc["accessEntries"])
        return [CloudDoc(PROVIDER, "accessEntryList", arns, file, set(),
                         account=_account(arns[0]) if arns else None)]
    if isinstance(doc.get("associatedAccessPolicies"), list):
        p = prune(doc, POLICIES_SPEC)
        return [CloudDoc(PROVIDER, "accessPolicies", p, file, {p.get("clusterName")}, account=_account(p.get("principalArn")))]
    if isinstance(doc.get("associations"), list) or isinstance(doc.get("association"), dict):
        items = doc["associations"] if "associations" in doc else [doc["association"]]
        out = [prune(a, ASSOCIATION_SPEC) for a in items if isinstance(a, dict)]
        if not out:  # none: still an answer (Pod Identity is not in use), for the cluster of this input
            return [CloudDoc(PROVIDER, "podIdentityAssociationList", [], file, set())]
        return [CloudDoc(PROVIDER, "podIdentityAssociation", a, file, {a.get("clusterName")}) for a in out]
    if isinstance(doc.get("clusterVersions"), list):
        return [CloudDoc(PROVIDER, "clusterVersions", [prune(v, VERSIONS_SPEC) for v in doc["clusterVersions"]
                                                         if isinstance(v, dict)], file, set(), shared=True)]
    if isinstance(doc.get("OpenIDConnectProviderList"), list):  # aws iam list-open-id-connect-providers
        arns = [p.get("Arn") for p in doc["OpenIDConnectProviderList"] if isinstance(p, dict) and p.get("Arn")]
        return [CloudDoc(PROVIDER, "oidcProviders", arns, file, set(), account=_account(arns[0]) if arns else None)]
    if isinstance(doc.get("Subnets"), list):
        subnets = [prune(s, SUBNET_SPEC) for s in doc["Subnets"] if isinstance(s, dict)]
        return [CloudDoc(PROVIDER, "subnets", subnets, file, set(),
                         links={s.get("SubnetId") for s in subnets} | {s.get("VpcId") for s in subnets})]
    if isinstance(doc.get("LaunchTemplateVersions"), list):
        lts = [prune(v, LT_SPEC) for v in doc["LaunchTemplateVersions"] if isinstance(v, dict)]
        return [CloudDoc(PROVIDER, "launchTemplateVersions", lts, file, set(),
                         links={v.get("LaunchTemplateId") for v in lts})]
    if isinstance(doc.get("Features"), list) and "Status" in doc and ("ServiceRole" in doc or "FindingPublishingFrequency" in doc):
        g = prune(doc, GUARDDUTY_SPEC)
        return [CloudDoc(PROVIDER, "guardDuty", g, file, set(), account=_account(g.get("ServiceRole")))]
    return None


def _addon_config(text: Any) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        values = orjson.loads(text)
    except orjson.JSONDecodeError:
        try:  # configurationValues may also be YAML
            import yaml

            values = yaml.safe_load(text)
        except Exception:  # noqa: BLE001 - unreadable settings are simply not kept
            return None
    if not isinstance(values, dict):
        return None
    return orjson.dumps({k: values[k] for k in _ADDON_CONFIG_KEYS if k in values}).decode()


def links_of(group: CloudGroup) -> set[str]:
    """Ids that tie account-level documents (subnets, launch templates) to this cluster."""
    out: set[str] = set()
    c = group.cluster or {}
    out.update(dig(c, "resourcesVpcConfig", "subnetIds") or [])
    if dig(c, "resourcesVpcConfig", "vpcId"):
        out.add(c["resourcesVpcConfig"]["vpcId"])
    for ng in group.parts.get("nodegroup", []):
        out.update(ng.data.get("subnets") or [])
        lt = dig(ng.data, "launchTemplate", "id")
        if lt:
            out.add(lt)
    return {x for x in out if isinstance(x, str)}


def build(group: CloudGroup) -> dict[str, Any]:
    """The normalised ``facts["cloud"]`` for one EKS cluster."""
    out: dict[str, Any] = group.base()
    c = group.cluster
    if c is not None:
        out["id"] = c.get("arn")
        out["location"] = (c.get("arn") or "::::").split(":")[3] or None
    out["nodegroups"] = [d.data for d in group.parts.get("nodegroup", [])]
    out["addons"] = {d.data.get("addonName"): d.data for d in group.parts.get("addon", [])}
    subnets: dict[str, Any] = {}
    for d in group.parts.get("subnets", []):
        subnets.update({s["SubnetId"]: s for s in d.data if s.get("SubnetId")})
    if subnets or "subnets" in group.parts:
        out["subnets"] = subnets
    lts: dict[str, dict[str, Any]] = {}
    for d in group.parts.get("launchTemplateVersions", []):
        for v in d.data:
            lts.setdefault(str(v.get("LaunchTemplateId")), {})[str(v.get("VersionNumber"))] = v
    if lts:
        out["launchTemplates"] = lts
    if group.parts.get("guardDuty"):
        out["guardDuty"] = group.parts["guardDuty"][-1].data
    if "oidcProviders" in group.parts:
        out["oidcProviders"] = [a for d in group.parts["oidcProviders"] for a in d.data]
    if group.parts.get("clusterVersions"):
        out["clusterVersions"] = [v for d in group.parts["clusterVersions"] for v in d.data]
    entries: dict[str, dict[str, Any]] = {}
    for d in group.parts.get("accessEntryList", []):
        for arn in d.data:
            entries.setdefault(arn, {"principalArn": arn})
    for d in group.parts.get("accessEntry", []):
        entries.setdefault(d.data.get("principalArn"), {}).update(d.data)
    for d in group.parts.get("accessPolicies", []):
        entries.setdefault(d.data.get("principalArn"), {"principalArn": d.data.get("principalArn")})[
            "accessPolicies"] = d.data.get("associatedAccessPolicies") or []
    if group.parts.get("accessEntryList") or group.parts.get("accessEntry") or group.parts.get("accessPolicies"):
        out["accessEntries"] = [entries[k] for k in sorted(entries, key=str)]
    if "podIdentityAssociation" in group.parts or "podIdentityAssociationList" in group.parts:
        out["podIdentityAssociations"] = [d.data for d in group.parts.get("podIdentityAssociation", [])]
    return out


def identity(cloud: dict[str, Any]) -> dict[str, Any]:
    """Cloud-side identity facts (see the package docstring for the shape)."""
    c = cloud.get("cluster") or {}
    mode = dig(c, "accessConfig", "authenticationMode")
    creator = dig(c, "accessConfig", "bootstrapClusterCreatorAdminPermissions")
    addons = cloud.get("addons") or {}
    pod_identity_agent = (addons.get("eks-pod-identity-agent") or {}).get("status")
    return {
        "provider": PROVIDER,
        "authenticationMode": mode,
        "configMapAuth": mode in ("CONFIG_MAP", "API_AND_CONFIG_MAP") if mode else None,
        "clusterCreator": {
            # In CONFIG_MAP mode the creator is an invisible system:masters user no configuration shows.
            "admin": True if mode == "CONFIG_MAP" else creator,
            "visible": mode not in (None, "CONFIG_MAP"),
        },
        "accessEntries": cloud.get("accessEntries"),
        "oidcIssuer": dig(c, "identity", "oidc", "issuer"),
        "workloadIdentity": {
            "irsa": bool(dig(c, "identity", "oidc", "issuer")),
            "podIdentityAgent": pod_identity_agent,
            "podIdentityAssociations": cloud.get("podIdentityAssociations"),
        },
        "nodeIdentities": [
            {"pool": ng.get("nodegroupName"), "kind": "aws-iam-role", "id": ng.get("nodeRole")}
            for ng in cloud.get("nodegroups") or [] if ng.get("nodeRole")
        ] + ([{"pool": "auto-mode", "kind": "aws-iam-role", "id": dig(c, "computeConfig", "nodeRoleArn")}]
             if dig(c, "computeConfig", "nodeRoleArn") else []),
    }


# --- live reading (boto3, extra "aws") ----------------------------------------------

def fetch(region: str, name: str, session: Any = None) -> list[tuple[str, Any]]:
    """Describe one cluster and its companions through boto3; returns (label, document) pairs.

    Raises :class:`CloudError` with one line when boto3 or credentials are missing or
    the cluster cannot be described; companion calls that fail are skipped with a
    warning label so the rules needing them report UNKNOWN.  List calls follow
    ``nextToken``.  ``session`` is a ``boto3.session.Session`` (tests pass one whose
    clients are stubbed with botocore's Stubber); by default the standard credential
    chain and ``region`` are used.
    """
    try:
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError
    except ImportError:
        raise CloudError("reading EKS live needs the 'aws' extra: pip install 'kubeguard[aws]'") from None
    label = f"eks://{region}/{name}"
    try:
        session = session or boto3.session.Session(region_name=region or None)
        eks = session.client("eks")
        cluster = _plain(eks.describe_cluster(name=name))
    except NoCredentialsError:
        raise CloudError("no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID, or run aws sso login)") from None
    except NoRegionError:
        raise CloudError(f"{label}: no AWS region; write eks://REGION/NAME") from None
    except ClientError as exc:
        err = exc.response.get("Error", {})
        raise CloudError(f"{label}: {err.get('Code')}: {err.get('Message')}") from None
    except BotoCoreError as exc:
        raise CloudError(f"{label}: {exc}") from None
    docs: list[tuple[str, Any]] = [(label, cluster)]

    def call(what: str, fn, **kw) -> Any:
        try:
            return _plain(fn(**kw))
        except (ClientError, BotoCoreError) as exc:
            code = exc.response.get("Error", {}).get("Code") if isinstance(exc, ClientError) else str(exc)
            docs.append((f"warning: {what}: {code}", None))
            return None

    def listing(what: str, fn, key: str, **kw) -> list[Any] | None:
        """Every item of a paginated EKS list call (None when the call failed)."""
        items: list[Any] = []
        token = None
        while True:
            page = call(what, fn, **kw, **({"nextToken": token} if token else {}))
            if page is None:
                return None
            items.extend(page.get(key) or [])
            token = page.get("nextToken")
            if not token:
                return items

    def add(what: str, doc: Any) -> None:
        if doc:
            docs.append((what, doc))

    for ng in listing("list-nodegroups", eks.list_nodegroups, "nodegroups", clusterName=name) or []:
        add(f"describe-nodegroup {ng}", call(f"describe-nodegroup {ng}", eks.describe_nodegroup,
                                              clusterName=name, nodegroupName=ng))
    for addon in listing("list-addons", eks.list_addons, "addons", clusterName=name) or []:
        add(f"describe-addon {addon}", call(f"describe-addon {addon}", eks.describe_addon,
                                            clusterName=name, addonName=addon))
    entries = listing("list-access-entries", eks.list_access_entries, "accessEntries", clusterName=name)
    if entries is not None:
        docs.append(("list-access-entries", {"accessEntries": entries}))
        for arn in entries:
            add(f"describe-access-entry {arn}", call(f"describe-access-entry {arn}", eks.describe_access_entry,
                                                     clusterName=name, principalArn=arn))
            policies = listing(f"list-associated-access-policies {arn}", eks.list_associated_access_policies,
                               "associatedAccessPolicies", clusterName=name, principalArn=arn)
            if policies is not None:
                docs.append((f"list-associated-access-policies {arn}", {
                    "clusterName": name, "principalArn": arn, "associatedAccessPolicies": policies}))
    assoc = listing("list-pod-identity-associations", eks.list_pod_identity_associations, "associations",
                    clusterName=name)
    if assoc is not None:
        docs.append(("list-pod-identity-associations", {"associations": assoc}))
    version = dig(cluster, "cluster", "version")
    if isinstance(version, str):
        add("describe-cluster-versions", call("describe-cluster-versions", eks.describe_cluster_versions,
                                              clusterVersions=[version]))
    if dig(cluster, "cluster", "identity", "oidc", "issuer"):  # IRSA: is the issuer an IAM OIDC provider?
        add("iam list-open-id-connect-providers", call("iam list-open-id-connect-providers",
                                                       session.client("iam").list_open_id_connect_providers))
    ec2 = session.client("ec2")
    subnet_ids = sorted({s for _, d in docs if isinstance(d, dict) and "nodegroup" in d
                         for s in d["nodegroup"].get("subnets") or []})
    if subnet_ids:
        add("ec2 describe-subnets", call("ec2 describe-subnets", ec2.describe_subnets, SubnetIds=subnet_ids))
    for _, d in list(docs):
        lt = dig(d, "nodegroup", "launchTemplate") if isinstance(d, dict) else None
        if lt and lt.get("id"):
            add("ec2 describe-launch-template-versions", call(
                "ec2 describe-launch-template-versions", ec2.describe_launch_template_versions,
                LaunchTemplateId=lt["id"], Versions=[str(lt.get("version") or "$Default")]))
    gd = session.client("guardduty")
    for det in (call("guardduty list-detectors", gd.list_detectors) or {}).get("DetectorIds", [])[:1]:
        add("guardduty get-detector", call("guardduty get-detector", gd.get_detector, DetectorId=det))
    return docs


def _plain(resp: Any) -> Any:
    """boto3 responses as the AWS CLI prints them: datetimes as ISO strings, no ResponseMetadata."""
    if isinstance(resp, dict):
        resp = {k: v for k, v in resp.items() if k != "ResponseMetadata"}
    return orjson.loads(orjson.dumps(resp, default=str))

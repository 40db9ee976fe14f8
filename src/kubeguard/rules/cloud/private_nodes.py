"""Worker nodes get public IP addresses.

## What it checks
Every node pool: EKS node groups (`aws eks describe-nodegroup`) must sit in
subnets whose `MapPublicIpOnLaunch` is `false` (`aws ec2 describe-subnets`) and
their launch template must not set `NetworkInterfaces[].AssociatePublicIpAddress`;
without the subnet export the result is UNKNOWN.  AKS
`agentPoolProfiles[].enableNodePublicIp` must not be `true`.  GKE nodes are
private when `networkConfig.defaultEnablePrivateNodes` (older
`privateClusterConfig.enablePrivateNodes`) is `true`, unless a pool sets
`nodePools[].networkConfig.enablePrivateNodes: false`; a pool may also opt in.

## Why it matters
A node with a public address is one security-group mistake away from exposing
the kubelet, NodePorts and SSH to the internet, and it can reach the internet
without any egress control.

## Failing example
```json
{"agentPoolProfiles": [{"name": "nodepool1", "enableNodePublicIp": true}]}
```

## Passing example
```json
{"agentPoolProfiles": [{"name": "nodepool1", "enableNodePublicIp": false}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import MISSING, Cloud, applies_to, by_provider, eks_nodegroups
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL006",
    slug="private-nodes",
    title="Worker nodes have public IP addresses",
    severity="medium",
    category="cloud",
    tags=("cis-eks:5.4.3", "cis-aks:5.4.3", "cis-gke:5.6.5"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Nodes with public addresses expose the kubelet, NodePorts and SSH to the internet whenever a firewall "
        "rule slips, and bypass egress controls."
    ),
    remediation=(
        "EKS: place node groups in private subnets (MapPublicIpOnLaunch false) and do not associate public IPs "
        "in the launch template; AKS: create pools without --enable-node-public-ip; GKE: "
        "--enable-private-nodes on the cluster and its node pools."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/best-practices/subnets.html",
        "https://learn.microsoft.com/azure/aks/use-node-public-ips",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/latest/network-isolation",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0229", "C-0248"), "trivy": ("AVD-GCP-0059",)},
)

applies = applies_to()


def _eks(c: Cloud, params) -> Iterator[Violation]:
    nodegroups = eks_nodegroups(c)  # none in Auto Mode: its nodes get no public addresses in the cluster's subnets
    subnets = c.facts.get("subnets")
    templates = c.facts.get("launchTemplates") or {}
    unknown: list[str] = []
    for ng in nodegroups:
        name = ng.get("nodegroupName")
        lt = ng.get("launchTemplate") or {}
        version = templates.get(str(lt.get("id")), {}).get(str(lt.get("version")))
        for nic in c.at(version, ("LaunchTemplateData", "NetworkInterfaces")) or [] if version else []:
            if nic.get("AssociatePublicIpAddress") is True:
                yield c.fail(f"node group {name} launch template associates public IPs",
                             ("launchTemplate",), lt, part="nodegroup", root="nodegroup",
                             more={"LaunchTemplateData.NetworkInterfaces[].AssociatePublicIpAddress": True})
        public = []
        for sid in ng.get("subnets") or []:
            sub = (subnets or {}).get(sid)
            if sub is None:
                unknown.append(sid)
            elif sub.get("MapPublicIpOnLaunch") is True:
                public.append(sid)
        if public:
            yield c.fail(f"node group {name} runs in subnets that assign public IPs", ("subnets",), public,
                         part="nodegroup", root="nodegroup",
                         more={f"Subnets[SubnetId={s}].MapPublicIpOnLaunch": True for s in public})
    if unknown:
        raise c.unknown(f"subnets {', '.join(sorted(set(unknown)))} (aws ec2 describe-subnets)", "subnets")


def _aks(c: Cloud, params) -> Iterator[Violation]:
    for i, pool in enumerate(c.require("agentPoolProfiles")):
        if isinstance(pool, dict) and pool.get("enableNodePublicIp") is True:
            yield c.fail(f"agent pool {pool.get('name')} gives nodes public IPs",
                         ("agentPoolProfiles", i, "enableNodePublicIp"), True)


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    default_path = ("networkConfig", "defaultEnablePrivateNodes")
    if c.get(*default_path) in (MISSING, None):
        default_path = ("privateClusterConfig", "enablePrivateNodes")
    private = c.value(*default_path) is True
    for i, pool in enumerate(c.value("nodePools", default=[])):
        own = (pool.get("networkConfig") or {}).get("enablePrivateNodes")
        if own is False or (own is None and not private):
            path = ("nodePools", i, "networkConfig", "enablePrivateNodes")
            yield c.fail(f"node pool {pool.get('name')} has public nodes", path, own if own is not None else
                         c.get(*path), more={".".join(default_path): c.get(*default_path)})


evaluate = by_provider(eks=_eks, aks=_aks, gke=_gke)

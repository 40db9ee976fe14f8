"""Nodes do not run a minimal, container-optimised OS image.

## What it checks
EKS node groups' `nodegroup.amiType` must start with one of `eks_ami_prefixes`
(default Bottlerocket, `BOTTLEROCKET_`); EKS Auto Mode runs Bottlerocket and
passes; a `CUSTOM` AMI cannot be judged from the export (UNKNOWN).  AKS Linux
agent pools' `osSku` must be in `aks_os_skus` (Azure Linux by default).  GKE node
pools' `config.imageType` must be Container-Optimized OS (`COS_CONTAINERD`);
Autopilot always is.  Windows pools are not judged.

## Why it matters
A general-purpose distribution ships a package manager, shells and services an
attacker can use after a container escape; minimal images have a read-only root,
fewer packages to patch and verified boot paths.

## Failing example
```json
{"nodePools": [{"name": "default-pool", "config": {"imageType": "UBUNTU_CONTAINERD"}}]}
```

## Passing example
```json
{"nodePools": [{"name": "default-pool", "config": {"imageType": "COS_CONTAINERD"}}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, Violation
from kubeguard.rules._helpers.cloud import (
    Cloud,
    aks_linux_pools,
    applies_to,
    by_provider,
    eks_nodegroups,
    gke_standard_node_pools,
)
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="CL012",
    slug="node-os-image",
    title="Nodes do not run a container-optimised OS image",
    severity="low",
    category="cloud",
    tags=("cis-gke:5.5.1",),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "General-purpose node images carry shells, package managers and services that help an attacker after a "
        "container escape; minimal images shrink that surface and the patch load."
    ),
    remediation=(
        "EKS: use Bottlerocket AMI types (or Auto Mode); AKS: --os-sku AzureLinux for Linux pools; GKE: "
        "--image-type COS_CONTAINERD for every node pool."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/eks-optimized-ami-bottlerocket.html",
        "https://learn.microsoft.com/azure/azure-linux/intro-azure-linux",
        "https://cloud.google.com/kubernetes-engine/docs/concepts/node-images",
    ),
    params=(
        Param(name="eks_ami_prefixes", type="list[str]", default=["BOTTLEROCKET_"],
              description="Accepted prefixes of EKS nodegroup amiType (add AL2023_ to accept Amazon Linux 2023)."),
        Param(name="aks_os_skus", type="list[str]", default=["AzureLinux", "AzureLinux3", "AzureContainerLinux",
                                                              "CBLMariner"],
              description="Accepted osSku values of AKS Linux agent pools."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0226",), "trivy": ("AVD-GCP-0054",)},
)

applies = applies_to()


def _eks(c: Cloud, params) -> Iterator[Violation]:
    custom = []
    for ng in eks_nodegroups(c):
        ami = str(ng.get("amiType") or "")
        if ami == "CUSTOM":
            custom.append(str(ng.get("nodegroupName")))
        elif ami.startswith("WINDOWS_"):
            continue
        elif not ami.startswith(tuple(params.eks_ami_prefixes)):
            yield c.fail(f"node group {ng.get('nodegroupName')} runs a general-purpose AMI", ("amiType",),
                         ng.get("amiType"), part="nodegroup", root="nodegroup")
    if custom:
        raise NotEvaluated(f"node groups {', '.join(custom)} use a custom AMI; its OS is not in the export")


def _aks(c: Cloud, params) -> Iterator[Violation]:
    for i, p in aks_linux_pools(c):
        if p.get("osSku") not in params.aks_os_skus:
            yield c.fail(f"agent pool {p.get('name')} runs {p.get('osSku')}", ("agentPoolProfiles", i, "osSku"),
                         p.get("osSku"))


def _gke(c: Cloud, params) -> Iterator[Violation]:
    for i, p in enumerate(gke_standard_node_pools(c)):
        image = str(c.at(p, ("config", "imageType")) or "")
        if image.upper().startswith("WINDOWS"):
            continue
        if not image.upper().startswith("COS"):
            yield c.fail(f"node pool {p.get('name')} does not run Container-Optimized OS",
                         ("nodePools", i, "config", "imageType"), c.at(p, ("config", "imageType")))


evaluate = by_provider(eks=_eks, aks=_aks, gke=_gke)

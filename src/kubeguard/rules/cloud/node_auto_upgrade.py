"""Nodes are not kept up to date automatically.

## What it checks
EKS: EKS Auto Mode (`cluster.computeConfig.enabled: true`) upgrades nodes
itself; otherwise every node group (`aws eks describe-nodegroup`) must run the
control plane's minor version (`nodegroup.version` = `cluster.version`); without
node group exports the result is UNKNOWN.  AKS `autoUpgradeProfile.upgradeChannel`
must be `patch`, `stable`, `rapid` or `node-image`, and
`autoUpgradeProfile.nodeOsUpgradeChannel` `NodeImage` or `SecurityPatch`.  GKE
every `nodePools[].management.autoUpgrade` must be `true` (absent means off).

## Why it matters
Node images carry the kernel, container runtime and kubelet; nodes that lag
behind keep known container-escape and kubelet vulnerabilities for months.

## Failing example
```json
{"autoUpgradeProfile": {"upgradeChannel": "none", "nodeOsUpgradeChannel": "Unmanaged"}}
```

## Passing example
```json
{"autoUpgradeProfile": {"upgradeChannel": "patch", "nodeOsUpgradeChannel": "SecurityPatch"}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import (
    Cloud,
    applies_to,
    by_provider,
    eks_auto_mode,
    eks_nodegroups,
    gke_standard_node_pools,
)
from kubeguard.rules._helpers.support_calendar import minor_of
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL010",
    slug="node-auto-upgrade",
    title="Node pools are not upgraded automatically",
    severity="medium",
    category="cloud",
    tags=("cis-gke:5.5.3",),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Nodes carry the kernel, runtime and kubelet; without automatic upgrades they keep known escape and "
        "privilege-escalation vulnerabilities long after fixes ship."
    ),
    remediation=(
        "EKS: use Auto Mode or upgrade managed node groups with the control plane (aws eks "
        "update-nodegroup-version); AKS: az aks update --auto-upgrade-channel patch --node-os-upgrade-channel "
        "SecurityPatch; GKE: gcloud container node-pools update POOL --enable-autoupgrade."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/update-managed-node-group.html",
        "https://learn.microsoft.com/azure/aks/auto-upgrade-cluster",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-upgrades",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"trivy": ("AVD-GCP-0058",)},
)

applies = applies_to()
AKS_CHANNELS = ("patch", "stable", "rapid", "node-image")
AKS_OS_CHANNELS = ("NodeImage", "SecurityPatch")


def _eks(c: Cloud, params) -> Iterator[Violation]:
    if eks_auto_mode(c):
        return
    version = c.require("version")
    for ng in eks_nodegroups(c):
        if minor_of(ng.get("version")) != minor_of(version):
            yield c.fail(f"node group {ng.get('nodegroupName')} runs {ng.get('version')} under a {version} "
                         "control plane", ("version",), ng.get("version"), part="nodegroup", root="nodegroup",
                         more={"cluster.version": version})


def _aks(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    channel = c.value("autoUpgradeProfile", "upgradeChannel")
    if channel not in AKS_CHANNELS:
        yield c.fail("cluster auto-upgrade is off", ("autoUpgradeProfile", "upgradeChannel"), channel)
    os_channel = c.value("autoUpgradeProfile", "nodeOsUpgradeChannel")
    if os_channel not in AKS_OS_CHANNELS:
        yield c.fail("node OS images are not upgraded automatically", ("autoUpgradeProfile", "nodeOsUpgradeChannel"),
                     os_channel)


def _gke(c: Cloud, params) -> Iterator[Violation]:
    for i, p in enumerate(gke_standard_node_pools(c)):
        if c.at(p, ("management", "autoUpgrade")) is not True:
            yield c.fail(f"node pool {p.get('name')} has auto-upgrade off", ("nodePools", i, "management", "autoUpgrade"),
                         c.at(p, ("management", "autoUpgrade")))


evaluate = by_provider(eks=_eks, aks=_aks, gke=_gke)

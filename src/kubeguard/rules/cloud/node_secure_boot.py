"""Nodes boot without Secure Boot and integrity monitoring.

## What it checks
AKS Linux agent pools: `agentPoolProfiles[].securityProfile.enableSecureBoot`
and `enableVtpm` must be `true` (Trusted Launch).  GKE: `shieldedNodes.enabled`
must be `true` and every node pool's `config.shieldedInstanceConfig` must set
`enableSecureBoot` and `enableIntegrityMonitoring`.  EKS node groups have no such
setting in the EKS API, so the rule does not apply to EKS.

## Why it matters
Secure Boot and measured boot stop rootkits and tampered kernels from persisting
on a node after a compromise, and let the platform attest the node's identity.

## Failing example
```json
{"shieldedNodes": {}, "nodePools": [{"name": "p", "config": {"shieldedInstanceConfig": {}}}]}
```

## Passing example
```json
{"shieldedNodes": {"enabled": true}, "nodePools": [{"name": "p", "config": {"shieldedInstanceConfig":
  {"enableSecureBoot": true, "enableIntegrityMonitoring": true}}}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, aks_linux_pools, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL016",
    slug="node-secure-boot",
    title="Nodes boot without Secure Boot or integrity monitoring",
    severity="low",
    category="cloud",
    tags=("cis-gke:5.5.5", "cis-gke:5.5.6", "cis-gke:5.5.7"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Without Secure Boot and measured boot a compromised node can persist a rootkit or tampered kernel, "
        "and the platform cannot attest what booted."
    ),
    remediation=(
        "AKS: create Linux pools with --enable-secure-boot --enable-vtpm; GKE: --enable-shielded-nodes on the "
        "cluster and --shielded-secure-boot --shielded-integrity-monitoring on every node pool."
    ),
    references=(
        "https://learn.microsoft.com/azure/aks/use-trusted-launch",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/shielded-gke-nodes",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"trivy": ("AVD-GCP-0055",)},
)

applies = applies_to("aks", "gke")


def _aks(c: Cloud, params) -> Iterator[Violation]:
    for i, p in aks_linux_pools(c):
        sec = p.get("securityProfile") or {}
        for key in ("enableSecureBoot", "enableVtpm"):
            if sec.get(key) is not True:
                yield c.fail(f"agent pool {p.get('name')} runs without {key[6:]}",
                             ("agentPoolProfiles", i, "securityProfile", key), sec.get(key))


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    if c.value("shieldedNodes", "enabled") is not True:
        yield c.fail("Shielded GKE Nodes are off", ("shieldedNodes", "enabled"), c.get("shieldedNodes", "enabled"))
    for i, p in enumerate(c.value("nodePools", default=[])):
        for key in ("enableSecureBoot", "enableIntegrityMonitoring"):
            path = ("config", "shieldedInstanceConfig", key)
            if c.at(p, path) is not True:
                yield c.fail(f"node pool {p.get('name')} runs without {key[6:]}", ("nodePools", i, *path),
                             c.at(p, path))


evaluate = by_provider(aks=_aks, gke=_gke)

"""Pods cannot get cloud credentials of their own (workload identity is off).

## What it checks
EKS: IRSA needs the cluster's OIDC issuer (`cluster.identity.oidc.issuer`)
registered as an IAM OIDC provider (`aws iam list-open-id-connect-providers`), or
EKS Pod Identity must be in use (the `eks-pod-identity-agent` add-on active, or
pod identity associations exported); `describe-cluster` alone cannot decide it,
so without those exports the result is UNKNOWN.  AKS
`securityProfile.workloadIdentity.enabled` and `oidcIssuerProfile.enabled` must be
`true`, and the deprecated AAD pod identity (`podIdentityProfile.enabled`) off.
GKE `workloadIdentityConfig.workloadPool` must be set and every node pool must run
the GKE metadata server (`config.workloadMetadataConfig.mode: GKE_METADATA`).

## Why it matters
Without workload identity, pods that need cloud APIs use the node's identity
(shared by every pod on the node) or long-lived keys stored in Secrets; both turn
one compromised pod into broad cloud access.

## Failing example
```json
{"securityProfile": {"workloadIdentity": null}, "oidcIssuerProfile": {"enabled": false}}
```

## Passing example
```json
{"securityProfile": {"workloadIdentity": {"enabled": true}}, "oidcIssuerProfile": {"enabled": true}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider, gke_autopilot
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL007",
    slug="workload-identity",
    title="Workload identity is not enabled for pods",
    severity="medium",
    category="cloud",
    tags=("cis-eks:5.2.1", "cis-aks:5.2.1", "cis-gke:5.2.2", "mitre:T1552"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Without per-pod cloud identities, workloads share the node's credentials or keep static keys in "
        "Secrets, so a single compromised pod gets broad cloud access."
    ),
    remediation=(
        "EKS: associate an IAM OIDC provider with the cluster (eksctl utils associate-iam-oidc-provider) or "
        "install the eks-pod-identity-agent add-on; AKS: az aks update --enable-oidc-issuer "
        "--enable-workload-identity; GKE: --workload-pool=PROJECT.svc.id.goog and "
        "--workload-metadata=GKE_METADATA on every node pool."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html",
        "https://learn.microsoft.com/azure/aks/workload-identity-overview",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0225", "C-0239")},
)

applies = applies_to()


def _eks(c: Cloud, params) -> Iterator[Violation]:
    issuer = c.require("identity", "oidc", "issuer")
    agent = (c.facts.get("addons") or {}).get("eks-pod-identity-agent") or {}
    if agent.get("status") == "ACTIVE" or c.facts.get("podIdentityAssociations"):
        return
    providers = c.facts.get("oidcProviders")
    if providers is None:
        raise c.unknown("the IAM OIDC providers (aws iam list-open-id-connect-providers) and Pod Identity "
                        "add-on", "oidcProviders")
    host = issuer.split("://", 1)[-1].rstrip("/")
    if not any(str(arn).endswith(f"oidc-provider/{host}") for arn in providers):
        yield c.fail("the OIDC issuer is not registered in IAM and Pod Identity is not in use",
                     ("identity", "oidc", "issuer"), issuer)


def _aks(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    wi = c.value("securityProfile", "workloadIdentity", "enabled")
    oidc = c.value("oidcIssuerProfile", "enabled")
    if wi is not True or oidc is not True:
        yield c.fail("Azure workload identity is not enabled", ("securityProfile", "workloadIdentity", "enabled"),
                     wi, more={"oidcIssuerProfile.enabled": oidc})
    if c.value("podIdentityProfile", "enabled") is True:
        yield c.fail("the deprecated AAD pod identity is enabled", ("podIdentityProfile", "enabled"), True)


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    if gke_autopilot(c):
        return  # Autopilot always runs Workload Identity
    pool = c.value("workloadIdentityConfig", "workloadPool")
    if not pool:
        yield c.fail("Workload Identity is not enabled", ("workloadIdentityConfig", "workloadPool"),
                     c.get("workloadIdentityConfig", "workloadPool"))
        return
    for i, p in enumerate(c.value("nodePools", default=[])):
        mode = c.at(p, ("config", "workloadMetadataConfig", "mode"))
        if mode != "GKE_METADATA":
            yield c.fail(f"node pool {p.get('name')} does not run the GKE metadata server",
                         ("nodePools", i, "config", "workloadMetadataConfig", "mode"), mode)


evaluate = by_provider(eks=_eks, aks=_aks, gke=_gke)

"""Static or local cluster-admin credentials are enabled.

## What it checks
EKS `cluster.accessConfig.authenticationMode` must be `API` (access entries
only; `CONFIG_MAP` and `API_AND_CONFIG_MAP` still honour `aws-auth`) and
`bootstrapClusterCreatorAdminPermissions` must be `false`.  AKS
`disableLocalAccounts` must be `true` (otherwise `az aks get-credentials --admin`
hands out a `system:masters` certificate).  GKE must not have issued a client
certificate (`masterAuth.clientKey`/`clientCertificate` present or
`masterAuth.clientCertificateConfig.issueClientCertificate: true`) nor basic-auth
credentials (`masterAuth.username`/`password`).

## Why it matters
Local credentials bypass the identity provider: they cannot be revoked per user,
survive people leaving, and in EKS `CONFIG_MAP` mode the cluster creator is an
invisible `system:masters` user no configuration shows.

## Failing example
```json
{"cluster": {"accessConfig": {"authenticationMode": "CONFIG_MAP",
  "bootstrapClusterCreatorAdminPermissions": true}}}
```

## Passing example
```json
{"cluster": {"accessConfig": {"authenticationMode": "API",
  "bootstrapClusterCreatorAdminPermissions": false}}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL008",
    slug="local-cluster-credentials",
    title="Local or static cluster credentials are enabled",
    severity="high",
    category="cloud",
    tags=("cis-eks:4.1.7", "cis-aks:5.5.1", "cis-gke:5.8.1", "mitre:T1078"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Local admin certificates, aws-auth mappings and the implicit EKS creator bypass the identity provider: "
        "they cannot be revoked per person and often grant system:masters."
    ),
    remediation=(
        "EKS: aws eks update-cluster-config --access-config authenticationMode=API and remove the creator's "
        "admin access entry; AKS: az aks update --disable-local-accounts (requires Entra integration); GKE: "
        "rotate credentials and create clusters with --no-issue-client-certificate."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/grant-k8s-access.html",
        "https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0285", "C-0286"), "trivy": ("AVD-GCP-0064",)},
)

applies = applies_to()


def _eks(c: Cloud, params) -> Iterator[Violation]:
    mode = c.require("accessConfig", "authenticationMode")
    if mode != "API":
        yield c.fail("the aws-auth ConfigMap is still an authentication source",
                     ("accessConfig", "authenticationMode"), mode)
    creator = c.get("accessConfig", "bootstrapClusterCreatorAdminPermissions")
    if creator is True:
        yield c.fail("the cluster creator has implicit cluster-admin",
                     ("accessConfig", "bootstrapClusterCreatorAdminPermissions"), True)


def _aks(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    if c.value("disableLocalAccounts") is not True:
        yield c.fail("local accounts (admin kubeconfig in system:masters) are enabled", ("disableLocalAccounts",),
                     c.get("disableLocalAccounts"))


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    for key in ("clientKey", "clientCertificate"):
        if c.value("masterAuth", key):
            yield c.fail("a client certificate was issued for the cluster", ("masterAuth", key),
                         c.get("masterAuth", key))
            break
    else:
        if c.value("masterAuth", "clientCertificateConfig", "issueClientCertificate") is True:
            yield c.fail("client certificate issuance is enabled",
                         ("masterAuth", "clientCertificateConfig", "issueClientCertificate"), True)
    for key in ("username", "password"):
        if c.value("masterAuth", key):
            yield c.fail("basic authentication credentials exist", ("masterAuth", key), c.get("masterAuth", key))
            break


evaluate = by_provider(eks=_eks, aks=_aks, gke=_gke)

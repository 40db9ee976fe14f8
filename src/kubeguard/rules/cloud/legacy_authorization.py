"""A legacy authorization mode is on (ABAC, or RBAC disabled).

## What it checks
AKS `enableRbac` must be `true` (it cannot change after creation); GKE
`legacyAbac.enabled` must be absent or `false`.  EKS always runs the
`Node,RBAC,Webhook` authorizers and offers no legacy mode, so EKS clusters pass
by construction (`local-cluster-credentials` covers the legacy `aws-auth` path).

## Why it matters
ABAC grants static, file-defined permissions that RBAC cannot see or restrict;
a cluster without RBAC gives every authenticated identity full access.

## Failing example
```json
{"legacyAbac": {"enabled": true}}
```

## Passing example
```json
{"legacyAbac": {}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL009",
    slug="legacy-authorization",
    title="Legacy authorization is enabled (ABAC or no RBAC)",
    severity="critical",
    category="cloud",
    tags=("cis-aks:5.5.1", "cis-gke:5.8.3"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Legacy ABAC grants broad static permissions invisible to RBAC, and a cluster without RBAC lets every "
        "authenticated identity do anything."
    ),
    remediation=(
        "GKE: gcloud container clusters update --no-enable-legacy-authorization; AKS: RBAC cannot be enabled "
        "on an existing cluster, so recreate it with RBAC (the default) and Entra integration."
    ),
    references=(
        "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#leave_abac_disabled",
        "https://learn.microsoft.com/azure/aks/concepts-identity",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0088",), "trivy": ("AVD-GCP-0062", "AVD-AZU-0042")},
)

applies = applies_to()


def _eks(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")  # EKS has no legacy authorizer to turn on
    return iter(())


def _aks(c: Cloud, params) -> Iterator[Violation]:
    rbac = c.require("enableRbac")
    if rbac is not True:
        yield c.fail("Kubernetes RBAC is disabled", ("enableRbac",), rbac)


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    if c.value("legacyAbac", "enabled") is True:
        yield c.fail("legacy ABAC authorization is enabled", ("legacyAbac", "enabled"), True)


evaluate = by_provider(eks=_eks, aks=_aks, gke=_gke)

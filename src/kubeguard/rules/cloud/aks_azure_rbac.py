"""Kubernetes authorization is not managed with Azure RBAC.

## What it checks
`aadProfile.enableAzureRbac` must be `true` (Entra integration with Azure RBAC
for Kubernetes authorization).

## Why it matters
Azure RBAC keeps cluster permissions in the same reviewed, auditable role
assignments as the rest of the subscription, and removes them when identities
are deleted.

## Failing example
```json
{"aadProfile": null}
```

## Passing example
```json
{"aadProfile": {"managed": true, "enableAzureRbac": true}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL029",
    slug="aks-azure-rbac",
    title="Kubernetes authorization is not managed with Azure RBAC",
    severity="low",
    category="cloud",
    tags=('cis-aks:5.5.2',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'Azure RBAC keeps cluster permissions in the same reviewed, auditable role assignments as the '
        'rest of the subscription, and removes them when identities are deleted.'
    ),
    remediation="az aks update --enable-aad --enable-azure-rbac.",
    references=('https://learn.microsoft.com/azure/aks/manage-azure-rbac',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("aks")


def _aks(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    if c.value("aadProfile", "enableAzureRbac") is not True:
        yield c.fail("Azure RBAC for Kubernetes authorization is off", ("aadProfile", "enableAzureRbac"),
                     c.get("aadProfile", "enableAzureRbac"))


evaluate = by_provider(aks=_aks)

"""Google Groups for RBAC is not configured.

## What it checks
`authenticatorGroupsConfig.enabled` must be `true` with a `securityGroup` (`gke-
security-groups@DOMAIN`).

## Why it matters
Without group support RBAC binds individual accounts, which leaves stale grants
behind when people change roles.

## Failing example
```json
{"authenticatorGroupsConfig": {}}
```

## Passing example
```json
{"authenticatorGroupsConfig": {"enabled": true, "securityGroup": "gke-security-groups@example.com"}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL028",
    slug="gke-google-groups-rbac",
    title="Google Groups for RBAC is not configured",
    severity="low",
    category="cloud",
    tags=('cis-gke:5.8.2',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'Without group support RBAC binds individual accounts, which leaves stale grants behind when '
        'people change roles.'
    ),
    remediation="gcloud container clusters update CLUSTER --security-group=gke-security-groups@DOMAIN.",
    references=('https://cloud.google.com/kubernetes-engine/docs/how-to/google-groups-rbac',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    groups = c.value("authenticatorGroupsConfig", default={})
    if groups.get("enabled") is not True or not groups.get("securityGroup"):
        yield c.fail("Google Groups for RBAC is not configured", ("authenticatorGroupsConfig", "enabled"),
                     c.get("authenticatorGroupsConfig", "enabled"))


evaluate = by_provider(gke=_gke)

"""Cluster is an alpha cluster.

## What it checks
`enableKubernetesAlpha` must be absent or `false`.

## Why it matters
Alpha clusters run unsupported alpha features, get no SLA or upgrades and expire
after 30 days; they are not for production.

## Failing example
```json
{"enableKubernetesAlpha": true}
```

## Passing example
```json
{"name": "prod"}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL025",
    slug="gke-alpha-cluster",
    title="Cluster is an alpha cluster",
    severity="medium",
    category="cloud",
    tags=('cis-gke:5.10.2',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'Alpha clusters run unsupported alpha features, get no SLA or upgrades and expire after 30 days; '
        'they are not for production.'
    ),
    remediation="Recreate the cluster without --enable-kubernetes-alpha.",
    references=('https://cloud.google.com/kubernetes-engine/docs/concepts/alpha-clusters',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    if c.value("enableKubernetesAlpha") is True:
        yield c.fail("the cluster runs Kubernetes alpha features", ("enableKubernetesAlpha",), True)


evaluate = by_provider(gke=_gke)

"""Cloud Monitoring is off for the cluster.

## What it checks
`monitoringService` must be `monitoring.googleapis.com/kubernetes` (CIS GKE
5.7.1 asks for both Cloud Logging, see `control-plane-audit-logs`, and Cloud
Monitoring).

## Why it matters
Without monitoring, resource exhaustion, crash loops and abnormal behaviour that
often accompany an attack go unnoticed.

## Failing example
```json
{"monitoringService": "none"}
```

## Passing example
```json
{"monitoringService": "monitoring.googleapis.com/kubernetes"}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL027",
    slug="gke-cloud-monitoring",
    title="Cloud Monitoring is off for the cluster",
    severity="low",
    category="cloud",
    tags=('cis-gke:5.7.1',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'Without monitoring, resource exhaustion, crash loops and abnormal behaviour that often accompany '
        'an attack go unnoticed.'
    ),
    remediation="gcloud container clusters update CLUSTER --monitoring=SYSTEM.",
    references=('https://cloud.google.com/kubernetes-engine/docs/how-to/config-logging-monitoring',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    service = c.require("monitoringService")
    if service != "monitoring.googleapis.com/kubernetes":
        yield c.fail("Cloud Monitoring is off", ("monitoringService",), service)


evaluate = by_provider(gke=_gke)

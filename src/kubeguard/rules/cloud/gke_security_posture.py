"""GKE security posture dashboard is disabled.

## What it checks
`securityPostureConfig.mode` must be `BASIC` (or the deprecated `ENTERPRISE`);
absent or `DISABLED` fails.

## Why it matters
Security posture scans workloads for misconfigurations and known vulnerabilities
continuously, at no extra cost in BASIC mode.

## Failing example
```json
{"securityPostureConfig": {"mode": "DISABLED"}}
```

## Passing example
```json
{"securityPostureConfig": {"mode": "BASIC"}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL026",
    slug="gke-security-posture",
    title="GKE security posture dashboard is disabled",
    severity="low",
    category="cloud",
    tags=('cis-gke:5.10.4',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'Security posture scans workloads for misconfigurations and known vulnerabilities continuously, '
        'at no extra cost in BASIC mode.'
    ),
    remediation="gcloud container clusters update CLUSTER --security-posture=standard.",
    references=('https://cloud.google.com/kubernetes-engine/docs/concepts/about-security-posture-dashboard',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    mode = c.value("securityPostureConfig", "mode", default="DISABLED")
    if mode not in ("BASIC", "ENTERPRISE"):
        yield c.fail("security posture scanning is off", ("securityPostureConfig", "mode"),
                     c.get("securityPostureConfig", "mode"))


evaluate = by_provider(gke=_gke)

"""Cluster is routes-based rather than VPC-native.

## What it checks
`ipAllocationPolicy.useIpAliases` must be `true` (alias IP ranges for pods and
services).

## Why it matters
Routes-based clusters cannot use private clusters, anti-spoofing checks or
several network-security features.

## Failing example
```json
{"ipAllocationPolicy": {"useRoutes": true}}
```

## Passing example
```json
{"ipAllocationPolicy": {"useIpAliases": true}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL022",
    slug="gke-vpc-native",
    title="Cluster is routes-based rather than VPC-native",
    severity="low",
    category="cloud",
    tags=('cis-gke:5.6.2',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'Routes-based clusters cannot use private clusters, anti-spoofing checks or several network- '
        'security features.'
    ),
    remediation="Create a new cluster with --enable-ip-alias and migrate workloads; the setting cannot be changed in place.",
    references=('https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    if c.value("ipAllocationPolicy", "useIpAliases") is not True:
        yield c.fail("the cluster is not VPC-native", ("ipAllocationPolicy", "useIpAliases"),
                     c.get("ipAllocationPolicy", "useIpAliases"))


evaluate = by_provider(gke=_gke)

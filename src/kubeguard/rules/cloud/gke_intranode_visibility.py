"""Intranode visibility is off.

## What it checks
`networkConfig.enableIntraNodeVisibility` must be `true`, so pod-to-pod traffic
on one node passes the VPC (flow logs, firewall). VPC flow logs on the
subnetwork are outside the cluster description.

## Why it matters
Without it, traffic between pods on the same node never reaches VPC flow logs,
hiding lateral movement.

## Failing example
```json
{"networkConfig": {}}
```

## Passing example
```json
{"networkConfig": {"enableIntraNodeVisibility": true}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL021",
    slug="gke-intranode-visibility",
    title="Intranode visibility is off",
    severity="low",
    category="cloud",
    tags=('cis-gke:5.6.1',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'Without it, traffic between pods on the same node never reaches VPC flow logs, hiding lateral '
        'movement.'
    ),
    remediation="gcloud container clusters update CLUSTER --enable-intra-node-visibility, and enable flow logs on the node subnetwork.",
    references=('https://cloud.google.com/kubernetes-engine/docs/how-to/intranode-visibility',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    if c.value("networkConfig", "enableIntraNodeVisibility") is not True:
        yield c.fail("intranode visibility is off", ("networkConfig", "enableIntraNodeVisibility"),
                     c.get("networkConfig", "enableIntraNodeVisibility"))


evaluate = by_provider(gke=_gke)

"""Cluster is not enrolled in a release channel.

## What it checks
`releaseChannel.channel` must be set (`RAPID`, `REGULAR`, `STABLE` or
`EXTENDED`); absent or `UNSPECIFIED` means no channel.

## Why it matters
Outside a release channel, version management is manual and clusters drift to
unsupported versions.

## Failing example
```json
{"releaseChannel": {}}
```

## Passing example
```json
{"releaseChannel": {"channel": "REGULAR"}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL020",
    slug="gke-release-channel",
    title="Cluster is not enrolled in a release channel",
    severity="low",
    category="cloud",
    tags=('cis-gke:5.5.4',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'Outside a release channel, version management is manual and clusters drift to unsupported '
        'versions.'
    ),
    remediation="gcloud container clusters update CLUSTER --release-channel regular.",
    references=('https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    channel = c.value("releaseChannel", "channel", default="UNSPECIFIED")
    if channel == "UNSPECIFIED":
        yield c.fail("the cluster is not in a release channel", ("releaseChannel", "channel"),
                     c.get("releaseChannel", "channel"))


evaluate = by_provider(gke=_gke)

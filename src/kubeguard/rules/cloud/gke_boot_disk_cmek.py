"""Node boot disks are not encrypted with a customer-managed key.

## What it checks
Every node pool's `config.bootDiskKmsKey` must name a Cloud KMS key.

## Why it matters
Customer-managed keys let you audit and revoke access to node disks, which hold
container images, logs and emptyDir data.

## Failing example
```json
{"nodePools": [{"name": "p", "config": {}}]}
```

## Passing example
```json
{"nodePools": [{"name": "p", "config": {"bootDiskKmsKey": "projects/p/locations/l/keyRings/r/cryptoKeys/k"}}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL023",
    slug="gke-boot-disk-cmek",
    title="Node boot disks are not encrypted with a customer-managed key",
    severity="low",
    category="cloud",
    tags=('cis-gke:5.9.2',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'Customer-managed keys let you audit and revoke access to node disks, which hold container '
        'images, logs and emptyDir data.'
    ),
    remediation="Create node pools with --boot-disk-kms-key projects/P/locations/L/keyRings/R/cryptoKeys/K.",
    references=('https://cloud.google.com/kubernetes-engine/docs/how-to/using-cmek',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    for i, p in enumerate(c.value("nodePools", default=[])):
        if not c.at(p, ("config", "bootDiskKmsKey")):
            yield c.fail(f"node pool {p.get('name')} boot disks use Google-managed keys",
                         ("nodePools", i, "config", "bootDiskKmsKey"), c.at(p, ("config", "bootDiskKmsKey")))


evaluate = by_provider(gke=_gke)

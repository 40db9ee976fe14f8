"""Node pools have auto-repair disabled.

## What it checks
Every node pool's `management.autoRepair` must be `true` (absent means off);
Autopilot always repairs.

## Why it matters
Unhealthy nodes keep running workloads and drift from the pool's configuration
instead of being replaced.

## Failing example
```json
{"nodePools": [{"name": "default-pool", "management": {}}]}
```

## Passing example
```json
{"nodePools": [{"name": "default-pool", "management": {"autoRepair": true, "autoUpgrade": true}}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider, gke_standard_node_pools
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL019",
    slug="gke-node-auto-repair",
    title="Node pools have auto-repair disabled",
    severity="low",
    category="cloud",
    tags=('cis-gke:5.5.2',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Unhealthy nodes keep running workloads and drift from the pool's configuration instead of being "
        'replaced.'
    ),
    remediation="gcloud container node-pools update POOL --cluster CLUSTER --enable-autorepair.",
    references=('https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-repair',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    for i, p in enumerate(gke_standard_node_pools(c)):
        if c.at(p, ("management", "autoRepair")) is not True:
            yield c.fail(f"node pool {p.get('name')} has auto-repair off", ("nodePools", i, "management", "autoRepair"),
                         c.at(p, ("management", "autoRepair")))


evaluate = by_provider(gke=_gke)

"""Node pools run as the Compute Engine default service account.

## What it checks
Every node pool's `config.serviceAccount`: absent, `default` or `PROJECT_NUMBER-
compute@developer.gserviceaccount.com` is the Compute Engine default service
account.

## Why it matters
The default service account often holds the project Editor role; every pod that
reaches the node's credentials inherits it.

## Failing example
```json
{"nodePools": [{"name": "default-pool", "config": {"serviceAccount": "default"}}]}
```

## Passing example
```json
{"nodePools": [{"name": "default-pool", "config": {"serviceAccount": "gke-nodes@p.iam.gserviceaccount.com"}}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import MISSING, Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL018",
    slug="gke-default-node-service-account",
    title="Node pools run as the Compute Engine default service account",
    severity="medium",
    category="cloud",
    tags=('cis-gke:5.2.1',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'The default service account often holds the project Editor role; every pod that reaches the '
        "node's credentials inherits it."
    ),
    remediation="Create a least-privilege service account (roles/container.defaultNodeServiceAccount) and recreate node pools with --service-account.",
    references=('https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    for i, p in enumerate(c.value("nodePools", default=[])):
        sa = c.at(p, ("config", "serviceAccount"))
        if sa in (MISSING, None, "", "default") or str(sa).endswith("-compute@developer.gserviceaccount.com"):
            yield c.fail(f"node pool {p.get('name')} uses the Compute Engine default service account",
                         ("nodePools", i, "config", "serviceAccount"), sa)


evaluate = by_provider(gke=_gke)

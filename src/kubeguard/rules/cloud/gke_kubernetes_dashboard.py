"""The Kubernetes Dashboard add-on is enabled.

## What it checks
`addonsConfig.kubernetesDashboard.disabled` must be `true` when the (deprecated)
add-on block is present; an absent block means the add-on does not exist.

## Why it matters
The dashboard runs with broad permissions and has been a common entry point
(Tesla cryptojacking).

## Failing example
```json
{"addonsConfig": {"kubernetesDashboard": {}}}
```

## Passing example
```json
{"addonsConfig": {"kubernetesDashboard": {"disabled": true}}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL024",
    slug="gke-kubernetes-dashboard",
    title="The Kubernetes Dashboard add-on is enabled",
    severity="medium",
    category="cloud",
    tags=('cis-gke:5.10.1',),
    target="cluster",
    requires=("cloud",),
    rationale=(
        'The dashboard runs with broad permissions and has been a common entry point (Tesla '
        'cryptojacking).'
    ),
    remediation="gcloud container clusters update CLUSTER --update-addons=KubernetesDashboard=DISABLED.",
    references=('https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#disable_kubernetes_dashboard',),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("gke")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    dash = c.get("addonsConfig", "kubernetesDashboard")
    if isinstance(dash, dict) and dash.get("disabled") is not True:
        yield c.fail("the Kubernetes Dashboard add-on is enabled", ("addonsConfig", "kubernetesDashboard", "disabled"),
                     c.get("addonsConfig", "kubernetesDashboard", "disabled"))


evaluate = by_provider(gke=_gke)

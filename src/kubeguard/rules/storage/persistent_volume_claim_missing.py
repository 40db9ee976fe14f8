"""Pod mounts a PersistentVolumeClaim that does not exist.

## What it checks
Every `persistentVolumeClaim` volume of every pod spec, looked up in the pod's namespace.
Claims that StatefulSets create from `volumeClaimTemplates` are not volumes of the pod template
and are not checked here.  On a live cluster or snapshot a missing claim is a failure; in a
manifest scan only when the workload's folder defines other claims of the namespace (otherwise
UNKNOWN).

## Why it matters
A pod whose claim is missing stays Pending forever ("persistentvolumeclaim not found"), and
the workload never becomes available.

## Failing example
```yaml
volumes:
  - name: data
    persistentVolumeClaim: {claimName: web-dat}     # the claim is web-data
```

## Passing example
```yaml
volumes:
  - name: data
    persistentVolumeClaim: {claimName: web-data}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.refs import missing_references, volume_refs
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="ST005",
    slug="persistent-volume-claim-missing",
    title="Pod mounts a PersistentVolumeClaim that does not exist",
    severity="medium",
    category="storage",
    target="workload",
    requires=("PersistentVolumeClaim",),
    rationale="A pod whose PersistentVolumeClaim does not exist stays Pending and the workload never starts.",
    remediation="Create the claim in the pod's namespace or fix claimName.",
    references=("https://kubernetes.io/docs/concepts/storage/persistent-volumes/#claims-as-volumes",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"popeye": ("POP-407",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    refs = [r for r in volume_refs(pod) if r.kind == "PersistentVolumeClaim"]
    yield from missing_references(pod, ctx, refs, "the referenced PersistentVolumeClaims")

"""Volume claim requests no storage size.

## What it checks
Every PersistentVolumeClaim and every StatefulSet `volumeClaimTemplates` entry for a valid
`spec.resources.requests.storage` quantity.

## Why it matters
The API server rejects a claim without a storage request, and a StatefulSet whose template
lacks one cannot create its claims, so its pods never start.  An explicit size is also what
quota and cost controls count.

## Failing example
```yaml
volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce]}
```

## Passing example
```yaml
volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 10Gi}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.quantities import try_quantity
from kubeguard.rules._helpers.storage import claims
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="ST003",
    slug="claim-without-storage-request",
    title="Volume claim requests no storage size",
    severity="medium",
    category="storage",
    target="object",
    kinds=("PersistentVolumeClaim", "StatefulSet"),
    rationale=(
        "A claim without a valid storage request is rejected, so a StatefulSet with such a template never "
        "gets its volumes or pods."
    ),
    remediation="Set spec.resources.requests.storage on every claim and claim template.",
    references=(
        "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#persistentvolumeclaims",
        "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#volume-claim-templates",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubesec": ("VolumeClaimRequestsStorage",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    for label, spec, path in claims(obj):
        resources = spec.get("resources") if isinstance(spec.get("resources"), dict) else {}
        requests = resources.get("requests") if isinstance(resources.get("requests"), dict) else {}
        raw = requests.get("storage")
        where = path + ("resources", "requests", "storage")
        if raw is None:
            yield Violation(f"{label} requests no storage size", where)
        elif try_quantity(raw) is None or try_quantity(raw) <= 0:
            yield Violation(f"{label} storage request {raw!r} is not a positive quantity", where)

"""StatefulSet claim template does not ask for a single-writer volume.

## What it checks
Every StatefulSet `volumeClaimTemplates` entry for `accessModes` containing `ReadWriteOnce` or
`ReadWriteOncePod`.  Templates with no access modes (rejected by the API server) or with only
`ReadWriteMany`/`ReadOnlyMany` are reported.

## Why it matters
Each replica gets its own claim from the template, so a shared access mode buys nothing but
pushes provisioning to network file systems (NFS, EFS, Azure Files) with weaker consistency,
lower performance and broader access paths; and when replicas are meant to share data, a
per-replica template is the wrong construct.

## Failing example
```yaml
volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 10Gi}}}
```

## Passing example
```yaml
volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOncePod], resources: {requests: {storage: 10Gi}}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.storage import claims
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="ST004",
    slug="claim-template-shared-access-mode",
    title="StatefulSet claim template does not ask for a single-writer volume",
    severity="low",
    category="storage",
    target="object",
    kinds=("StatefulSet",),
    rationale=(
        "Per-replica claims gain nothing from shared access modes, which push provisioning to network file "
        "systems with weaker consistency and broader access."
    ),
    remediation="Use accessModes [ReadWriteOnce] (or ReadWriteOncePod) in volumeClaimTemplates.",
    references=("https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubesec": ("VolumeClaimAccessModeReadWriteOnce",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    for label, spec, path in claims(obj):
        modes = spec.get("accessModes")
        if not isinstance(modes, list) or not modes:
            yield Violation(f"{label} has no accessModes", path + ("accessModes",))
        elif not {"ReadWriteOnce", "ReadWriteOncePod"} & set(modes):
            yield Violation(f"{label} asks for {', '.join(map(str, modes))} for a per-replica volume",
                            path + ("accessModes",))

"""PersistentVolume exposes a host directory.

## What it checks
Every PersistentVolume of type `hostPath`.  (`local` volumes, which an administrator binds to
a dedicated disk with node affinity, are not reported.)

## Why it matters
Pod Security admission inspects `hostPath` volumes in pod specs but not the volumes behind
claims: any pod allowed to use the claim gets the host directory, bypassing the baseline
policy.  A hostPath PV of `/` or `/var/lib/kubelet` is node takeover through a claim.

## Failing example
```yaml
kind: PersistentVolume
spec:
  hostPath: {path: /var/data}
```

## Passing example
```yaml
kind: PersistentVolume
spec:
  local: {path: /mnt/disks/ssd1}
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-1]}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="ST007",
    slug="host-path-persistent-volume",
    title="PersistentVolume exposes a host directory",
    severity="high",
    category="storage",
    tags=("mitre:T1611",),
    target="object",
    kinds=("PersistentVolume",),
    rationale=(
        "hostPath PersistentVolumes give host filesystem access to any pod that can use the claim, "
        "bypassing Pod Security admission, which only checks hostPath in pod specs."
    ),
    remediation="Use a local PersistentVolume on a dedicated disk, or a CSI driver, instead of hostPath.",
    references=(
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        "https://kubernetes.io/docs/concepts/storage/volumes/#local",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    hp = obj.spec.get("hostPath")
    if isinstance(hp, dict):
        yield Violation(f"hostPath volume of host directory {hp.get('path')!r}", ("spec", "hostPath", "path"))

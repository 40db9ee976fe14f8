"""Pod uses a volume type outside the restricted allow-list.

## What it checks
Every volume of every pod spec against the Pod Security Standards restricted
control *Volume Types*: only `configMap`, `csi`, `downwardAPI`, `emptyDir`,
`ephemeral`, `image`, `persistentVolumeClaim`, `projected` and `secret` are
allowed.  A volume with no source is an `emptyDir` (the API server defaults it
so).  `hostPath` is reported by `host-path-volume`, not here, so the two rules
never report the same volume.

## Why it matters
The other volume types (`nfs`, `iscsi`, `rbd`, `cephfs`, `gitRepo`,
`flexVolume`, in-tree cloud disks...) let the pod author name storage
directly, bypassing PersistentVolume administration, or run code on the node
(`gitRepo` clones with the kubelet, `flexVolume` calls node binaries).

## Failing example
```yaml
volumes:
  - name: shared
    nfs:
      server: 10.0.0.5
      path: /exports
```

## Passing example
```yaml
volumes:
  - name: shared
    persistentVolumeClaim:
      claimName: shared
```

## Exceptions
Legacy workloads on in-tree volumes; move them to PersistentVolumes.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import RESTRICTED_VOLUME_SOURCES, volume_source
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL030",
    slug="restricted-volume-type",
    title="Pod uses a volume type outside the restricted allow-list",
    severity="medium",
    category="workload",
    tags=("pss:restricted",),
    target="workload",
    rationale=(
        "Volume types beyond the restricted list name storage directly, bypassing PersistentVolume "
        "administration, or run code on the node (gitRepo, flexVolume)."
    ),
    remediation="Use a persistentVolumeClaim (or csi, ephemeral, configMap, secret, projected, emptyDir) instead.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0028",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    raw = pod.spec.get("volumes")
    if not isinstance(raw, list):
        return
    for i, vol in enumerate(raw):
        if not isinstance(vol, dict):
            continue
        src = volume_source(vol)
        if src in RESTRICTED_VOLUME_SOURCES or src == "hostPath":
            continue
        yield Violation(f"volume {vol.get('name')!r} is of type {src}, not allowed by the restricted profile",
                        pod.path("volumes", i, src))

"""Workload is not updated with a rolling update.

## What it checks
* Deployments whose `spec.strategy.type` is `Recreate` (unless they run at most one replica and
  mount a PersistentVolumeClaim that is not ReadWriteMany: a rolling update would start the new
  pod while the old one holds the volume, and on another node it waits on the attachment
  forever, so `Recreate` is the right strategy there), or whose rolling update has
  `maxUnavailable: 100%`; a rolling update with both `maxSurge` and `maxUnavailable` at 0 is
  reported too, as the API server rejects it;
* StatefulSets and DaemonSets whose `spec.updateStrategy.type` is `OnDelete`.

## Why it matters
`Recreate` stops every old pod before starting new ones, so each deploy is an outage;
`OnDelete` never replaces pods at all until someone deletes them, so fixes and security patches
silently do not roll out.

## Failing example
```yaml
kind: Deployment
spec:
  strategy: {type: Recreate}
```

## Passing example
```yaml
kind: Deployment
spec:
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 0, maxSurge: 1}
```

## Exceptions
Other workloads that must never run two versions at once (schema migrations, singletons
holding a lock) need `Recreate` too; exempt them with that reason.

## Differences from kube-linter and Kubescape
no-rolling-update-strategy and C-0305 fail every `Recreate` Deployment, including the
single-replica ones with a ReadWriteOnce volume, for which a rolling update cannot complete.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, PodSpecView, Violation
from kubeguard.rules._helpers.workloads import declared_replicas
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL027",
    slug="rolling-update-disabled",
    title="Workload is not updated with a rolling update",
    severity="low",
    category="reliability",
    target="workload",
    rationale=(
        "Recreate takes every pod down before starting new ones, and OnDelete never rolls out changes, "
        "so deploys either cause outages or silently leave old versions running."
    ),
    remediation=(
        "Use strategy type RollingUpdate for Deployments and updateStrategy type RollingUpdate for "
        "StatefulSets and DaemonSets."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy",
        "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#update-strategies",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0305",), "kube-linter": ("no-rolling-update-strategy",),
           "kube-score": ("deployment-strategy",)},
)


def _zero(v: object) -> bool:
    return v in (0, "0", "0%")


def _single_writer_volume(pod: PodSpecView, cluster: ClusterInventory) -> bool:
    """A PVC volume whose claim is not ReadWriteMany (a claim missing from the input counts: most are RWO)."""
    for v in pod.volumes:
        claim = v.get("persistentVolumeClaim")
        if isinstance(claim, dict) and claim.get("claimName"):
            pvc = cluster.get("PersistentVolumeClaim", pod.namespace, str(claim["claimName"]))
            modes = pvc.spec.get("accessModes") if pvc is not None else None
            if not isinstance(modes, list) or "ReadWriteMany" not in modes:
                return True
    return False


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    obj = pod.obj
    if pod.base != ("spec", "template", "spec"):
        return
    spec = obj.spec
    if obj.kind == "Deployment":
        strategy = spec.get("strategy") if isinstance(spec.get("strategy"), dict) else {}
        if strategy.get("type") == "Recreate":
            if declared_replicas(obj)[0] <= 1 and _single_writer_volume(pod, ctx.cluster):
                return
            yield Violation("strategy Recreate stops every pod before starting the new version",
                            ("spec", "strategy", "type"))
            return
        ru = strategy.get("rollingUpdate") if isinstance(strategy.get("rollingUpdate"), dict) else {}
        if ru.get("maxUnavailable") == "100%":
            yield Violation("maxUnavailable 100% lets the rollout stop every pod at once",
                            ("spec", "strategy", "rollingUpdate", "maxUnavailable"))
        elif "maxSurge" in ru and "maxUnavailable" in ru and _zero(ru["maxSurge"]) and _zero(ru["maxUnavailable"]):
            yield Violation("maxSurge and maxUnavailable are both 0, which the API server rejects",
                            ("spec", "strategy", "rollingUpdate"))
    elif obj.kind in ("StatefulSet", "DaemonSet"):
        us = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
        if us.get("type") == "OnDelete":
            yield Violation(f"updateStrategy OnDelete never replaces running {obj.kind} pods on change",
                            ("spec", "updateStrategy", "type"))

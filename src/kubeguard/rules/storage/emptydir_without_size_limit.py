"""Scratch volume can grow without bound.

## What it checks
Every `emptyDir` volume without `sizeLimit`, unless the pod is bounded anyway:

* a disk-backed `emptyDir` counts against the pod's ephemeral storage, which is bounded when
  every init and app container has an effective ephemeral-storage limit;
* a memory-backed one (`medium: Memory`) counts against the pod's memory, which is bounded when
  every container has an effective memory limit (its size then defaults to that);
* a huge-page one (`medium: HugePages`, `HugePages-2Mi`...) is bounded by the pod's
  `hugepages-*` requests, which the API server requires, and is not reported.

Limits supplied by a namespace LimitRange count.

## Why it matters
An unbounded scratch volume lets one pod fill the node's disk (and have every pod on the node
evicted for disk pressure) or, for tmpfs, consume node memory outside any container limit.

## Failing example
```yaml
volumes:
  - name: tmp
    emptyDir: {}
```

## Passing example
```yaml
volumes:
  - name: tmp
    emptyDir: {sizeLimit: 1Gi}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.resources import effective_limit, limit_ranges, resource_containers
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="ST006",
    slug="emptydir-without-size-limit",
    title="Scratch volume can grow without bound",
    severity="low",
    category="storage",
    tags=("mitre:T1499",),
    target="workload",
    requires=("LimitRange",),
    rationale=(
        "An emptyDir without sizeLimit in a pod without storage or memory limits can fill the node's disk "
        "or memory and get every pod on the node evicted."
    ),
    remediation="Set emptyDir.sizeLimit, or give every container an ephemeral-storage (or memory, for tmpfs) limit.",
    references=(
        "https://kubernetes.io/docs/concepts/storage/volumes/#emptydir",
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    vols = [(i, v) for i, v in enumerate(pod.spec.get("volumes") or []) if isinstance(v, dict)
            and isinstance(v.get("emptyDir"), dict) and v["emptyDir"].get("sizeLimit") is None]
    if not vols:
        return
    lr = limit_ranges(ctx.cluster, pod.namespace)
    containers = list(resource_containers(pod))
    bounded = {res: all(effective_limit(c, res, lr).is_set for c in containers)
               for res in ("ephemeral-storage", "memory")}
    for i, v in vols:
        medium = v["emptyDir"].get("medium")
        if isinstance(medium, str) and medium.startswith("HugePages"):
            continue  # huge pages are pre-allocated and bounded by the pod's hugepages-* requests
        memory = medium == "Memory"
        res = "memory" if memory else "ephemeral-storage"
        if bounded[res]:
            continue
        kind = "memory-backed (tmpfs)" if memory else "disk-backed"
        yield Violation(f"{kind} emptyDir {v.get('name')!r} has no sizeLimit and not every container has a {res} "
                        "limit", pod.path("volumes", i, "emptyDir", "sizeLimit"))

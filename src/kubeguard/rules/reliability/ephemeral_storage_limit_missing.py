"""Container has no ephemeral-storage limit.

## What it checks
Every init container and app container of every pod spec for an effective
`resources.limits.ephemeral-storage`: set on the container, or supplied by a LimitRange of type
Container in the namespace (`default`, or `max` which LimitRange defaulting copies into
`default`).  A request alone does not count: only the limit bounds what the container may write.
Ephemeral containers are skipped because they cannot set resources; pod-level `spec.resources`
(Kubernetes 1.32+) bounds the whole pod.

## Why it matters
Container writable layers, logs and `emptyDir` volumes live on the node's disk.  Without a limit a
container that fills its scratch space, or an attacker writing junk, drives the node into
disk pressure and the kubelet evicts every pod on it, not only the culprit.

## Failing example
```yaml
containers:
  - name: app
    image: ghcr.io/example/app:1.4.2
    resources:
      limits: {cpu: 500m, memory: 256Mi}
```

## Passing example
```yaml
containers:
  - name: app
    image: ghcr.io/example/app:1.4.2
    resources:
      limits: {cpu: 500m, memory: 256Mi, ephemeral-storage: 1Gi}
```

## Exceptions
Clusters whose nodes have no local ephemeral storage isolation (very old kubelets) ignore the
limit; it is still recorded here because it is harmless there.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.resources import unset_violations
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL005",
    slug="ephemeral-storage-limit-missing",
    title="Container has no ephemeral-storage limit",
    severity="low",
    category="reliability",
    tags=("mitre:T1499",),
    target="workload",
    requires=("LimitRange",),
    rationale=(
        "Scratch space, logs and emptyDir volumes share the node's disk; one container without an "
        "ephemeral-storage limit can push the node into disk pressure and get every pod on it evicted."
    ),
    remediation=(
        "Set resources.limits.ephemeral-storage on every container, or add a LimitRange with a default "
        "ephemeral-storage limit for the namespace."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage",
        "https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kube-score": ("container-ephemeral-storage-request-and-limit",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from unset_violations(pod, ctx.cluster, "limits", "ephemeral-storage")

"""Container has no memory request.

## What it checks
Every init container and app container of every pod spec (Deployments, StatefulSets, DaemonSets,
Jobs, CronJobs, bare Pods and pod templates inside custom resources) for an effective
`resources.requests.memory`.
A request is effectively set when the container sets it, when it sets a limit (the API server copies
the limit into the missing request), or when a LimitRange of type Container in the namespace
supplies `defaultRequest`, `default`, `max` or `min` for it.
Ephemeral containers are skipped: the API does not allow resources on them.  A pod that sets
pod-level `spec.resources` (Kubernetes 1.32+) for the resource is bounded as a whole and passes.

## Why it matters
Memory is not compressible: when a node runs out, the kubelet evicts pods, starting with those that
use more than they requested. A container without a memory request is placed on nodes with no room
for it and is among the first to be evicted.

## Failing example
```yaml
containers:
  - name: app
    image: ghcr.io/example/app:1.4.2
    resources:
      requests:
        cpu: 100m
```

## Passing example
```yaml
containers:
  - name: app
    image: ghcr.io/example/app:1.4.2
    resources:
      requests:
        memory: 256Mi
```

## Exceptions
Defaults injected by mutating admission webhooks other than LimitRange are not visible in
manifests; scan the live cluster to see them.

## Differences from Checkov
As RL001 for memory (Checkov's CKV_K8S_12).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.resources import unset_violations
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL003",
    slug="memory-requests-missing",
    title="Container has no memory request",
    severity="medium",
    category="reliability",
    tags=("mitre:T1499",),
    target="workload",
    requires=("LimitRange",),
    rationale=(
        "Without a memory request the scheduler overcommits node memory and the kubelet evicts the pod first "
        "under memory pressure."
    ),
    remediation=(
        "Set resources.requests.memory on every container to its working set, or add a LimitRange with a "
        "defaultRequest for the namespace."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        "https://kubernetes.io/docs/concepts/policy/limit-range/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=False,
    peers={"kubescape": ("C-0004", "C-0269"), "trivy": ("KSV-0016",), "checkov": ("CKV_K8S_12",),
           "polaris": ("memoryRequestsMissing",), "kube-linter": ("unset-memory-requirements",),
           "kube-score": ("container-resources",), "kubesec": ("RequestsMemory",), "popeye": ("POP-106",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from unset_violations(pod, ctx.cluster, "requests", "memory")

"""Container has no memory limit.

## What it checks
Every init container and app container of every pod spec (Deployments, StatefulSets, DaemonSets,
Jobs, CronJobs, bare Pods and pod templates inside custom resources) for an effective
`resources.limits.memory`.
A limit is effectively set when the container sets it or when a LimitRange of type Container in
the namespace supplies `default` (or `max`, which LimitRange defaulting copies into `default`).
Ephemeral containers are skipped: the API does not allow resources on them.  A pod that sets
pod-level `spec.resources` (Kubernetes 1.32+) for the resource is bounded as a whole and passes.

## Why it matters
Without a limit a leaking or attacked container grows until the node is out of memory. The kernel's
OOM killer and kubelet evictions then hit other pods on the node, turning one fault into many.

## Failing example
```yaml
containers:
  - name: app
    image: ghcr.io/example/app:1.4.2
    resources:
      requests:
        memory: 128Mi
```

## Passing example
```yaml
containers:
  - name: app
    image: ghcr.io/example/app:1.4.2
    resources:
      limits:
        memory: 256Mi
```

## Exceptions
Defaults injected by mutating admission webhooks other than LimitRange are not visible in
manifests; scan the live cluster to see them.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.resources import unset_violations
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL004",
    slug="memory-limits-missing",
    title="Container has no memory limit",
    severity="medium",
    category="reliability",
    tags=("mitre:T1499",),
    target="workload",
    requires=("LimitRange",),
    rationale=(
        "A container without a memory limit can grow until the node runs out of memory; the kernel then kills"
        " processes of other pods, and a leak in one service becomes a node outage."
    ),
    remediation=(
        "Set resources.limits.memory on every container, or add a LimitRange with a default memory limit for "
        "the namespace."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        "https://kubernetes.io/docs/concepts/policy/limit-range/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=False,
    peers={"kubescape": ("C-0004", "C-0271", "C-0009"), "trivy": ("KSV-0018",), "checkov": ("CKV_K8S_13",),
           "polaris": ("memoryLimitsMissing",), "kube-linter": ("unset-memory-requirements",),
           "kube-score": ("container-resources",), "kubesec": ("LimitsMemory",), "popeye": ("POP-107",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from unset_violations(pod, ctx.cluster, "limits", "memory")

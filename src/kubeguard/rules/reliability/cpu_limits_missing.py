"""Container has no CPU limit.

## What it checks
Every init container and app container of every pod spec (Deployments, StatefulSets, DaemonSets,
Jobs, CronJobs, bare Pods and pod templates inside custom resources) for an effective
`resources.limits.cpu`.
A limit is effectively set when the container sets it or when a LimitRange of type Container in
the namespace supplies `default` (or `max`, which LimitRange defaulting copies into `default`).
Ephemeral containers are skipped: the API does not allow resources on them.  A pod that sets
pod-level `spec.resources` (Kubernetes 1.32+) for the resource is bounded as a whole and passes.

## Why it matters
Without a limit a single container can consume all CPU of its node. That is how cryptomining
payloads in compromised workloads go unnoticed while they degrade every neighbour, and how a bug
in one service becomes an outage of many.

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
        cpu: 250m
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
    code="RL002",
    slug="cpu-limits-missing",
    title="Container has no CPU limit",
    severity="medium",
    category="reliability",
    tags=("mitre:T1496", "mitre:T1499"),
    target="workload",
    requires=("LimitRange",),
    rationale=(
        "A container without a CPU limit can use every core of its node: a runaway loop, or a cryptominer "
        "planted through a compromised image, starves every other pod there."
    ),
    remediation=(
        "Set resources.limits.cpu on every container, or add a LimitRange with a default CPU limit for the "
        "namespace."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        "https://kubernetes.io/docs/concepts/policy/limit-range/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=False,
    peers={"kubescape": ("C-0050", "C-0270", "C-0009"), "trivy": ("KSV-0011",), "checkov": ("CKV_K8S_11",),
           "polaris": ("cpuLimitsMissing",), "kube-linter": ("unset-cpu-requirements",),
           "kube-score": ("container-resources",), "kubesec": ("LimitsCPU",), "popeye": ("POP-107",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from unset_violations(pod, ctx.cluster, "limits", "cpu")

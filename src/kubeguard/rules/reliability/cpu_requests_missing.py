"""Container has no CPU request.

## What it checks
Every init container and app container of every pod spec (Deployments, StatefulSets, DaemonSets,
Jobs, CronJobs, bare Pods and pod templates inside custom resources) for an effective
`resources.requests.cpu`.
A request is effectively set when the container sets it, when it sets a limit (the API server copies
the limit into the missing request), or when a LimitRange of type Container in the namespace
supplies `defaultRequest`, `default`, `max` or `min` for it.
Ephemeral containers are skipped: the API does not allow resources on them.  A pod that sets
pod-level `spec.resources` (Kubernetes 1.32+) for the resource is bounded as a whole and passes.

## Why it matters
The scheduler only reserves what containers request. A container without a CPU request is scheduled
onto nodes that are already full, gets the smallest share of CPU under contention, and makes the
Horizontal Pod Autoscaler's CPU utilisation targets meaningless.

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
      requests:
        cpu: 250m
```

## Exceptions
Defaults injected by mutating admission webhooks other than LimitRange are not visible in
manifests; scan the live cluster to see them.

## Differences from Checkov
Checkov's CKV_K8S_10 checks `containers` only. The scheduler sizes a pod by its largest init
container as well, so init containers without requests fail here too.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.resources import unset_violations
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL001",
    slug="cpu-requests-missing",
    title="Container has no CPU request",
    severity="medium",
    category="reliability",
    tags=("mitre:T1499",),
    target="workload",
    requires=("LimitRange",),
    rationale=(
        "Without a CPU request the scheduler places the pod as if it needed no CPU, so nodes get "
        "overcommitted and the pod is first to be starved when neighbours get busy."
    ),
    remediation=(
        "Set resources.requests.cpu on every container to its typical usage, or add a LimitRange with a "
        "defaultRequest for the namespace."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        "https://kubernetes.io/docs/concepts/policy/limit-range/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=False,
    peers={"kubescape": ("C-0050", "C-0268"), "trivy": ("KSV-0015",), "checkov": ("CKV_K8S_10",),
           "polaris": ("cpuRequestsMissing",), "kube-linter": ("unset-cpu-requirements",),
           "kube-score": ("container-resources",), "kubesec": ("RequestsCPU",), "popeye": ("POP-106",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from unset_violations(pod, ctx.cluster, "requests", "cpu")

"""Long-running container has no liveness probe.

## What it checks
Every app container (`containers[]`) of every long-running pod spec for `livenessProbe`.
Long-running means the owner is not a Job or CronJob and the pod's `restartPolicy` is
`Always` (the default); pods that run to completion are not expected to be probed.  Init
containers cannot have liveness probes (native sidecars may, but are not required to) and
ephemeral containers may not have probes at all, so neither is checked.

## Why it matters
Without a liveness probe a deadlocked or hung process keeps its container "running" forever:
the kubelet only restarts containers whose process exits or whose liveness probe fails.

## Failing example
```yaml
containers:
  - name: app
    image: ghcr.io/example/app:1.4.2
    readinessProbe: {httpGet: {path: /ready, port: http}}
```

## Passing example
```yaml
containers:
  - name: app
    image: ghcr.io/example/app:1.4.2
    livenessProbe: {httpGet: {path: /healthz, port: http}}
```

## Exceptions
Processes that exit on every fatal error (many Go and Rust services) gain little from a
liveness probe; a probe that checks dependencies does more harm than none (see RL012).

## Differences from Checkov
Checkov's CKV_K8S_8 also fails pods with `restartPolicy: Never` or `OnFailure`. They run to
completion, so a liveness probe has nothing to restart; this rule skips them.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.workloads import missing_probes
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL010",
    slug="liveness-probe-missing",
    title="Long-running container has no liveness probe",
    severity="low",
    category="reliability",
    target="workload",
    rationale=(
        "The kubelet restarts a container only when its process exits or its liveness probe fails; a hung "
        "process without a probe keeps serving errors or nothing at all until someone notices."
    ),
    remediation="Add a livenessProbe that checks the process itself (not its dependencies) to every app container.",
    references=(
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0056",), "checkov": ("CKV_K8S_8",), "polaris": ("livenessProbeMissing",),
           "kube-linter": ("no-liveness-probe",), "kube-score": ("pod-probes",), "popeye": ("POP-102", "POP-103")},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from missing_probes(pod, "livenessProbe")

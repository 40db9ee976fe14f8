"""Long-running container has no readiness probe.

## What it checks
Every app container of every long-running pod spec (not a Job or CronJob, `restartPolicy`
`Always`) for `readinessProbe`.  Init containers and ephemeral containers are not checked:
the API rejects readiness probes on them (native sidecars excepted).

## Why it matters
Without a readiness probe a pod receives Service traffic the moment its containers start,
before the application listens, and keeps receiving it while overloaded or draining.  Rolling
updates also count such pods as available at once, so a broken release replaces every
healthy pod.

## Failing example
```yaml
containers:
  - name: app
    image: ghcr.io/example/app:1.4.2
```

## Passing example
```yaml
containers:
  - name: app
    image: ghcr.io/example/app:1.4.2
    readinessProbe: {httpGet: {path: /ready, port: 8080}}
```

## Exceptions
Pods that serve no traffic and are not rolled out with maxUnavailable (a node agent that only
ships logs) may skip it; exempt them by name.

## Differences from Checkov
As RL010: run-to-completion pods receive no Service traffic that a readiness probe would gate, so
Checkov's CKV_K8S_9 failures on them are not repeated here.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.workloads import missing_probes
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL011",
    slug="readiness-probe-missing",
    title="Long-running container has no readiness probe",
    severity="low",
    category="reliability",
    target="workload",
    rationale=(
        "Without a readiness probe pods get traffic before they can serve it, and rolling updates count "
        "broken pods as available, so a bad release replaces every healthy replica."
    ),
    remediation="Add a readinessProbe that reports whether the container can serve requests now.",
    references=(
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0018",), "checkov": ("CKV_K8S_9",), "polaris": ("readinessProbeMissing",),
           "kube-linter": ("no-readiness-probe",), "kube-score": ("pod-probes",), "popeye": ("POP-102", "POP-104")},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from missing_probes(pod, "readinessProbe")

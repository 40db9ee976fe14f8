"""Containers of the pod share one process namespace.

## What it checks
Every pod spec for `shareProcessNamespace: true`.

## Why it matters
With a shared process namespace every container sees the others' processes,
can signal them and read their `/proc/<pid>/environ` and `/proc/<pid>/root`:
the secrets, tokens and files of a sidecar (a service mesh proxy, a
credentials agent) become reachable from the least trusted container of the
pod.

## Failing example
```yaml
spec:
  shareProcessNamespace: true
  containers:
    - name: app
      image: app:1.0
    - name: proxy
      image: envoyproxy/envoy:v1.31.0
```

## Passing example
```yaml
spec:
  containers:
    - name: app
      image: app:1.0
    - name: proxy
      image: envoyproxy/envoy:v1.31.0
```

## Exceptions
Debugging set-ups and sidecars that reload the main process by signal use it
deliberately; exempt them by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL034",
    slug="shared-process-namespace",
    title="Containers of the pod share one process namespace",
    severity="low",
    category="workload",
    tags=("mitre:T1080",),
    target="workload",
    rationale=(
        "A shared process namespace lets every container read the others' environment, files and tokens through "
        "/proc and signal their processes."
    ),
    remediation="Remove spec.shareProcessNamespace or set it to false.",
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if pod.spec.get("shareProcessNamespace") is True:
        yield Violation("shareProcessNamespace is true: containers see and can signal each other's processes",
                        pod.path("shareProcessNamespace"))

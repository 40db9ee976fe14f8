"""Liveness and readiness probes of a container check the same thing.

## What it checks
Every container (app containers and native sidecars) that has both a `livenessProbe` and a
`readinessProbe` whose handlers are identical: the same `exec` command, the same `httpGet`
(path, port, host, scheme, headers), the same `tcpSocket` or the same `grpc` endpoint.
Timing fields (`periodSeconds`, thresholds...) are not compared: with the same handler the
two probes still fail together.

## Why it matters
Readiness answers "should this pod get traffic now?", liveness "is the process stuck beyond
repair?".  When both run the same check, a slow dependency or a burst of load makes every
replica fail liveness at the same time and the kubelet restarts them all, turning a brown-out
into an outage.

## Failing example
```yaml
livenessProbe: {httpGet: {path: /health, port: 8080}}
readinessProbe: {httpGet: {path: /health, port: 8080}, periodSeconds: 5}
```

## Passing example
```yaml
livenessProbe: {httpGet: {path: /livez, port: 8080}}
readinessProbe: {httpGet: {path: /readyz, port: 8080}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL012",
    slug="identical-liveness-readiness-probes",
    title="Liveness and readiness probes of a container check the same thing",
    severity="low",
    category="reliability",
    target="workload",
    rationale=(
        "A liveness probe identical to the readiness probe fails on every replica at once under load or "
        "when a dependency is slow, and the kubelet then restarts them all."
    ),
    remediation=(
        "Make the liveness probe check only that the process is alive (and readiness that it can serve), "
        "or drop the liveness probe."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-score": ("pod-probes-identical",)},
)

HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")


def handler(probe: object) -> tuple | None:
    if not isinstance(probe, dict):
        return None
    for h in HANDLERS:
        if h in probe:
            return h, _freeze(probe[h])
    return None


def _freeze(v: object) -> object:
    if isinstance(v, dict):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    return v


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        live, ready = handler(c.raw.get("livenessProbe")), handler(c.raw.get("readinessProbe"))
        if live is not None and live == ready:
            yield Violation(f"container {c.name!r} uses the same {live[0]} check for liveness and readiness",
                            c.path("livenessProbe"), container=c.name)

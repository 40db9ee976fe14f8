"""Probe refers to a port the container does not declare.

## What it checks
The `httpGet.port`, `tcpSocket.port` and `grpc.port` of every liveness, readiness and startup
probe of every container (native sidecars included):

* a named port must match the `name` of one of the container's own `ports[]`; the kubelet
  resolves it there and the probe fails with "port not found" otherwise;
* a numeric port must be between 1 and 65535, and a gRPC port must be a number;
* a quoted number (`port: "8080"`) is a string, which the API validates as a port name and
  rejects.

Numeric ports need not be listed in `ports[]` (the list is informational), so they are not
reported when absent.

## Why it matters
A probe that can never succeed keeps the pod unready (readiness) or restarts it forever
(liveness, startup); typos in port names are the usual cause and surface only after deploy.

## Failing example
```yaml
ports: [{name: http, containerPort: 8080}]
livenessProbe: {httpGet: {path: /healthz, port: htpp}}
```

## Passing example
```yaml
ports: [{name: http, containerPort: 8080}]
livenessProbe: {httpGet: {path: /healthz, port: http}}
```

## Differences from kube-linter
liveness-port, readiness-port and startup-port also fail a numeric probe port the container
does not list in `ports`.  The kubelet probes the number whatever `ports` says (the list is
informational), so such a probe works and this rule passes it.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL013",
    slug="probe-port-not-declared",
    title="Probe refers to a port the container does not declare",
    severity="medium",
    category="reliability",
    target="workload",
    rationale=(
        "A probe aimed at an undeclared port name or an impossible port number can never pass: the pod "
        "stays unready or is restarted in a loop."
    ),
    remediation="Point the probe at a port name listed in the container's ports, or at a valid port number.",
    references=(
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-linter": ("liveness-port", "readiness-port", "startup-port")},
)

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        names = {p.get("name") for p in c.ports if isinstance(p.get("name"), str)}
        for probe_name in PROBES:
            probe = c.raw.get(probe_name)
            if not isinstance(probe, dict):
                continue
            for h in ("httpGet", "tcpSocket", "grpc"):
                spec = probe.get(h)
                if not isinstance(spec, dict) or "port" not in spec:
                    continue
                port, path = spec["port"], c.path(probe_name, h, "port")
                what = f"container {c.name!r} {probe_name}"
                if isinstance(port, bool) or not isinstance(port, (int, str)):
                    yield Violation(f"{what} port is not a number or a name", path, container=c.name)
                elif isinstance(port, int):
                    if not 1 <= port <= 65535:
                        yield Violation(f"{what} port {port} is outside 1-65535", path, container=c.name)
                elif port.isdigit():
                    yield Violation(f"{what} port {port!r} is a quoted number; the API reads it as a port name "
                                    "and rejects it", path, container=c.name)
                elif h == "grpc":
                    yield Violation(f"{what} gRPC port must be a number, not the name {port!r}", path,
                                    container=c.name)
                elif port not in names:
                    yield Violation(f"{what} uses port name {port!r}, which the container does not declare",
                                    path, container=c.name)

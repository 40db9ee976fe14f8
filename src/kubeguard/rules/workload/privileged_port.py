"""Container listens on a privileged port (below 1024).

## What it checks
Every `containerPort` of every container, init container and ephemeral
container for a value from 1 to 1023.

## Why it matters
Binding a port below 1024 needs root or `NET_BIND_SERVICE` in the container
(unless the pod lowers `net.ipv4.ip_unprivileged_port_start`).  Such a
container cannot run with all capabilities dropped as a non-root user; a high
port and a Service mapping `port: 80` to it can.

## Failing example
```yaml
ports:
  - containerPort: 80
```

## Passing example
```yaml
ports:
  - containerPort: 8080
```

## Exceptions
Images that cannot change their port; add back `NET_BIND_SERVICE` only.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.securitycontext import container_ports
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL036",
    slug="privileged-port",
    title="Container listens on a privileged port (below 1024)",
    severity="low",
    category="workload",
    target="workload",
    rationale=(
        "A port below 1024 needs root or NET_BIND_SERVICE in the container, which keeps it from running fully "
        "unprivileged."
    ),
    remediation="Listen on a port of 1024 or above and map the public port in the Service.",
    references=("https://docs.kubelinter.io/#/generated/checks?id=privileged-ports",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0117",), "kube-linter": ("privileged-ports",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        for j, p in container_ports(c):
            port = p.get("containerPort")
            if isinstance(port, int) and not isinstance(port, bool) and 0 < port < 1024:
                yield Violation(f"container {c.name!r} listens on privileged port {port}",
                                c.path("ports", j, "containerPort"), container=c.name)


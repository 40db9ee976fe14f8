"""Container listens on a privileged port (below 1024).

## What it checks
Every `containerPort` of every container, init container and ephemeral
container for a value from 1 to 1023, or below the pod's own
`net.ipv4.ip_unprivileged_port_start` sysctl when it sets one (ignored with
`hostNetwork`, where the pod cannot set network sysctls).  Windows pods are
skipped: Windows has no privileged ports.

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
containerd 2 and Docker set `ip_unprivileged_port_start` to 0 in every
container by default; the manifest does not show that, so the rule, like its
peers, still reports the port.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.securitycontext import container_ports, is_windows
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


_UNPRIVILEGED_START = ("net.ipv4.ip_unprivileged_port_start", "net/ipv4/ip_unprivileged_port_start")


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if is_windows(pod.spec):
        return
    start = _unprivileged_start(pod)
    for c in pod.all_containers():
        for j, p in container_ports(c):
            port = p.get("containerPort")
            if isinstance(port, int) and not isinstance(port, bool) and 0 < port < start:
                yield Violation(f"container {c.name!r} listens on privileged port {port} (below {start})",
                                c.path("ports", j, "containerPort"), container=c.name)


def _unprivileged_start(pod: PodSpecView) -> int:
    """The first port a process may bind without NET_BIND_SERVICE: the pod's sysctl, else 1024."""
    sysctls = pod.security_context.get("sysctls")
    if pod.spec.get("hostNetwork") is True or not isinstance(sysctls, list):
        return 1024
    for s in sysctls:
        if isinstance(s, dict) and s.get("name") in _UNPRIVILEGED_START:
            value = str(s.get("value", "")).strip()
            if value.isdigit():
                return int(value)
    return 1024

"""Container exposes an SSH port.

## What it checks
Every `containerPort` of every container, init container and ephemeral
container for the ports in `ports` (22 by default).

## Why it matters
An SSH server inside a container is a second, unmanaged way in: long-lived
keys or passwords, no audit through the Kubernetes API, and a foothold for
lateral movement if anything reaches the port.

## Failing example
```yaml
ports:
  - containerPort: 22
```

## Passing example
```yaml
ports:
  - containerPort: 8080
```

## Exceptions
Git servers and bastions that serve SSH as their product; exempt them by name.
Use `kubectl exec` or ephemeral containers for access instead of sshd.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.securitycontext import container_ports
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="WL037",
    slug="ssh-port-exposed",
    title="Container exposes an SSH port",
    severity="medium",
    category="workload",
    tags=("mitre:T1021.004",),
    target="workload",
    rationale=(
        "An SSH server in a container is an unmanaged way in, with its own credentials and no audit through the "
        "Kubernetes API."
    ),
    remediation="Remove the SSH server and its port; use kubectl exec or ephemeral debug containers for access.",
    references=("https://docs.kubelinter.io/#/generated/checks?id=ssh-port",),
    params=(Param(name="ports", type="list[int]", default=[22], description="Container ports that mean an SSH server."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0042",), "kube-linter": ("ssh-port",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    ssh = ctx.params.ports
    for c in pod.all_containers():
        for j, p in container_ports(c):
            if p.get("containerPort") in ssh:
                yield Violation(f"container {c.name!r} exposes SSH port {p['containerPort']}",
                                c.path("ports", j, "containerPort"), container=c.name)

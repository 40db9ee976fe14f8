"""Pod or container runs with the root group (GID 0).

## What it checks
`runAsGroup: 0` on the pod or on any container, init container or ephemeral
container, `fsGroup: 0` and a 0 in `supplementalGroups` on the pod.  Pods in a
user namespace (`hostUsers: false`) are skipped: their group 0 maps to an
unprivileged group of the node, as in `low-group-id`.

## Why it matters
Group 0 owns many files of the node and of images (`/etc`, sockets, device
nodes are often group-root writable); a process in group root reads or writes
them on shared volumes and after an escape.  `fsGroup: 0` also chowns every
mounted volume to root's group.

## Failing example
```yaml
spec:
  securityContext:
    runAsUser: 10001
    runAsGroup: 0
```

## Passing example
```yaml
spec:
  securityContext:
    runAsUser: 10001
    runAsGroup: 10001
    fsGroup: 10001
```

## Exceptions
OpenShift-style images run with GID 0 by convention (arbitrary UID, group
root); on such platforms exempt them by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.securitycontext import is_zero
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL015",
    slug="root-group",
    title="Pod or container runs with the root group (GID 0)",
    severity="low",
    category="workload",
    tags=("mitre:T1611",),
    target="workload",
    rationale=(
        "GID 0 owns many files of images and of the node; with it a process reads or writes them on shared "
        "volumes and after an escape, and fsGroup 0 hands every volume to root's group."
    ),
    remediation="Set runAsGroup and fsGroup to a non-zero GID and remove 0 from supplementalGroups.",
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0116",), "kube-linter": ("run-as-non-root",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if pod.spec.get("hostUsers") is False:
        return
    psc = pod.security_context
    for field in ("runAsGroup", "fsGroup"):
        if is_zero(psc.get(field)):
            yield Violation(f"pod sets securityContext.{field} to 0 (root group)", pod.path("securityContext", field))
    groups = psc.get("supplementalGroups")
    if isinstance(groups, list):
        for i, g in enumerate(groups):
            if is_zero(g):
                yield Violation("pod lists 0 (root group) in securityContext.supplementalGroups",
                                pod.path("securityContext", "supplementalGroups", i))
    for c in pod.all_containers():
        if is_zero(c.security_context.get("runAsGroup")):
            yield Violation(f"container {c.name!r} sets securityContext.runAsGroup to 0 (root group)",
                            c.path("securityContext", "runAsGroup"), container=c.name)


"""Pod does not run in a user namespace (hostUsers is not false).

## What it checks
Every pod spec for `hostUsers: false`.  Pods that share a host namespace
(`hostNetwork`, `hostPID`, `hostIPC`) are skipped: they cannot use a user
namespace, and `host-network`, `host-pid` and `host-ipc` report them.  So are Windows pods,
which have no user namespaces (the API server rejects `hostUsers` when `os.name` is `windows`).

## Why it matters
In a user namespace, root and every UID in the container map to an unused,
unprivileged range of the node: a container escape lands as nobody, and files
written to volumes are not owned by real node users.  It is the strongest
single isolation setting of a pod (stable since Kubernetes 1.33, needs a
supporting runtime and filesystem).

## Failing example
```yaml
spec:
  containers:
    - name: app
      image: app:1.0
```

## Passing example
```yaml
spec:
  hostUsers: false
  containers:
    - name: app
      image: app:1.0
```

## Exceptions
Nodes without user-namespace support (older kernels, some runtimes and
volume types) cannot run such pods; this rule is informational.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.securitycontext import is_windows
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL033",
    slug="user-namespace-disabled",
    title="Pod does not run in a user namespace (hostUsers is not false)",
    severity="info",
    category="workload",
    tags=("mitre:T1611",),
    target="workload",
    rationale=(
        "A user namespace maps container UIDs, root included, to an unprivileged range of the node, so an escape "
        "lands as nobody."
    ),
    remediation="Set spec.hostUsers: false on nodes whose runtime supports user namespaces.",
    references=("https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubesec": ("HostUsers",)},
)

_HOST_NAMESPACES = ("hostNetwork", "hostPID", "hostIPC")


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    spec = pod.spec
    v = spec.get("hostUsers")
    if v is False or any(spec.get(k) is True for k in _HOST_NAMESPACES) or is_windows(spec):
        return
    msg = "pod sets hostUsers to true" if v is not None else "pod does not set hostUsers to false"
    yield Violation(msg + ": it shares the node's user namespace", pod.path("hostUsers"))

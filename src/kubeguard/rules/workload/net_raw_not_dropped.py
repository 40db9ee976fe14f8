"""Container keeps the NET_RAW capability.

## What it checks
Every container, init container and ephemeral container for `NET_RAW` or
`ALL` in `securityContext.capabilities.drop` (compared without case or a
`CAP_` prefix), applied the way container runtimes apply them: `drop: [ALL]`
followed by `add: [NET_RAW]` gives NET_RAW back, and a privileged container
has every capability whatever it drops.  Windows pods are skipped: Windows
containers have no Linux capabilities.

## Why it matters
Docker and older containerd/CRI-O versions grant `NET_RAW` by default.  It
lets a process craft raw packets: ARP and DNS spoofing of other pods on the
node, and exploits of kernel networking bugs.

## Failing example
```yaml
containers:
  - name: app
    image: app:1.0
```

## Passing example
```yaml
containers:
  - name: app
    image: app:1.0
    securityContext:
      capabilities:
        drop: ["NET_RAW"]
```

## Exceptions
`ping` and some network diagnostics need it; on Linux 4.x+ `ping` works
without it through `net.ipv4.ping_group_range`.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.capabilities import kept
from kubeguard.rules._helpers.securitycontext import is_windows
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL021",
    slug="net-raw-not-dropped",
    title="Container keeps the NET_RAW capability",
    severity="medium",
    category="workload",
    tags=("mitre:T1557", "cis-k8s:5.2.8"),
    target="workload",
    rationale=(
        "NET_RAW, granted by default on many runtimes, lets a process craft raw packets to spoof ARP or DNS for "
        "other pods on the node."
    ),
    remediation='Add "NET_RAW" (or "ALL") to securityContext.capabilities.drop.',
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0199",), "checkov": ("CKV_K8S_28",), "kube-linter": ("drop-net-raw-capability",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if is_windows(pod.spec):
        return
    for c in pod.all_containers():
        if c.security_context.get("privileged") is True:
            yield Violation(f"container {c.name!r} is privileged, which grants NET_RAW whatever it drops",
                            c.path("securityContext", "privileged"), container=c.name)
            continue
        keeps, added = kept(c, "NET_RAW")
        if not keeps:
            continue
        if added is not None:
            yield Violation(f"container {c.name!r} adds NET_RAW back in capabilities.add",
                            c.path("securityContext", "capabilities", "add", added), container=c.name)
        else:
            yield Violation(f"container {c.name!r} does not drop NET_RAW (capabilities.drop lacks NET_RAW and ALL)",
                            c.path("securityContext", "capabilities", "drop"), container=c.name)

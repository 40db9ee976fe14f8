"""Container adds a dangerous capability.

## What it checks
`securityContext.capabilities.add` of every container, init container and
ephemeral container for the capabilities in `capabilities` (by default `ALL`,
`SYS_ADMIN`, `NET_ADMIN`, `NET_RAW`, `SYS_MODULE`, `SYS_RAWIO`, `SYS_PTRACE`,
`SYS_BOOT`, `SYS_TIME`, `MAC_ADMIN`, `MAC_OVERRIDE`, `PERFMON`, `BPF`,
`DAC_READ_SEARCH`).  Names are compared the way container runtimes read them:
case and a `CAP_` prefix do not matter.

## Why it matters
Each of these is a known escape or takeover primitive: `SYS_ADMIN` mounts the
host disk or cgroups (release_agent), `SYS_MODULE` loads kernel modules,
`SYS_PTRACE` injects into processes, `DAC_READ_SEARCH` opens host files by
handle (Shocker), `NET_RAW`/`NET_ADMIN` spoof and reroute traffic, `BPF` and
`PERFMON` read kernel memory.

## Failing example
```yaml
securityContext:
  capabilities:
    add: ["SYS_ADMIN"]
```

## Passing example
```yaml
securityContext:
  capabilities:
    drop: ["ALL"]
```

## Exceptions
Some system agents (CNI, eBPF observability, storage drivers) need one of
them; exempt them by name.

## Differences from Checkov
Checkov's CKV_K8S_39 covers `SYS_ADMIN` only; this rule covers the other capabilities that allow
escaping or controlling the node (`SYS_MODULE`, `NET_ADMIN`, `SYS_TIME`, ...).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.capabilities import entries, normalize
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

DANGEROUS = [
    "ALL", "SYS_ADMIN", "NET_ADMIN", "NET_RAW", "SYS_MODULE", "SYS_RAWIO", "SYS_PTRACE", "SYS_BOOT", "SYS_TIME",
    "MAC_ADMIN", "MAC_OVERRIDE", "PERFMON", "BPF", "DAC_READ_SEARCH",
]

META = RuleMeta(
    code="WL020",
    slug="dangerous-capability-added",
    title="Container adds a dangerous capability",
    severity="high",
    category="workload",
    tags=("mitre:T1611", "cis-k8s:5.6.3"),
    target="workload",
    rationale=(
        "SYS_ADMIN, SYS_MODULE, SYS_PTRACE, DAC_READ_SEARCH, NET_RAW and similar capabilities are known container "
        "escape and takeover primitives."
    ),
    remediation="Remove the capability from capabilities.add and drop ALL; grant the narrowest capability the workload needs.",
    references=("https://man7.org/linux/man-pages/man7/capabilities.7.html",),
    params=(
        Param(name="capabilities", type="list[str]", default=DANGEROUS,
              description="Capabilities that must not be added (names without the CAP_ prefix)."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0046",), "checkov": ("CKV_K8S_39",), "trivy": ("KSV-0005", "KSV-0119", "KSV-0120"),
           "polaris": ("dangerousCapabilities",), "kubesec": ("CapSysAdmin",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    dangerous = ctx.params.capabilities
    for c in pod.all_containers():
        for i, name in entries(c, "add"):
            n = normalize(name)
            if n in dangerous:
                yield Violation(f"container {c.name!r} adds dangerous capability {n}",
                                c.path("securityContext", "capabilities", "add", i), container=c.name)

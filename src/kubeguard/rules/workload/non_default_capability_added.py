"""Container adds a capability outside the Pod Security baseline set.

## What it checks
`securityContext.capabilities.add` of every container, init container and
ephemeral container against the Pod Security Standards baseline allow-list:
`AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`,
`NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`, `SYS_CHROOT` (the
container runtimes' default set, without `NET_RAW`).  Names are compared
exactly as upstream admission does: `CAP_CHOWN` or `chown` are not in the list
and fail.  Each offending entry is reported at its own index.

## Why it matters
Capabilities beyond the default set are pieces of root: `SYS_ADMIN` mounts
filesystems and escapes, `NET_ADMIN` rewires the node's networking,
`SYS_PTRACE` reads other processes, `NET_RAW` spoofs traffic.  The severity
is medium, as Trivy (KSV-0022) and Kubescape (C-0200) rate this check, because
the list also holds mild ones (`IPC_LOCK`, `SYS_NICE`); the capabilities that
escape or control the node are reported again, at high, by
`dangerous-capability-added`.

## Failing example
```yaml
securityContext:
  capabilities:
    add: ["NET_ADMIN"]
```

## Passing example
```yaml
securityContext:
  capabilities:
    add: ["NET_BIND_SERVICE"]
    drop: ["ALL"]
```

## Exceptions
CNI and VPN agents need `NET_ADMIN`; exempt them by name.  The restricted
profile allows only `NET_BIND_SERVICE`: see `default-capability-added`.

## Differences from Checkov
Checkov's CKV_K8S_25 fails any added capability. The Pod Security baseline profile allows a fixed
list (ingress-nginx's `NET_BIND_SERVICE` among them); this rule follows that list, and WL020 names
the dangerous ones.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.capabilities import entries
from kubeguard.rules._helpers.pss import BASELINE_CAPABILITIES
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL017",
    slug="non-default-capability-added",
    title="Container adds a capability outside the Pod Security baseline set",
    severity="medium",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611"),
    target="workload",
    rationale=(
        "Capabilities beyond the runtime default set are pieces of root (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, "
        "NET_RAW...) that enable escapes, traffic spoofing and reading other processes."
    ),
    remediation="Remove the capability from capabilities.add; keep only names of the baseline set, ideally none.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0200", "C-0219"), "checkov": ("CKV_K8S_25",), "trivy": ("KSV-0022",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        for i, name in entries(c, "add"):
            if name not in BASELINE_CAPABILITIES:
                yield Violation(f"container {c.name!r} adds capability {name!r}, outside the baseline set",
                                c.path("securityContext", "capabilities", "add", i), container=c.name)

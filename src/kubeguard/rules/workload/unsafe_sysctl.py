"""Pod sets a sysctl outside the safe set.

## What it checks
Every name in the pod's `securityContext.sysctls` against the Pod Security
Standards baseline safe set, which grows with the policy version:

- always: `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`,
  `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.tcp_syncookies`,
  `net.ipv4.ping_group_range`;
- 1.27: `net.ipv4.ip_local_reserved_ports`;
- 1.29: `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`,
  `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes`;
- 1.32: `net.ipv4.tcp_rmem`, `net.ipv4.tcp_wmem`;
- 1.37: `net.ipv4.tcp_slow_start_after_idle`, `net.ipv4.tcp_notsent_lowat`.

The version is the cluster's when known, else the newest.  Names are compared
exactly, as upstream does (`net/ipv4/tcp_syncookies` is not in the set).

## Why it matters
Sysctls outside the set are either not namespaced (they change the whole
node: `kernel.*`, `vm.*`) or not isolated between pods; setting them lets a
pod weaken or destabilise the node for everyone.

## Failing example
```yaml
securityContext:
  sysctls:
    - name: kernel.msgmax
      value: "65536"
```

## Passing example
```yaml
securityContext:
  sysctls:
    - name: net.ipv4.ip_local_port_range
      value: "1024 65535"
```

## Exceptions
The kubelet refuses unsafe sysctls unless `--allowed-unsafe-sysctls` lists
them; a finding still means the pod relies on such a node.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import allowed_sysctls, policy_version
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL028",
    slug="unsafe-sysctl",
    title="Pod sets a sysctl outside the safe set",
    severity="medium",
    category="workload",
    tags=("pss:baseline", "pss:restricted"),
    target="workload",
    rationale=(
        "Sysctls outside the safe set are not namespaced or not isolated between pods: setting them changes "
        "kernel behaviour for the whole node."
    ),
    remediation="Remove the sysctl from securityContext.sysctls, or tune the node itself for workloads that need it.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
                "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/"),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0026",), "kube-linter": ("unsafe-sysctls",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    sysctls = pod.security_context.get("sysctls")
    if not isinstance(sysctls, list) or not sysctls:
        return
    version = policy_version(ctx)
    safe = allowed_sysctls(version)
    for i, s in enumerate(sysctls):
        name = s.get("name") if isinstance(s, dict) else None
        if not (isinstance(name, str) and name in safe):
            yield Violation(f"pod sets sysctl {name!r}, not in the safe set of policy {version[0]}.{version[1]}",
                            pod.path("securityContext", "sysctls", i, "name"))

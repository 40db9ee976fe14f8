r"""Pod or container runs as a Windows HostProcess container.

## What it checks
`securityContext.windowsOptions.hostProcess: true` on the pod or on any
container, init container or ephemeral container.  This is the Pod Security
Standards baseline control *HostProcess*.

## Why it matters
A HostProcess container runs directly on the Windows node, with the node's
network and filesystem and as a node account such as `NT AUTHORITY\SYSTEM`:
there is no container boundary at all.

## Failing example
```yaml
spec:
  securityContext:
    windowsOptions:
      hostProcess: true
      runAsUserName: "NT AUTHORITY\\SYSTEM"
  hostNetwork: true
```

## Passing example
```yaml
spec:
  securityContext:
    windowsOptions:
      runAsUserName: ContainerUser
```

## Exceptions
Windows node agents (CSI proxies, log shippers) are built this way; exempt
them by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL029",
    slug="windows-host-process",
    title="Pod or container runs as a Windows HostProcess container",
    severity="critical",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611", "cis-k8s:5.2.10"),
    target="workload",
    rationale=(
        "A Windows HostProcess container runs directly on the node with its network, filesystem and an account "
        "such as SYSTEM: there is no isolation at all."
    ),
    remediation="Remove windowsOptions.hostProcess or set it to false.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
                "https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/"),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0202",), "trivy": ("KSV-0103",), "polaris": ("hostProcess",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if _host_process(pod.security_context):
        yield Violation("pod sets securityContext.windowsOptions.hostProcess to true",
                        pod.path("securityContext", "windowsOptions", "hostProcess"))
    for c in pod.all_containers():
        if _host_process(c.security_context):
            yield Violation(f"container {c.name!r} sets securityContext.windowsOptions.hostProcess to true",
                            c.path("securityContext", "windowsOptions", "hostProcess"), container=c.name)


def _host_process(sc: dict) -> bool:
    w = sc.get("windowsOptions")
    return isinstance(w, dict) and w.get("hostProcess") is True

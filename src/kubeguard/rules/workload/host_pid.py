"""Pod shares the host's process ID namespace.

## What it checks
Every pod spec for `hostPID: true`.  This is part of the Pod Security Standards
baseline control *Host Namespaces*: upstream admission rejects the pod at baseline
and restricted level.

## Why it matters
With the node's PID namespace a container sees every process on the node,
can read their environment and command lines (secrets included), signal them,
and with `SYS_PTRACE` or root attach to them or `nsenter` into the host.

## Failing example
```yaml
spec:
  hostPID: true
  containers:
    - name: app
      image: nginx:1.27
```

## Passing example
```yaml
spec:
  containers:
    - name: app
      image: nginx:1.27
```

## Exceptions
Node agents (process exporters, debuggers, some security sensors) need it;
exempt them by name with an owner and an expiry.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL002",
    slug="host-pid",
    title="Pod shares the host process ID namespace",
    severity="high",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611", "cis-k8s:5.2.3"),
    target="workload",
    rationale=(
        "hostPID lets the container see and signal every process on the node and read their environment; "
        "combined with root or SYS_PTRACE it is a direct path to the host."
    ),
    remediation="Remove spec.hostPID or set it to false.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0038", "C-0194", "C-0214", "C-0275"), "checkov": ("CKV_K8S_17",), "trivy": ("KSV-0010",),
           "polaris": ("hostPIDSet",), "kube-linter": ("host-pid",), "kubesec": ("HostPID",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if pod.spec.get("hostPID") is True:
        yield Violation("hostPID is true: the pod shares the node's process ID namespace", pod.path("hostPID"))

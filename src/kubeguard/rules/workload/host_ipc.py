"""Pod shares the host's IPC namespace.

## What it checks
Every pod spec for `hostIPC: true`.  Part of the Pod Security Standards baseline
control *Host Namespaces*.

## Why it matters
With the node's IPC namespace a container can read and write the shared memory
segments and message queues of every process on the node, including other
pods' and system daemons' data.

## Failing example
```yaml
spec:
  hostIPC: true
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
Rarely needed outside of special HPC or legacy workloads; exempt them by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL003",
    slug="host-ipc",
    title="Pod shares the host IPC namespace",
    severity="high",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611", "cis-k8s:5.2.4"),
    target="workload",
    rationale=(
        "hostIPC exposes the node's System V shared memory and message queues: a container can read or "
        "tamper with data of every process on the node."
    ),
    remediation="Remove spec.hostIPC or set it to false.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0038", "C-0195", "C-0215", "C-0276"), "checkov": ("CKV_K8S_18",), "trivy": ("KSV-0008",),
           "polaris": ("hostIPCSet",), "kube-linter": ("host-ipc",), "kubesec": ("HostIPC",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if pod.spec.get("hostIPC") is True:
        yield Violation("hostIPC is true: the pod shares the node's IPC namespace", pod.path("hostIPC"))

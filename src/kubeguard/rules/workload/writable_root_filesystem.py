"""Container root filesystem is writable.

## What it checks
Every container, init container and ephemeral container for
`securityContext.readOnlyRootFilesystem: true`.  Windows pods (`os.name: windows`, HostProcess
pods, or scheduling pinned to Windows nodes) are skipped: Windows does not support the field
and the API server rejects it when `os.name` is `windows`.

## Why it matters
A writable root filesystem lets an intruder drop tools, replace binaries and
persist inside the container; a read-only one confines writes to the volumes
the workload declares.

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
      readOnlyRootFilesystem: true
    volumeMounts:
      - name: tmp
        mountPath: /tmp
```

## Exceptions
Applications that write to their image must get an `emptyDir` for those
paths; debugging ephemeral containers are usually exempted.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.securitycontext import containers_not_set_to, is_windows
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL016",
    slug="writable-root-filesystem",
    title="Container root filesystem is writable",
    severity="medium",
    category="workload",
        target="workload",
    rationale=(
        "A writable root filesystem lets an intruder drop tools, replace binaries and persist; read-only "
        "confines writes to declared volumes."
    ),
    remediation="Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the application writes.",
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0017",), "checkov": ("CKV_K8S_22",), "trivy": ("KSV-0014",),
           "polaris": ("notReadOnlyRootFilesystem",), "kube-linter": ("no-read-only-root-fs",),
           "kube-score": ("container-security-context-readonlyrootfilesystem",),
           "kubesec": ("ReadOnlyRootFilesystem",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if is_windows(pod.spec):
        return
    yield from containers_not_set_to(pod, "readOnlyRootFilesystem", True)

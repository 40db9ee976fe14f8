"""Neither the pod nor the container sets a security context.

## What it checks
Every container, init container and ephemeral container that has no (or an
empty) `securityContext` while the pod has none either.  A pod-level security
context counts for the containers: its user, group, seccomp and SELinux
settings apply to them.

## Why it matters
A workload without any security context runs with every runtime default: the
image's user (often root), writable root filesystem, default capabilities and,
on most nodes, no seccomp filtering.  It is the clearest sign nobody has
hardened the workload yet.

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
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: app:1.0
```

## Exceptions
None; the specific settings are checked by their own rules.

## Differences from Checkov
Checkov splits this concept in two: CKV_K8S_29 wants a pod-level `securityContext`, CKV_K8S_30 a
container-level one. A pod-level context applies to every container and a container-level one to its
container, so this rule fails a container only when neither applies. Argo CD's Deployments
(container contexts only, hardened) fail CKV_K8S_29 and pass here; pods with only a pod-level
context fail CKV_K8S_30 and pass here.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL032",
    slug="missing-security-context",
    title="Neither the pod nor the container sets a security context",
    severity="high",
    category="workload",
    tags=("cis-k8s:5.6.3",),
    target="workload",
    rationale=(
        "Without any security context a container gets every runtime default: image user (often root), writable "
        "root filesystem, default capabilities and usually no seccomp."
    ),
    remediation=(
        "Add a securityContext to the pod (runAsNonRoot, runAsUser, seccompProfile) and to each container "
        "(allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities.drop: [ALL])."
    ),
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0211",), "checkov": ("CKV_K8S_29", "CKV_K8S_30"), "trivy": ("KSV-0118",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if pod.security_context:
        return
    for c in pod.all_containers():
        if not c.security_context:
            yield Violation(f"neither container {c.name!r} nor the pod sets a securityContext",
                            c.path("securityContext"), container=c.name)

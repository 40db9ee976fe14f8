"""Container may run as root (runAsNonRoot is not true).

## What it checks
The Pod Security Standards restricted control *Running as Non-root*, as
upstream admission decides it:

- the pod-level `securityContext.runAsNonRoot` must not be `false`;
- every container, init container and ephemeral container must set
  `runAsNonRoot: true`, or leave it unset while the pod sets it to `true`;
  a container's own `false` overrides the pod's `true` and fails.

From policy 1.35, pods with `hostUsers: false` (a user namespace) are exempt,
as upstream exempts them.  The path names the field that is `false`, or the
container field that must be set.

## Why it matters
`runAsNonRoot: true` makes the kubelet refuse to start a container whose user
is root, whatever the image says.  Root in a container is one kernel bug or
one misconfiguration away from root on the node.

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
  containers:
    - name: app
      image: app:1.0
```

## Exceptions
`runAsUser: 0` is `run-as-root-user`.

## Differences from Checkov
Checkov's CKV_K8S_23, like Kubescape's C-0013, Polaris and kube-linter, accepts a non-zero
`runAsUser` without `runAsNonRoot`. Pod Security restricted and Trivy's KSV-0012 require
`runAsNonRoot: true` whatever `runAsUser` says: it is the one setting the kubelet enforces, so a
later edit or patch that drops `runAsUser` cannot bring root back unnoticed.  This rule follows
the standard and fails those pods (12 on the corpus).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import policy_version, user_namespace_exempt
from kubeguard.rules._helpers.securitycontext import shown
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL011",
    slug="run-as-non-root-not-required",
    title="Container may run as root (runAsNonRoot is not true)",
    severity="medium",
    category="workload",
    tags=("pss:restricted", "mitre:T1611", "cis-k8s:5.2.7"),
    target="workload",
    rationale=(
        "Without runAsNonRoot: true the kubelet starts containers whose image user is root; root in a container "
        "is one kernel bug or misconfiguration away from root on the node."
    ),
    remediation=(
        "Set securityContext.runAsNonRoot: true on the pod (or on every container), give the image a non-root "
        "USER and never override it with false."
    ),
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0013", "C-0198", "C-0218"), "checkov": ("CKV_K8S_23",), "trivy": ("KSV-0012",),
           "polaris": ("runAsRootAllowed",), "kube-linter": ("run-as-non-root",), "kubesec": ("RunAsNonRoot",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if user_namespace_exempt(pod.spec, policy_version(ctx)):
        return
    pod_value = pod.security_context.get("runAsNonRoot")
    if pod_value is not None and pod_value is not True:
        yield Violation(f"pod sets securityContext.runAsNonRoot to {shown(pod_value)}",
                        pod.path("securityContext", "runAsNonRoot"))
    pod_true = pod_value is True
    for c in pod.all_containers():
        v = c.security_context.get("runAsNonRoot")
        if v is True or (v is None and pod_true):
            continue
        msg = (f"container {c.name!r} sets securityContext.runAsNonRoot to {shown(v)}" if v is not None
               else f"container {c.name!r} does not set securityContext.runAsNonRoot and the pod does not set it to true")
        yield Violation(msg, c.path("securityContext", "runAsNonRoot"), container=c.name)

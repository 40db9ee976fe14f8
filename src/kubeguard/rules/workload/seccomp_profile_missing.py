"""No seccomp profile applies to the container.

## What it checks
Every container, init container and ephemeral container for a seccomp profile:
either its own `securityContext.seccompProfile` or the pod's.  This is the
requirement half of the Pod Security Standards restricted control *Seccomp*;
the value half (no `Unconfined`) is `seccomp-profile-disallowed`, so a profile
set to a bad value is reported there, once, where it is written.  Windows pods
are not checked from policy 1.25, as upstream.

## Why it matters
Without a profile the kubelet runs the container `Unconfined` (unless the node
enables `--seccomp-default`, which manifests cannot show): every syscall of
the kernel is reachable.

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
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: app
      image: app:1.0
```

## Exceptions
None in the standard.

## Differences from Checkov
Checkov's CKV_K8S_31 also accepts the annotations `seccomp.security.alpha.kubernetes.io/pod` and
`container.seccomp.security.alpha.kubernetes.io/<name>` set to `runtime/default`.  Kubernetes
stopped reading them in 1.27 (the API server no longer copies them into the fields and the
kubelet ignores them), and Pod Security judges only the fields, so a pod with the annotation
alone runs Unconfined and fails here.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import policy_version, windows_exempt
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL023",
    slug="seccomp-profile-missing",
    title="No seccomp profile applies to the container",
    severity="medium",
    category="workload",
    tags=("pss:restricted", "cis-k8s:5.6.2"),
    target="workload",
    rationale=(
        "Without a seccomp profile the container usually runs Unconfined, with the whole kernel syscall surface "
        "reachable."
    ),
    remediation="Set securityContext.seccompProfile.type: RuntimeDefault on the pod, or on every container.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
                "https://kubernetes.io/docs/tutorials/security/seccomp/"),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0210",), "checkov": ("CKV_K8S_31",), "trivy": ("KSV-0030",),
           "kube-score": ("container-seccomp-profile",), "kubesec": ("SeccompAny",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if isinstance(pod.security_context.get("seccompProfile"), dict):
        return
    if windows_exempt(pod.spec, policy_version(ctx)):
        return
    for c in pod.all_containers():
        if not isinstance(c.security_context.get("seccompProfile"), dict):
            yield Violation(f"neither container {c.name!r} nor the pod sets securityContext.seccompProfile.type",
                            c.path("securityContext", "seccompProfile", "type"), container=c.name)

"""Container does not set allowPrivilegeEscalation to false.

## What it checks
Every container, init container and ephemeral container for
`securityContext.allowPrivilegeEscalation: false`.  The field exists only on
containers, and leaving it unset allows escalation, so it must be set
explicitly.  This is the Pod Security Standards restricted control *Privilege
Escalation*; as upstream does from policy 1.25, Windows pods
(`spec.os.name: windows`) are not checked.

## Why it matters
With escalation allowed (`no_new_privs` off) a process can gain privileges
through setuid binaries such as `sudo` or `su`, or file capabilities, and reach
root inside the container even when it started as a normal user.

## Failing example
```yaml
containers:
  - name: app
    image: app:1.0
    securityContext:
      runAsNonRoot: true
```

## Passing example
```yaml
containers:
  - name: app
    image: app:1.0
    securityContext:
      allowPrivilegeEscalation: false
```

## Exceptions
Privileged containers and containers with `CAP_SYS_ADMIN` always escalate;
they are reported by `privileged-container` and `dangerous-capability-added`.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import policy_version, windows_exempt
from kubeguard.rules._helpers.securitycontext import containers_not_set_to
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL010",
    slug="privilege-escalation-allowed",
    title="Container does not set allowPrivilegeEscalation to false",
    severity="medium",
    category="workload",
    tags=("pss:restricted", "mitre:T1548.001", "cis-k8s:5.2.6"),
    target="workload",
    rationale=(
        "Unless allowPrivilegeEscalation is false, setuid binaries and file capabilities let a process become "
        "root inside the container even when it started unprivileged."
    ),
    remediation="Set securityContext.allowPrivilegeEscalation: false on every container, init and ephemeral container.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0016", "C-0197", "C-0217"), "checkov": ("CKV_K8S_20",), "trivy": ("KSV-0001",),
           "polaris": ("privilegeEscalationAllowed",), "kube-linter": ("privilege-escalation-container",),
           "kubesec": ("AllowPrivilegeEscalation",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if windows_exempt(pod.spec, policy_version(ctx)):
        return
    yield from containers_not_set_to(pod, "allowPrivilegeEscalation", False)

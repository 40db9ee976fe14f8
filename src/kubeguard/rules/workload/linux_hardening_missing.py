"""Container has no Linux hardening (seccomp, AppArmor, SELinux or dropped capabilities).

## What it checks
Every container, init container and ephemeral container for at least one of:
a seccomp profile (its own or the pod's), an AppArmor profile (its own, the
pod's or the per-container annotation), SELinux options (its own or the
pod's), or a non-empty `capabilities.drop`.  Values are judged by their own
rules; this one only asks that some restriction is there.

## Why it matters
Each of these mechanisms cuts the kernel attack surface a compromised process
can reach; with none of them the container relies on namespaces alone.

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
      capabilities:
        drop: ["ALL"]
```

## Exceptions
None; dropping capabilities costs nothing for most applications.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import APPARMOR_ANNOTATION_PREFIX
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL039",
    slug="linux-hardening-missing",
    title="Container has no Linux hardening (seccomp, AppArmor, SELinux or dropped capabilities)",
    severity="low",
    category="workload",
    tags=("cis-k8s:5.6.3",),
    target="workload",
    rationale=(
        "Seccomp, AppArmor, SELinux and dropped capabilities each cut the kernel surface a compromised process "
        "reaches; with none of them only namespaces remain."
    ),
    remediation=(
        'Set seccompProfile.type: RuntimeDefault on the pod and capabilities.drop: ["ALL"] on the container, '
        "or another of these mechanisms."
    ),
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0055",), "polaris": ("linuxHardening",)},
)



def _hardened(sc: dict) -> bool:
    """A seccomp, AppArmor or SELinux setting at this level (it then covers the container too)."""
    return bool(sc.get("seccompProfile") or sc.get("appArmorProfile") or sc.get("seLinuxOptions"))


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if _hardened(pod.security_context):
        return
    annotations = pod.annotations
    for c in pod.all_containers():
        sc = c.security_context
        if _hardened(sc):
            continue
        caps = sc.get("capabilities")
        if isinstance(caps, dict) and caps.get("drop"):
            continue
        if annotations and APPARMOR_ANNOTATION_PREFIX + c.name in annotations:
            continue
        yield Violation(f"container {c.name!r} sets no seccomp, AppArmor or SELinux profile and drops no capability",
                        c.path("securityContext"), container=c.name)

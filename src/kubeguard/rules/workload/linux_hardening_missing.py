"""Container has no Linux hardening (seccomp, AppArmor, SELinux or dropped capabilities).

## What it checks
Every container, init container and ephemeral container for at least one of:
a seccomp profile (its own or the pod's), an AppArmor profile (its own, the
pod's or the per-container annotation), SELinux options (its own or the
pod's), or a non-empty `capabilities.drop`.  A container setting overrides the
pod's, and only settings that confine count: seccomp and AppArmor `RuntimeDefault`
or `Localhost` (annotation `runtime/default` or `localhost/...`), SELinux options
other than the unconfined `spc_t` and `unconfined_t` types.  `Unconfined` is the
absence of hardening, not a form of it.  Windows pods are skipped: none of these
mechanisms exists there.

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

## Differences from Kubescape
Kubescape's C-0055 accepts any `seccompProfile`, AppArmor annotation or
`seLinuxOptions`, `Unconfined` included.  Polaris, like this rule, does not
count an Unconfined seccomp profile.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import (
    APPARMOR_ANNOTATION_PREFIX,
    APPARMOR_TYPES,
    SECCOMP_TYPES,
    apparmor_annotation_allowed,
)
from kubeguard.rules._helpers.securitycontext import is_windows
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL039",
    slug="linux-hardening-missing",
    title="Container has no Linux hardening (seccomp, AppArmor, SELinux or dropped capabilities)",
    severity="medium",
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



_UNCONFINED_SELINUX_TYPES = frozenset({"spc_t", "unconfined_t"})


def _profile(sc: dict, field: str, allowed: frozenset[str]) -> bool | None:
    """True / False when ``sc`` sets a confining / non-confining profile; None when it sets none."""
    profile = sc.get(field)
    if not isinstance(profile, dict):
        return None
    return profile.get("type") in allowed


def _selinux(sc: dict) -> bool | None:
    opts = sc.get("seLinuxOptions")
    if not isinstance(opts, dict) or not any(opts.values()):
        return None
    return opts.get("type") not in _UNCONFINED_SELINUX_TYPES


def _effective(own: bool | None, pod: bool | None) -> bool:
    return own if own is not None else pod is True


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if is_windows(pod.spec):
        return
    psc = pod.security_context
    pod_seccomp = _profile(psc, "seccompProfile", SECCOMP_TYPES)
    pod_apparmor = _profile(psc, "appArmorProfile", APPARMOR_TYPES)
    pod_selinux = _selinux(psc)
    annotations = pod.annotations
    for c in pod.all_containers():
        sc = c.security_context
        caps = sc.get("capabilities")
        if isinstance(caps, dict) and caps.get("drop"):
            continue
        apparmor = _profile(sc, "appArmorProfile", APPARMOR_TYPES)
        if apparmor is None and APPARMOR_ANNOTATION_PREFIX + c.name in annotations:
            apparmor = apparmor_annotation_allowed(annotations[APPARMOR_ANNOTATION_PREFIX + c.name])
        if (_effective(_profile(sc, "seccompProfile", SECCOMP_TYPES), pod_seccomp)
                or _effective(apparmor, pod_apparmor) or _effective(_selinux(sc), pod_selinux)):
            continue
        yield Violation(f"container {c.name!r} has no confining seccomp, AppArmor or SELinux setting and drops "
                        "no capability", c.path("securityContext"), container=c.name)

"""Seccomp profile is set to Unconfined or another disallowed type.

## What it checks
`securityContext.seccompProfile.type` of the pod and of every container, init
container and ephemeral container, where a `seccompProfile` is given: the type
must be `RuntimeDefault` or `Localhost`.  `Unconfined`, a misspelt type or a
`seccompProfile` without a type all fail.  This is the Pod Security Standards
baseline control *Seccomp*.  A `Localhost` type without `localhostProfile`
passes here as it does upstream; the API server rejects such a pod itself.

## Why it matters
`Unconfined` switches syscall filtering off: the container can call every
syscall of the kernel, including the rarely used ones behind most container
escapes (`keyctl`, `unshare`, `bpf`, `userfaultfd`...).

## Failing example
```yaml
securityContext:
  seccompProfile:
    type: Unconfined
```

## Passing example
```yaml
securityContext:
  seccompProfile:
    type: RuntimeDefault
```

## Exceptions
Debugging tools using `ptrace`-heavy syscalls sometimes ask for Unconfined;
write a Localhost profile instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import SECCOMP_TYPES
from kubeguard.rules._helpers.securitycontext import disallowed_profiles
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL022",
    slug="seccomp-profile-disallowed",
    title="Seccomp profile is set to Unconfined or another disallowed type",
    severity="high",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611", "cis-k8s:5.6.2"),
    target="workload",
    rationale=(
        "Unconfined turns syscall filtering off, exposing the whole kernel syscall surface behind most "
        "container escapes."
    ),
    remediation="Set seccompProfile.type to RuntimeDefault, or to Localhost with a localhostProfile.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
                "https://kubernetes.io/docs/tutorials/security/seccomp/"),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0104",), "kubesec": ("SeccompUnconfined",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from disallowed_profiles(pod, "seccompProfile", SECCOMP_TYPES)


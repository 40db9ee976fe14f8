"""Container in a user namespace unmasks /proc (restricted profile).

## What it checks
`securityContext.procMount` of every container, init container and ephemeral
container of pods with `hostUsers: false`, from policy 1.35: anything but
`Default` fails.  Upstream's baseline check allows those pods any procMount;
its restricted check (`procMount_restricted`) does not.  Pods without a user
namespace, and all pods before 1.35, are reported by `unmasked-proc-mount`; the
two rules together are the restricted */proc Mount Type* control and never
report the same container.

## Why it matters
A user namespace maps root in the container to an unprivileged user of the
node, which makes an unmasked `/proc` far less dangerous, but the restricted
profile still keeps the kernel interfaces masked as defence in depth.

## Failing example
```yaml
spec:
  hostUsers: false
  containers:
    - name: builder
      image: buildkit:0.16
      securityContext:
        procMount: Unmasked
```

## Passing example
```yaml
spec:
  hostUsers: false
  containers:
    - name: builder
      image: buildkit:0.16
```

## Exceptions
Rootless nested container builds need it; run them in a baseline namespace.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import policy_version, user_namespace_exempt
from kubeguard.rules._helpers.securitycontext import unmasked_proc_mounts
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL027",
    slug="unmasked-proc-mount-user-namespace",
    title="Container in a user namespace unmasks /proc (restricted profile)",
    severity="low",
    category="workload",
    tags=("pss:restricted",),
    target="workload",
    rationale=(
        "Even in a user namespace an unmasked /proc exposes kernel interfaces; the restricted profile keeps them "
        "masked as defence in depth."
    ),
    remediation="Remove securityContext.procMount or set it to Default.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
                "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/"),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if user_namespace_exempt(pod.spec, policy_version(ctx)):
        yield from unmasked_proc_mounts(pod)

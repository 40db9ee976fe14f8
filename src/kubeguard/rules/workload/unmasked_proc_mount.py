"""Container unmasks /proc (procMount is not Default).

## What it checks
`securityContext.procMount` of every container, init container and ephemeral
container: unset or `Default` pass, anything else (`Unmasked`) fails.  This is
the Pod Security Standards baseline control */proc Mount Type*.  From policy
1.35 upstream baseline admission allows any procMount in a pod with
`hostUsers: false` (a user namespace); so does this rule, and the restricted
profile's stricter check for those pods is `unmasked-proc-mount-user-namespace`.

## Why it matters
The runtime masks parts of `/proc` (`/proc/kcore`, `/proc/sysrq-trigger`,
`/proc/sys`...) and makes others read-only; `Unmasked` hands them to the
container, which can then read kernel memory or reconfigure the node's kernel.

## Failing example
```yaml
securityContext:
  procMount: Unmasked
```

## Passing example
```yaml
securityContext:
  procMount: Default
```

## Exceptions
Nested container runtimes inside a user-namespaced pod need `Unmasked`.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import policy_version, user_namespace_exempt
from kubeguard.rules._helpers.securitycontext import unmasked_proc_mounts
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL026",
    slug="unmasked-proc-mount",
    title="Container unmasks /proc (procMount is not Default)",
    severity="high",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611"),
    target="workload",
    rationale=(
        "An unmasked /proc exposes kernel interfaces the runtime normally hides or makes read-only, such as "
        "/proc/kcore, /proc/sysrq-trigger and /proc/sys."
    ),
    remediation="Remove securityContext.procMount or set it to Default.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0027",), "polaris": ("procMount",), "kube-linter": ("unsafe-proc-mount",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if user_namespace_exempt(pod.spec, policy_version(ctx)):
        return
    yield from unmasked_proc_mounts(pod)


"""Pod or container sets runAsUser to 0 (root).

## What it checks
The pod-level and every container's, init container's and ephemeral
container's `securityContext.runAsUser` for the value 0.  This is the Pod
Security Standards restricted control *Running as Non-root user*: an explicit
0 anywhere fails, even where another level sets a non-zero user.  From policy
1.35 pods with `hostUsers: false` are exempt, as upstream exempts them.

## Why it matters
UID 0 in the container is root: it owns the container filesystem, can use
every capability the container has, and is root on the node if it escapes.

## Failing example
```yaml
spec:
  securityContext:
    runAsUser: 0
  containers:
    - name: app
      image: app:1.0
```

## Passing example
```yaml
spec:
  securityContext:
    runAsUser: 10001
  containers:
    - name: app
      image: app:1.0
```

## Exceptions
None in the standard; images that need root at start-up should be rebuilt.

## Differences from Checkov
Equivalent to the UID 0 part of Checkov's CKV_K8S_40; the low-UID part is WL013.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import policy_version, user_namespace_exempt
from kubeguard.rules._helpers.securitycontext import is_zero
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL012",
    slug="run-as-root-user",
    title="Pod or container sets runAsUser to 0 (root)",
    severity="high",
    category="workload",
    tags=("pss:restricted", "mitre:T1611", "cis-k8s:5.2.7"),
    target="workload",
    rationale="runAsUser: 0 runs the process as root: full control of the container and root on the node after an escape.",
    remediation="Set runAsUser to a non-zero UID (10000 or more) or remove it and give the image a non-root USER.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0105",), "checkov": ("CKV_K8S_40",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if user_namespace_exempt(pod.spec, policy_version(ctx)):
        return
    if is_zero(pod.security_context.get("runAsUser")):
        yield Violation("pod sets securityContext.runAsUser to 0 (root)", pod.path("securityContext", "runAsUser"))
    for c in pod.all_containers():
        if is_zero(c.security_context.get("runAsUser")):
            yield Violation(f"container {c.name!r} sets securityContext.runAsUser to 0 (root)",
                            c.path("securityContext", "runAsUser"), container=c.name)


"""SELinux options set a custom type, user or role.

## What it checks
`securityContext.seLinuxOptions` of the pod and of every container, init
container and ephemeral container, as the Pod Security Standards baseline
control *SELinux* defines it:

- `type` must be empty or one of `container_t`, `container_init_t`,
  `container_kvm_t`, and from policy 1.31 `container_engine_t`;
- `user` and `role` must be empty.

`level` (MCS categories) is free.  Each offending field is reported.

## Why it matters
SELinux types such as `spc_t` ("super privileged container") or `unconfined_t`
lift the confinement that keeps a container from node files and processes;
custom users and roles change what the policy allows.

## Failing example
```yaml
securityContext:
  seLinuxOptions:
    type: spc_t
```

## Passing example
```yaml
securityContext:
  seLinuxOptions:
    level: "s0:c123,c456"
```

## Exceptions
Only SELinux-enforcing nodes (RHEL, Fedora CoreOS, OpenShift) apply it; the
standard checks it everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import allowed_selinux_types, policy_version
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL025",
    slug="selinux-options-disallowed",
    title="SELinux options set a custom type, user or role",
    severity="medium",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611", "cis-k8s:5.6.3"),
    target="workload",
    rationale=(
        "SELinux types such as spc_t lift the confinement that keeps a container away from node files and "
        "processes; custom users and roles change what the policy allows."
    ),
    remediation="Remove seLinuxOptions.type (or use container_t), and remove seLinuxOptions.user and .role.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0025",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    types = allowed_selinux_types(policy_version(ctx))
    opts = pod.security_context.get("seLinuxOptions")
    if isinstance(opts, dict):
        yield from _check(opts, types, "pod", pod.path("securityContext", "seLinuxOptions"), None)
    for c in pod.all_containers():
        opts = c.security_context.get("seLinuxOptions")
        if isinstance(opts, dict):
            yield from _check(opts, types, f"container {c.name!r}", c.path("securityContext", "seLinuxOptions"), c.name)


def _check(opts: dict, types: frozenset[str], who: str, base: tuple, container: str | None) -> Iterator[Violation]:
    t = opts.get("type")
    if t is not None and not (isinstance(t, str) and t in types):
        yield Violation(f"{who} sets securityContext.seLinuxOptions.type to {t!r}", base + ("type",),
                        container=container)
    for field in ("user", "role"):
        v = opts.get(field)
        if v is not None and v != "":
            yield Violation(f"{who} sets securityContext.seLinuxOptions.{field} to {v!r}", base + (field,),
                            container=container)

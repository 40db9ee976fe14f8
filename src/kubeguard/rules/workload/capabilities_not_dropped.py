"""Container does not drop ALL capabilities.

## What it checks
Every container, init container and ephemeral container for `"ALL"` in
`securityContext.capabilities.drop`, spelled exactly so (upstream admission
does not accept `all` or `CAP_ALL`).  This is the drop half of the Pod
Security Standards restricted control *Capabilities*; Windows pods are not
checked from policy 1.25, as upstream.

## Why it matters
Containers start with the runtime's default capabilities (`CHOWN`,
`DAC_OVERRIDE`, `SETUID`, `NET_BIND_SERVICE`, and `NET_RAW` on older
runtimes).  Few applications need any of them; each is a tool for an intruder.

## Failing example
```yaml
securityContext:
  capabilities:
    drop: ["NET_RAW"]
```

## Passing example
```yaml
securityContext:
  capabilities:
    drop: ["ALL"]
```

## Exceptions
None in the standard; add back `NET_BIND_SERVICE` when binding ports below 1024.

## Differences from Checkov
Checkov upper-cases `drop` entries, so `drop: [all]` passes CKV_K8S_37. Pod Security admission
compares with `ALL` exactly and rejects such a pod under restricted; this rule follows upstream (39
containers on the corpus, the online-shop manifests).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import CAPABILITY_ALL, policy_version, windows_exempt
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL019",
    slug="capabilities-not-dropped",
    title="Container does not drop ALL capabilities",
    severity="medium",
    category="workload",
    tags=("pss:restricted", "cis-k8s:5.2.9"),
    target="workload",
    rationale=(
        "Containers keep the runtime's default capabilities unless they drop them; few applications need any, "
        "and each one is a tool for an intruder."
    ),
    remediation='Set securityContext.capabilities.drop: ["ALL"] on every container and add back only NET_BIND_SERVICE if needed.',
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0201", "C-0220"), "checkov": ("CKV_K8S_37",), "trivy": ("KSV-0003", "KSV-0106"),
           "kubesec": ("CapDropAll",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if windows_exempt(pod.spec, policy_version(ctx)):
        return
    for c in pod.all_containers():
        drop = c.capabilities.get("drop")
        if isinstance(drop, list) and CAPABILITY_ALL in drop:
            continue
        yield Violation(f'container {c.name!r} does not set securityContext.capabilities.drop to include "ALL"',
                        c.path("securityContext", "capabilities", "drop"), container=c.name)

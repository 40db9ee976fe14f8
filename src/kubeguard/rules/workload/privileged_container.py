"""Container runs in privileged mode.

## What it checks
Every container, init container and ephemeral container of every pod spec for
`securityContext.privileged: true`.  This is a Pod Security Standards baseline
control: the upstream admission controller rejects the pod at baseline level.

## Why it matters
A privileged container sees every host device, may load kernel modules and
can escape to the node with a single mount; it turns any code execution in the
container into node compromise.

## Failing example
```yaml
containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: true
```

## Passing example
```yaml
containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: false
```

## Exceptions
CNI plugins, storage drivers and node agents often need it; exempt them by
name with an owner and an expiry rather than disabling the rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Fix, Lifecycle, RuleMeta

META = RuleMeta(
    code="WL001",
    slug="privileged-container",
    title="Container runs in privileged mode",
    severity="critical",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611", "cis-k8s:5.2.2"),
    target="workload",
    rationale=(
        "A privileged container has every capability and all host devices; a compromise of the "
        "process is a compromise of the node and of every pod on it."
    ),
    remediation="Remove securityContext.privileged or set it to false; grant only the specific capability needed.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",),
    lifecycle=Lifecycle.preview("0.1.0"),
    fix=Fix.safe("Set securityContext.privileged to false"),
    admission=True,
    peers={"kubescape": ("C-0057", "C-0193", "C-0213"), "checkov": ("CKV_K8S_16",), "trivy": ("KSV-0017",),
           "polaris": ("runAsPrivileged",), "kube-linter": ("privileged-container",),
           "kubesec": ("Privileged",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        if c.security_context.get("privileged") is True:
            yield Violation(f"container {c.name!r} runs privileged", c.path("securityContext", "privileged"),
                            container=c.name)

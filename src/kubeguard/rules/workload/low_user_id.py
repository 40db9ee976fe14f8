"""Container runs with a low or unset UID.

## What it checks
The effective `runAsUser` of every container, init container and ephemeral
container (the container's own value, else the pod's): it must be set and at
least `min_uid` (10000 by default).  UID 0 is left to `run-as-root-user`.
Pods with `hostUsers: false` are skipped: their UIDs are mapped to an unused
range of the node.

## Why it matters
Low UIDs collide with real users and system accounts of the node (and of NFS
or hostPath data): a container escape or a shared volume then acts with that
account's rights.  An unset UID means the image decides, often root.

## Failing example
```yaml
containers:
  - name: app
    image: app:1.0
    securityContext:
      runAsUser: 1000
```

## Passing example
```yaml
containers:
  - name: app
    image: app:1.0
    securityContext:
      runAsUser: 10001
```

## Exceptions
Checkov accepts 10000 and more (as here); Trivy and kubesec want more than
10000 — set `min_uid: 10001` to match them.

## Differences from Checkov
Checkov's CKV_K8S_40 also fails UID 0; here UID 0 is reported by WL012 (run-as-root-user), so a root
container gets one finding, not two.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.securitycontext import low_ids
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="WL013",
    slug="low-user-id",
    title="Container runs with a low or unset UID",
    severity="low",
    category="workload",
    tags=("cis-k8s:5.6.3",),
    target="workload",
    rationale=(
        "A low UID collides with accounts of the node and of shared volumes, so an escape or a shared mount "
        "acts with their rights; an unset UID leaves the choice to the image."
    ),
    remediation="Set securityContext.runAsUser to a UID of 10000 or more on the pod or on each container.",
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",),
    params=(Param(name="min_uid", type="int", default=10000, description="Lowest UID accepted for runAsUser."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"checkov": ("CKV_K8S_40",), "trivy": ("KSV-0020",),
           "kube-score": ("container-security-context-user-group-id",), "kubesec": ("RunAsUser",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from low_ids(pod, "runAsUser", "UID", ctx.params.min_uid)


"""Container runs with a low or unset GID.

## What it checks
The effective `runAsGroup` of every container, init container and ephemeral
container (the container's own value, else the pod's): it must be set and at
least `min_gid` (10000 by default).  GID 0 is left to `root-group`.  Pods with
`hostUsers: false` are skipped.

## Why it matters
A low primary group collides with groups of the node and of shared volumes
(`disk`, `docker`, `adm`...): files they own become readable or writable from
the container.

## Failing example
```yaml
containers:
  - name: app
    image: app:1.0
    securityContext:
      runAsGroup: 100
```

## Passing example
```yaml
containers:
  - name: app
    image: app:1.0
    securityContext:
      runAsGroup: 10001
```

## Exceptions
Trivy and kubesec want more than 10000; set `min_gid: 10001` to match them.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.securitycontext import low_ids
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="WL014",
    slug="low-group-id",
    title="Container runs with a low or unset GID",
    severity="low",
    category="workload",
    tags=("cis-k8s:5.6.3",),
    target="workload",
    rationale=(
        "A low primary GID collides with groups of the node and of shared volumes, so their files become "
        "readable or writable from the container."
    ),
    remediation="Set securityContext.runAsGroup to a GID of 10000 or more on the pod or on each container.",
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",),
    params=(Param(name="min_gid", type="int", default=10000, description="Lowest GID accepted for runAsGroup."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0021",), "kube-score": ("container-security-context-user-group-id",),
           "kubesec": ("RunAsGroup",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from low_ids(pod, "runAsGroup", "GID", ctx.params.min_gid)

"""Standalone Job is never cleaned up after it finishes.

## What it checks
Every Job that is not owned by a CronJob (CronJobs prune their Jobs through
`successfulJobsHistoryLimit` and `failedJobsHistoryLimit`) for `spec.ttlSecondsAfterFinished`.

## Why it matters
Finished Jobs and their pods stay in the API server forever: they pile up in etcd, slow down
list calls, and keep references (and logs) to the Secrets and images they used.

## Failing example
```yaml
kind: Job
spec:
  template: {spec: {restartPolicy: Never, containers: [...]}}
```

## Passing example
```yaml
kind: Job
spec:
  ttlSecondsAfterFinished: 86400
  template: {spec: {restartPolicy: Never, containers: [...]}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL030",
    slug="job-ttl-not-set",
    title="Standalone Job is never cleaned up after it finishes",
    severity="info",
    category="reliability",
    target="object",
    kinds=("Job",),
    rationale=(
        "Finished Jobs without ttlSecondsAfterFinished stay forever, accumulating pods and API objects "
        "that slow the control plane."
    ),
    remediation="Set spec.ttlSecondsAfterFinished on Jobs that are not created by a CronJob.",
    references=("https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-linter": ("job-ttl-seconds-after-finished",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.group != "batch" or any(o.get("kind") == "CronJob" for o in obj.owner_references):
        return
    if obj.spec.get("ttlSecondsAfterFinished") is None:
        yield Violation("finished Job and its pods are kept forever: no ttlSecondsAfterFinished",
                        ("spec", "ttlSecondsAfterFinished"))

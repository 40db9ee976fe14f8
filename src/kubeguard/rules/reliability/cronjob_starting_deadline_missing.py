"""CronJob has no startingDeadlineSeconds.

## What it checks
Every CronJob for `spec.startingDeadlineSeconds`.

## Why it matters
Without a deadline the CronJob controller counts every missed schedule since the last run; after
more than 100 misses (a controller outage, a long `suspend`, a clock jump) it stops creating
Jobs for that CronJob altogether and only logs an error.  A deadline bounds the window it looks
back over.

## Failing example
```yaml
kind: CronJob
spec:
  schedule: "*/5 * * * *"
```

## Passing example
```yaml
kind: CronJob
spec:
  schedule: "*/5 * * * *"
  startingDeadlineSeconds: 200
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL031",
    slug="cronjob-starting-deadline-missing",
    title="CronJob has no startingDeadlineSeconds",
    severity="low",
    category="reliability",
    target="object",
    kinds=("CronJob",),
    rationale=(
        "Without startingDeadlineSeconds a CronJob that missed more than 100 schedules stops running for "
        "good until it is recreated."
    ),
    remediation="Set spec.startingDeadlineSeconds to how late a run may still start (for example 200).",
    references=("https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#job-creation",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-score": ("cronjob-has-deadline",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.group == "batch" and obj.spec.get("startingDeadlineSeconds") is None:
        yield Violation("no startingDeadlineSeconds: after 100 missed schedules the CronJob stops running",
                        ("spec", "startingDeadlineSeconds"))

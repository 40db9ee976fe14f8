"""CronJob has no startingDeadlineSeconds.

## What it checks
Every CronJob for `spec.startingDeadlineSeconds`.

## Why it matters
Without a deadline a run that was missed (the controller was down, the CronJob suspended, the
clock skewed) is started however late the controller notices it: a nightly backup starts in
the middle of the business day, a report for yesterday runs tomorrow.  The deadline says how
late a run may still start; later ones are skipped and counted as missed.  Before Kubernetes
1.21 (the first CronJob controller) more than 100 missed schedules also stopped the CronJob
for good; the current controller only emits a TooManyMissedTimes warning and runs the most
recent one.

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
        "Without startingDeadlineSeconds a missed run starts however late the controller notices it (after "
        "an outage or a suspend), at a time the job was never meant to run."
    ),
    remediation="Set spec.startingDeadlineSeconds to how late a run may still start (for example 200).",
    references=("https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#job-creation",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-score": ("cronjob-has-deadline",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.group == "batch" and obj.spec.get("startingDeadlineSeconds") is None:
        yield Violation("no startingDeadlineSeconds: a missed run starts however late the controller notices it",
                        ("spec", "startingDeadlineSeconds"))

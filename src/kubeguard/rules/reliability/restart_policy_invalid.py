"""Pod restartPolicy is not allowed for its controller.

## What it checks
The pod template's `restartPolicy` against what each controller accepts:

* Deployments, ReplicaSets, StatefulSets, DaemonSets and ReplicationControllers only accept
  `Always` (the default);
* Jobs and CronJobs need `OnFailure` or `Never`; leaving it unset defaults to `Always`, which
  the API server rejects for them.

## Why it matters
The API server refuses such objects, so the manifest fails at deploy time (or, in a Helm
release, halfway through an upgrade).

## Failing example
```yaml
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: report, image: "ghcr.io/example/report:1.0.0"}]
```

## Passing example
```yaml
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: report, image: "ghcr.io/example/report:1.0.0"}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.workloads import BATCH_KINDS, REPLICATED_KINDS
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL032",
    slug="restart-policy-invalid",
    title="Pod restartPolicy is not allowed for its controller",
    severity="medium",
    category="reliability",
    target="workload",
    rationale=(
        "Controllers accept only some restart policies (Always for Deployments and DaemonSets, OnFailure or "
        "Never for Jobs); any other value makes the API server reject the object at deploy time."
    ),
    remediation="Use restartPolicy Always for long-running controllers and OnFailure or Never for Jobs and CronJobs.",
    references=(
        "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy",
        "https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-template",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-score": ("cronjob-restartpolicy",), "kube-linter": ("restart-policy",)},
)

LONG_RUNNING = REPLICATED_KINDS | {"DaemonSet"}


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if pod.base == ("spec",) or pod.obj.group not in ("", "apps", "extensions", "batch"):
        return
    policy = pod.spec.get("restartPolicy")
    path = pod.path("restartPolicy")
    if pod.kind in LONG_RUNNING and policy not in (None, "Always"):
        yield Violation(f"{pod.kind} pods must use restartPolicy Always, not {policy!r}", path)
    elif pod.kind in BATCH_KINDS and policy not in ("OnFailure", "Never"):
        what = "is unset and defaults to Always" if policy is None else f"is {policy!r}"
        yield Violation(f"{pod.kind} pods need restartPolicy OnFailure or Never; it {what}", path)

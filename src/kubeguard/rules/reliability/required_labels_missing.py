"""Workload lacks required labels or annotations.

## What it checks
The `metadata.labels` and `metadata.annotations` of every Deployment, StatefulSet, DaemonSet,
ReplicaSet, ReplicationController, Job, CronJob and Pod that no other scanned object owns,
against `required_labels` (default: the recommended `app.kubernetes.io/name`) and
`required_annotations` (default: none).  A key with an empty value counts as missing.

## Why it matters
Ownership, cost allocation, incident routing and most policy exemptions key on labels; an
unlabelled workload is one nobody answers for when it misbehaves at 3 a.m.

## Failing example
```yaml
kind: Deployment
metadata: {name: web}
```

## Passing example
```yaml
kind: Deployment
metadata:
  name: web
  labels: {app.kubernetes.io/name: web, owner: team-shop}
```

## Exceptions
Labels are an organisation's convention, not a security control, so the severity is info;
Kubescape's C-0076/C-0077 sit in its DevOps framework only and kube-linter's required-label
checks are off by default.  Set `required_labels` to the keys your platform relies on.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="RL033",
    slug="required-labels-missing",
    title="Workload lacks required labels or annotations",
    severity="info",
    category="reliability",
    target="object",
    kinds=("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod"),
    rationale=(
        "Owner, cost and incident routing rely on labels; workloads without them cannot be attributed to a "
        "team or selected by policies."
    ),
    remediation="Add the required labels and annotations to the workload's metadata.",
    references=(
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/",
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/",
    ),
    params=(
        Param(name="required_labels", type="list[str]", default=["app.kubernetes.io/name"],
              description="Label keys every workload must carry with a non-empty value."),
        Param(name="required_annotations", type="list[str]", default=[],
              description="Annotation keys every workload must carry with a non-empty value."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0076", "C-0077"), "kube-linter": ("required-label-owner", "required-annotation-email")},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if ctx.cluster.owner_of(obj) is not None:
        return
    for field, keys, present in (("labels", ctx.params.required_labels, obj.labels),
                                 ("annotations", ctx.params.required_annotations, obj.annotations)):
        for key in keys:
            if not present.get(key):
                yield Violation(f"{field[:-1]} {key!r} is missing", ("metadata", field, key))

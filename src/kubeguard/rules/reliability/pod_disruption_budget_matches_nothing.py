"""PodDisruptionBudget selects no workload.

## What it checks
Every PodDisruptionBudget whose selector matches the pod template labels of no workload in its
namespace (Deployments, StatefulSets, DaemonSets, Jobs, bare Pods and custom-resource pod
templates).  In `policy/v1` an absent selector matches nothing and `{}` matches everything; in
`policy/v1beta1` `{}` matched nothing.

In a manifest scan, a budget whose folder defines no workload of its namespace is reported
UNKNOWN: the workloads may simply live in another folder.  So is a budget whose selector
matches the labels (or `spec.podMetadata.labels`) of a custom resource whose operator runs
pods, such as prometheus-operator's Prometheus and Alertmanager: those pods come from a
StatefulSet the operator creates at run time.

## Why it matters
A budget that selects nothing protects nothing, usually because of a label typo or a renamed
app, and gives a false sense of safety during drains.

## Failing example
```yaml
kind: PodDisruptionBudget
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: wbe}}
```

## Passing example
```yaml
kind: PodDisruptionBudget
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, NotEvaluated, Violation
from kubeguard.rules._helpers.workloads import (
    inventory_is_complete, operator_pods_maybe_selected, pdb_selector, same_input, workloads_selected_by,
)
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL019",
    slug="pod-disruption-budget-matches-nothing",
    title="PodDisruptionBudget selects no workload",
    severity="low",
    category="reliability",
    target="object",
    kinds=("PodDisruptionBudget",),
    rationale=(
        "A budget whose selector matches no pods protects nothing during drains, typically after a label "
        "typo or a rename."
    ),
    remediation="Fix spec.selector to match the labels of the workload's pod template.",
    references=("https://kubernetes.io/docs/tasks/run-application/configure-pdb/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"popeye": ("POP-900",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    selector, empty_all = pdb_selector(obj)
    if selector is None:
        yield Violation("has no selector, so it selects no pod", ("spec", "selector"))
        return
    if workloads_selected_by(ctx.cluster, obj.namespace, selector, empty_all):
        return
    if not inventory_is_complete(ctx.cluster) and not any(
            same_input(p.obj, obj) for p in ctx.cluster.workloads_in(obj.namespace)):
        raise NotEvaluated(f"the workloads of namespace {obj.namespace!r} are not in the scanned folder")
    operated = operator_pods_maybe_selected(ctx.cluster, obj.namespace, selector)
    if operated is not None:
        raise NotEvaluated(f"its pods may be those {operated.kind} {operated.name!r} has its operator create; "
                           "the manifests hold no template for them")
    yield Violation(f"selector matches no workload in namespace {obj.namespace!r}", ("spec", "selector"))

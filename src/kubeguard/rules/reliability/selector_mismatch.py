"""Controller selector does not match its pod template labels.

## What it checks
* Deployments, ReplicaSets, StatefulSets and DaemonSets (`apps/v1`) and replicated custom
  resources such as Argo Rollouts: `spec.selector` must be present, valid, not empty, and must
  select the pod template's labels;
* ReplicationControllers: a non-empty `spec.selector` map must match the template labels (an
  empty one defaults to them);
* Jobs with `manualSelector: true`: the selector must match the template labels.

Older `extensions/v1beta1` and `apps/v1beta*` objects default a missing selector from the
template labels, so only a present selector is checked there.

## Why it matters
The API server rejects such controllers ("selector does not match template labels"); a
selector that matches other pods as well makes two controllers fight over them.

## Failing example
```yaml
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: website}}
```

## Passing example
```yaml
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: frontend}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation, map_selector_matches, selector_matches
from kubeguard.model.selectors import selector_is_valid
from kubeguard.rules._helpers.workloads import REPLICATED_CUSTOM
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL036",
    slug="selector-mismatch",
    title="Controller selector does not match its pod template labels",
    severity="medium",
    category="reliability",
    target="workload",
    rationale=(
        "A controller whose selector misses its own pod labels is rejected by the API server, and a too-broad "
        "selector makes controllers adopt and delete each other's pods."
    ),
    remediation="Make spec.selector select exactly the labels of spec.template.metadata.labels.",
    references=(
        "https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector",
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0296",), "kube-linter": ("mismatching-selector",),
           "kube-score": ("deployment-pod-selector-labels-match-template-metadata-labels",
                          "statefulset-pod-selector-labels-match-template-metadata-labels")},
)

APPS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"})


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    obj = pod.obj
    if pod.base != ("spec", "template", "spec"):
        return
    sel = obj.spec.get("selector")
    path = ("spec", "selector")
    labels = pod.labels
    if obj.kind == "ReplicationController" and obj.group == "":
        if sel and not map_selector_matches(sel, labels):
            yield Violation("spec.selector does not match the pod template labels", path)
        return
    if obj.kind == "Job" and obj.group == "batch":
        if obj.spec.get("manualSelector") is True and not selector_matches(sel, labels):
            yield Violation("manual spec.selector does not match the pod template labels", path)
        return
    legacy = obj.api_version in ("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2")
    if not ((obj.kind in APPS and obj.group in ("apps", "extensions")) or (obj.group, obj.kind) in REPLICATED_CUSTOM):
        return
    if sel is None:
        if not legacy:
            yield Violation("spec.selector is required", path)
        return
    if not selector_is_valid(sel):
        yield Violation("spec.selector is not a valid label selector", path)
    elif sel == {} or not (sel.get("matchLabels") or sel.get("matchExpressions")):
        yield Violation("spec.selector is empty; it must select the pod template labels", path)
    elif not selector_matches(sel, labels):
        yield Violation("spec.selector does not match the pod template labels", path)

"""Topology spread constraint does not spread the pod it belongs to.

## What it checks
Every entry of `topologySpreadConstraints` in every pod spec for the fields the scheduler needs
to spread this pod: a `topologyKey`, `maxSkew` of at least 1, `whenUnsatisfiable` of
`DoNotSchedule` or `ScheduleAnyway`, and a `labelSelector` that matches the pod's own labels.
Without a selector the constraint counts no pods; with a selector that misses the pod's own
labels it balances some other set of pods and never this one.

## Why it matters
A constraint that spreads nothing looks like protection in review but lets every replica land
in the same zone or on the same node.

## Failing example
```yaml
metadata: {labels: {app: web}}
spec:
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: DoNotSchedule
      labelSelector: {matchLabels: {app: website}}
```

## Passing example
```yaml
metadata: {labels: {app: web}}
spec:
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: DoNotSchedule
      labelSelector: {matchLabels: {app: web}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation, selector_matches
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL025",
    slug="topology-spread-constraint-invalid",
    title="Topology spread constraint does not spread the pod it belongs to",
    severity="low",
    category="reliability",
    target="workload",
    rationale=(
        "A spread constraint without a selector matching the pod's own labels, or with invalid fields, "
        "does not spread the workload and lets replicas pile into one zone or node."
    ),
    remediation=(
        "Give each constraint a topologyKey, maxSkew >= 1, a valid whenUnsatisfiable and a labelSelector "
        "matching the pod labels."
    ),
    references=("https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-score": ("pod-topology-spread-constraints",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    tsc = pod.spec.get("topologySpreadConstraints")
    if not isinstance(tsc, list):
        return
    for i, c in enumerate(tsc):
        path = pod.path("topologySpreadConstraints", i)
        if not isinstance(c, dict):
            yield Violation(f"constraint {i} is not a mapping", path)
            continue
        if not c.get("topologyKey"):
            yield Violation(f"constraint {i} has no topologyKey", path + ("topologyKey",))
        skew = c.get("maxSkew")
        if not isinstance(skew, int) or isinstance(skew, bool) or skew < 1:
            yield Violation(f"constraint {i} maxSkew must be an integer of at least 1", path + ("maxSkew",))
        if c.get("whenUnsatisfiable") not in ("DoNotSchedule", "ScheduleAnyway"):
            yield Violation(f"constraint {i} whenUnsatisfiable must be DoNotSchedule or ScheduleAnyway",
                            path + ("whenUnsatisfiable",))
        sel = c.get("labelSelector")
        if sel is None:
            yield Violation(f"constraint {i} has no labelSelector, so it counts no pods", path + ("labelSelector",))
        elif not selector_matches(sel, pod.labels):
            yield Violation(f"constraint {i} labelSelector does not match the pod's own labels",
                            path + ("labelSelector",))

"""Pod would be rejected by a ResourceQuota of its namespace.

## What it checks
Applies the ResourceQuota admission plugin to every pod spec, against every ResourceQuota of
its namespace whose scopes match the pod (`Terminating`, `NotTerminating`, `BestEffort`,
`NotBestEffort`, `PriorityClass`, `CrossNamespacePodAffinity`), after LimitRange defaults:

* when a quota tracks `cpu`/`memory` requests or limits, every init and app container must
  set that request or limit, or the pod is refused ("must specify limits.cpu");
* a single pod's usage (requests and limits counted as the scheduler does: the larger of the
  app containers plus sidecars and each init container, plus `spec.overhead`) must fit within
  `hard`, as must `pods: 1`;
* the workload's replicas together must fit, or only some of them can ever be created.

Quota `status.used` is not taken into account, so a nearly full quota is not reported.

## Why it matters
Quota refusals happen when the controller creates pods, not when the Deployment is applied:
the rollout simply never progresses, often noticed only by the next on-call.

## Failing example
```yaml
kind: ResourceQuota
spec:
  hard: {limits.memory: 4Gi}
---
kind: Deployment
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: app
          resources: {limits: {memory: 2Gi}}   # 3 x 2Gi > 4Gi
```

## Passing example
```yaml
kind: Deployment
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: app
          resources: {limits: {memory: 2Gi}}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from kubeguard.model import K8sObject, PodSpecView, Violation
from kubeguard.rules._helpers.quantities import format_quantity, try_quantity
from kubeguard.rules._helpers.resources import (
    effective_limit, effective_request, limit_ranges, pod_overhead, pod_total, resource_containers,
)
from kubeguard.rules._helpers.workloads import declared_replicas, is_top_level, objects_in
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="TN009",
    slug="resource-quota-rejects-pod",
    title="Pod would be rejected by a ResourceQuota of its namespace",
    severity="medium",
    category="tenancy",
    target="workload",
    requires=("ResourceQuota", "LimitRange"),
    rationale=(
        "Quota admission refuses pods that omit a tracked request or limit or exceed the hard bounds; the "
        "workload is accepted but its pods are never created."
    ),
    remediation=(
        "Set the requests and limits the namespace quota tracks on every container, and keep the workload's "
        "total within the quota (or raise the quota)."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/policy/resource-quotas/",
        "https://kubernetes.io/docs/concepts/policy/resource-quotas/#quota-scopes",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
)

# quota key -> (section, resource) for the keys quota admission requires on every container
REQUIRED_KEYS = {
    "cpu": ("requests", "cpu"), "requests.cpu": ("requests", "cpu"), "limits.cpu": ("limits", "cpu"),
    "memory": ("requests", "memory"), "requests.memory": ("requests", "memory"), "limits.memory": ("limits", "memory"),
}
# quota key -> (section, resource) counted on the pod total
USAGE_KEYS = {
    **REQUIRED_KEYS,
    "ephemeral-storage": ("requests", "ephemeral-storage"),
    "requests.ephemeral-storage": ("requests", "ephemeral-storage"),
    "limits.ephemeral-storage": ("limits", "ephemeral-storage"),
}


def _scope_matches(scope: str, operator: str, values: list, pod: PodSpecView, best_effort: bool) -> bool | None:
    """Whether one scope applies to the pod; None for scopes that never apply to pods."""
    terminating = pod.spec.get("activeDeadlineSeconds") is not None
    if scope == "Terminating":
        hit = terminating
    elif scope == "NotTerminating":
        hit = not terminating
    elif scope == "BestEffort":
        hit = best_effort
    elif scope == "NotBestEffort":
        hit = not best_effort
    elif scope == "PriorityClass":
        name = pod.spec.get("priorityClassName")
        if operator == "Exists":
            return bool(name)
        if operator == "DoesNotExist":
            return not name
        hit = name in values if operator == "In" else name not in values
        return hit
    elif scope == "CrossNamespacePodAffinity":
        hit = _cross_namespace_affinity(pod)
    else:
        return None
    return hit if operator in ("Exists", "In", "") else not hit


def _cross_namespace_affinity(pod: PodSpecView) -> bool:
    affinity = pod.spec.get("affinity")
    if not isinstance(affinity, dict):
        return False
    for kind in ("podAffinity", "podAntiAffinity"):
        block = affinity.get(kind)
        if not isinstance(block, dict):
            continue
        terms = list(block.get("requiredDuringSchedulingIgnoredDuringExecution") or [])
        terms += [t.get("podAffinityTerm") for t in block.get("preferredDuringSchedulingIgnoredDuringExecution") or []
                  if isinstance(t, dict)]
        if any(isinstance(t, dict) and (t.get("namespaces") or t.get("namespaceSelector") is not None) for t in terms):
            return True
    return False


def quota_applies(quota: K8sObject, pod: PodSpecView, best_effort: bool) -> bool:
    checks: list[tuple[str, str, list]] = [(s, "Exists", []) for s in quota.spec.get("scopes") or []]
    sel = quota.spec.get("scopeSelector")
    for e in (sel.get("matchExpressions") or []) if isinstance(sel, dict) else []:
        if isinstance(e, dict):
            checks.append((str(e.get("scopeName")), str(e.get("operator")), list(e.get("values") or [])))
    for scope, op, values in checks:
        if _scope_matches(scope, op, values, pod, best_effort) is not True:
            return False
    return True


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    quotas = objects_in(ctx.cluster, "ResourceQuota", pod.namespace)
    if not quotas:
        return
    lr = limit_ranges(ctx.cluster, pod.namespace)
    containers = list(resource_containers(pod))
    eff = {(c.list_name, c.index, section, res): (effective_request if section == "requests" else effective_limit)(
        c, res, lr) for c in containers for section, res in set(USAGE_KEYS.values())}
    best_effort = not any(eff[(c.list_name, c.index, s, r)].is_set
                          for c in containers for s in ("requests", "limits") for r in ("cpu", "memory"))
    replicas = declared_replicas(pod.obj)[0] if is_top_level(pod) else None
    for quota in sorted(quotas, key=lambda q: q.name):
        hard = quota.spec.get("hard")
        if not isinstance(hard, dict) or not quota_applies(quota, pod, best_effort):
            continue
        who = f"ResourceQuota {quota.name!r}"
        for key in sorted(k for k in hard if k in REQUIRED_KEYS):
            section, res = REQUIRED_KEYS[key]
            for c in containers:
                if not eff[(c.list_name, c.index, section, res)].is_set:
                    yield Violation(f"container {c.name!r} sets no {res} {section[:-1]}, which {who} requires "
                                    f"because it tracks {key}", c.path("resources", section, res),
                                    container=c.name, related=(quota.ref,))
        for key in sorted(hard):
            limit = try_quantity(hard[key])
            if limit is None:
                continue
            if key in ("pods", "count/pods"):
                usage, res = Fraction(1), "pods"
            elif key in USAGE_KEYS:
                section, res = USAGE_KEYS[key]
                usage = pod_total(pod, lambda c: eff[(c.list_name, c.index, section, res)].value,
                                  pod_overhead(pod, res))
                if usage is None:
                    continue
            else:
                continue
            allowed = f"{who} allows {format_quantity(limit, res)}{' pods' if res == 'pods' else ''}"
            if usage > limit:
                need = "no pod fits" if res == "pods" else f"one pod uses {format_quantity(usage, res)} {key}"
                yield Violation(f"{need}: {allowed}", pod.path("containers"), related=(quota.ref,))
            elif replicas and replicas > 1 and usage * replicas > limit:
                need = "" if res == "pods" else f" use {format_quantity(usage * replicas, res)} {key}"
                yield Violation(f"{replicas} replicas{need}, but {allowed}", ("spec", "replicas"),
                                related=(quota.ref,))

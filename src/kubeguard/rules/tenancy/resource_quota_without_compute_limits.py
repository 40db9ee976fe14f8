"""Namespace quotas do not bound both CPU and memory.

## What it checks
Every namespace that has ResourceQuotas for whether, taken together, they bound CPU (`cpu`,
`requests.cpu`, `limits.cpu`) and memory (`memory`, `requests.memory`, `limits.memory`).  A
namespace with an object-count quota and a separate compute quota passes.  The finding is
reported once per namespace, on its first quota by name.

## Why it matters
A quota that only counts objects (pods, services, secrets) still lets the namespace claim every
core and byte of the cluster; it looks like tenancy control but does not prevent a noisy or
malicious tenant from starving the others.

## Failing example
```yaml
kind: ResourceQuota
spec:
  hard: {pods: "50", services: "10"}
```

## Passing example
```yaml
kind: ResourceQuota
spec:
  hard: {pods: "50", requests.cpu: "20", requests.memory: 64Gi, limits.memory: 64Gi}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.workloads import objects_in
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="TN008",
    slug="resource-quota-without-compute-limits",
    title="Namespace quotas do not bound both CPU and memory",
    severity="low",
    category="tenancy",
    tags=("mitre:T1499",),
    target="object",
    kinds=("ResourceQuota",),
    rationale=(
        "A quota that only counts objects lets the namespace consume all CPU and memory of the cluster, "
        "so it gives no protection against a noisy or hostile tenant."
    ),
    remediation=(
        "Add requests.cpu, requests.memory and limits.memory (or limits.cpu) to a ResourceQuota of the "
        "namespace."
    ),
    references=("https://kubernetes.io/docs/concepts/policy/resource-quotas/#compute-resource-quota",),
    lifecycle=Lifecycle.preview("0.1.0"),
)

CPU = ("cpu", "requests.cpu", "limits.cpu")
MEMORY = ("memory", "requests.memory", "limits.memory")


def _bounds(quota: K8sObject) -> tuple[bool, bool]:
    hard = quota.spec.get("hard")
    hard = hard if isinstance(hard, dict) else {}
    return any(k in hard for k in CPU), any(k in hard for k in MEMORY)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    quotas = sorted(objects_in(ctx.cluster, "ResourceQuota", obj.namespace), key=lambda q: q.name)
    if quotas[0] is not obj:
        return  # one finding per namespace, on its first quota
    cpu = memory = False
    for q in quotas:
        c, m = _bounds(q)
        cpu, memory = cpu or c, memory or m
    missing = [name for name, bound in (("CPU", cpu), ("memory", memory)) if not bound]
    if missing:
        yield Violation(f"no ResourceQuota of namespace {obj.namespace!r} bounds {' or '.join(missing)}",
                        ("spec", "hard"))

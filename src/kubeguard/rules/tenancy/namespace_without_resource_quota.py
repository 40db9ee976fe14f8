"""Namespace has no ResourceQuota.

## What it checks
Every Namespace object (other than `exempt_namespaces`) for at least one ResourceQuota in it.
Only Namespaces present in the input are checked, so a manifest folder that creates its
namespace is expected to create its quota too.

## Why it matters
Without a quota one team, one runaway autoscaler or one attacker with create rights can claim
every CPU, every byte of memory and every load balancer of the cluster, starving the other
tenants.

## Failing example
```yaml
kind: Namespace
metadata: {name: team-a}
```

## Passing example
```yaml
kind: ResourceQuota
metadata: {name: compute, namespace: team-a}
spec:
  hard: {requests.cpu: "20", requests.memory: 64Gi, limits.memory: 64Gi, pods: "200"}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.namespaces import SYSTEM_NAMESPACES, namespace_without
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="TN004",
    slug="namespace-without-resource-quota",
    title="Namespace has no ResourceQuota",
    severity="low",
    category="tenancy",
    tags=("mitre:T1499",),
    target="object",
    kinds=("Namespace",),
    requires=("ResourceQuota",),
    rationale=(
        "A namespace without a ResourceQuota can consume the whole cluster's compute and objects, starving "
        "other tenants."
    ),
    remediation="Create a ResourceQuota in the namespace that bounds requests, limits and object counts.",
    references=(
        "https://kubernetes.io/docs/concepts/policy/resource-quotas/",
        "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
    ),
    params=(
        Param(name="exempt_namespaces", type="list[str]", default=list(SYSTEM_NAMESPACES),
              description="Namespaces that need no ResourceQuota."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"trivy": ("KSV-0040",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    yield from namespace_without(obj, ctx, "ResourceQuota")

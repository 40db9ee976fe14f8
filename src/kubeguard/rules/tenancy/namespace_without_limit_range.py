"""Namespace has no LimitRange.

## What it checks
Every Namespace object (other than `exempt_namespaces`) for at least one LimitRange in it.
Only Namespaces present in the input are checked.

## Why it matters
A LimitRange gives containers that forget their requests and limits sane defaults and caps the
largest container a tenant may create; without one, such containers run unbounded and are
scheduled as if they needed nothing.

## Failing example
```yaml
kind: Namespace
metadata: {name: team-a}
```

## Passing example
```yaml
kind: LimitRange
metadata: {name: defaults, namespace: team-a}
spec:
  limits:
    - type: Container
      default: {cpu: 500m, memory: 512Mi}
      defaultRequest: {cpu: 100m, memory: 128Mi}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.namespaces import SYSTEM_NAMESPACES, namespace_without
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="TN005",
    slug="namespace-without-limit-range",
    title="Namespace has no LimitRange",
    severity="low",
    category="tenancy",
    target="object",
    kinds=("Namespace",),
    requires=("LimitRange",),
    rationale=(
        "Without a LimitRange, containers that omit requests and limits run unbounded in the namespace and "
        "are scheduled as if they needed no resources."
    ),
    remediation="Create a LimitRange with default and defaultRequest values (and max bounds) for containers.",
    references=(
        "https://kubernetes.io/docs/concepts/policy/limit-range/",
        "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
    ),
    params=(
        Param(name="exempt_namespaces", type="list[str]", default=list(SYSTEM_NAMESPACES),
              description="Namespaces that need no LimitRange."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"trivy": ("KSV-0039",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    yield from namespace_without(obj, ctx, "LimitRange")

"""Namespace enforces a Pod Security level below the required minimum.

## What it checks
Every Namespace whose `pod-security.kubernetes.io/enforce` label is set, against
`minimum_level` (default `baseline`): `privileged` < `baseline` < `restricted`.  An invalid value
is reported as well: Pod Security admission then falls back to `restricted` and logs an error,
which is rarely what was meant.  Namespaces in `exempt_namespaces` are skipped; a missing label
is TN006's concern.

## Why it matters
`enforce: privileged` switches the admission controller off for the namespace: privileged
containers, host namespaces and hostPath mounts are all admitted.

## Failing example
```yaml
metadata:
  labels: {pod-security.kubernetes.io/enforce: privileged}
```

## Passing example
```yaml
metadata:
  labels: {pod-security.kubernetes.io/enforce: baseline}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.namespaces import PSA_ENFORCE, PSA_LEVELS, SYSTEM_NAMESPACES, psa_rank
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="TN007",
    slug="namespace-pod-security-below-minimum",
    title="Namespace enforces a Pod Security level below the required minimum",
    severity="medium",
    category="tenancy",
    tags=("mitre:T1610", "cis-k8s:5.2.1"),
    target="object",
    kinds=("Namespace",),
    rationale=(
        "An enforce level of privileged turns Pod Security admission off for the namespace, admitting pods "
        "that can take over their node."
    ),
    remediation="Raise pod-security.kubernetes.io/enforce to at least the minimum level (baseline or restricted).",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/",
                "https://kubernetes.io/docs/concepts/security/pod-security-admission/"),
    params=(
        Param(name="minimum_level", type="str", default="baseline", choices=PSA_LEVELS,
              description="Lowest acceptable enforce level: privileged, baseline or restricted."),
        Param(name="exempt_namespaces", type="list[str]", default=list(SYSTEM_NAMESPACES),
              description="Namespaces allowed to enforce a lower level (system components)."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    level = obj.labels.get(PSA_ENFORCE)
    if level is None or obj.name in ctx.params.exempt_namespaces:
        return
    path = ("metadata", "labels", PSA_ENFORCE)
    rank = psa_rank(level)
    if rank is None:
        yield Violation(f"enforce level {level!r} is not one of {', '.join(PSA_LEVELS)}; Pod Security admission "
                        "falls back to restricted and reports an error", path)
        return
    if rank < PSA_LEVELS.index(ctx.params.minimum_level):
        yield Violation(f"enforces {level}, below the required {ctx.params.minimum_level}", path)

"""Namespace does not enforce a Pod Security Standard.

## What it checks
Every Namespace object (other than `exempt_namespaces`) for the
`pod-security.kubernetes.io/enforce` label read by the built-in Pod Security admission
controller.  Without it the cluster-wide default applies, which is `privileged` unless the API
server's AdmissionConfiguration says otherwise; set `cluster_default_level` when it does.

## Why it matters
Pod Security admission is the built-in guard against privileged, host-namespace and hostPath
pods.  A namespace without an enforce label accepts all of them, so a single compromised
deployment pipeline can create a pod that escapes to the node.

## Failing example
```yaml
kind: Namespace
metadata: {name: team-a}
```

## Passing example
```yaml
kind: Namespace
metadata:
  name: team-a
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.namespaces import PSA_ENFORCE, PSA_LEVELS, SYSTEM_NAMESPACES
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="TN006",
    slug="namespace-pod-security-not-enforced",
    title="Namespace does not enforce a Pod Security Standard",
    severity="medium",
    category="tenancy",
    tags=("mitre:T1610", "cis-k8s:5.2.1"),
    target="object",
    kinds=("Namespace",),
    rationale=(
        "Without a pod-security.kubernetes.io/enforce label the namespace accepts privileged, host-namespace "
        "and hostPath pods unless the cluster default is stricter."
    ),
    remediation="Label the namespace pod-security.kubernetes.io/enforce=baseline (or restricted).",
    references=(
        "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
        "https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/",
    ),
    params=(
        Param(name="exempt_namespaces", type="list[str]", default=list(SYSTEM_NAMESPACES),
              description="Namespaces allowed to run without an enforce label (system components)."),
        Param(name="cluster_default_level", type="str", default="privileged", choices=PSA_LEVELS,
              description="Enforce level of the API server's PodSecurity AdmissionConfiguration defaults."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.name in ctx.params.exempt_namespaces or PSA_ENFORCE in obj.labels:
        return
    if ctx.params.cluster_default_level != "privileged":
        return
    yield Violation(f"namespace {obj.name!r} has no {PSA_ENFORCE} label, so pods are admitted at the "
                    f"cluster default level ({ctx.params.cluster_default_level})", ("metadata", "labels", PSA_ENFORCE))

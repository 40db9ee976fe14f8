""""Subject can drive a privileged controller through custom resources".

## What it checks
Subjects that may create, update or patch custom resources acted on by controllers with
broad identities: Argo CD Applications and ApplicationSets, Argo Workflows, Flux
Kustomizations and HelmReleases, Tekton TaskRuns and PipelineRuns, Kyverno policies.

## Why it matters
The controller creates objects or runs pods with its own ServiceAccount (often cluster-
admin) or with the ServiceAccount named in the resource — a confused deputy that no RBAC
check on the caller sees.

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: ["argoproj.io"]
    resources: ["applications"]
    verbs: ["create"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: ["argoproj.io"]
    resources: ["applications"]
    verbs: ["get", "list", "watch"]
```

## Remediation
Restrict who may write these resources, and configure the controller to act as a per-tenant
ServiceAccount (Argo CD projects, Flux serviceAccountName with lockdown, Tekton default SA).

## Exceptions and known false positives/negatives
GitOps pipelines are meant to hold it; the finding shows who else does. Bindings owned by
the platform are skipped unless `include_platform` is set; subjects with full authority at
the scope are reported once by RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB026",
    slug="controller-deputy-write",
    title="Subject can drive a privileged controller through custom resources",
    severity="high",
    category="rbac",
    tags=("mitre:T1078",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale="Writing a resource that a cluster-admin controller acts on borrows the controller's identity.",
    remediation=(
        "Restrict who may write these resources, and configure the controller to act as a per-tenant "
        "ServiceAccount (Argo CD projects, Flux serviceAccountName with lockdown, Tekton default SA)."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={},
)
PRIMITIVES = ("deputy-write",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

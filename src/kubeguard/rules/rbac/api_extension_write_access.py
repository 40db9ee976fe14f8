""""Subject can write APIServices or CustomResourceDefinitions".

## What it checks
Subjects that may `create`, `update` or `patch` `apiregistration.k8s.io/apiservices`
(redirect an API group to a service they choose) or
`apiextensions.k8s.io/customresourcedefinitions` (add a conversion webhook).

## Why it matters
An APIService answers every request for its group/version (CVE-2022-3172 class); a CRD
conversion webhook receives every stored object of that kind.

## Failing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["apiregistration.k8s.io"]
    resources: ["apiservices"]
    verbs: ["update"]
```

## Passing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["apiregistration.k8s.io"]
    resources: ["apiservices"]
    verbs: ["get", "list"]
```

## Remediation
Keep APIService and CRD writes with cluster administrators and the operators that own them,
restricted by resourceNames.

## Exceptions and known false positives/negatives
Operators installing their own CRDs; restrict with resourceNames. Bindings owned by the
platform are skipped unless `include_platform` is set; subjects with full authority at the
scope are reported once by RB002 instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB019",
    slug="api-extension-write-access",
    title="Subject can write APIServices or CustomResourceDefinitions",
    severity="high",
    category="rbac",
    tags=("mitre:T1557",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Control of an API group or of a CRD's conversion lets the holder read and tamper with objects "
        "other identities send."
    ),
    remediation=(
        "Keep APIService and CRD writes with cluster administrators and the operators that own them, "
        "restricted by resourceNames."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0089",)},
)
PRIMITIVES = ("apiservice-write", "crd-write")


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

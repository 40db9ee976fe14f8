""""Subject can write admission webhooks or mutating admission policies".

## What it checks
Subjects that may `create`, `update` or `patch` MutatingWebhookConfigurations,
ValidatingWebhookConfigurations, MutatingAdmissionPolicies or their bindings.

## Why it matters
A mutating webhook rewrites every new pod (service account, privileged, hostPath); a
validating webhook receives every admitted object, Secrets included; `failurePolicy: Fail`
turns it into a denial of service.

## Failing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["admissionregistration.k8s.io"]
    resources: ["mutatingwebhookconfigurations"]
    verbs: ["create", "patch"]
```

## Passing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["admissionregistration.k8s.io"]
    resources: ["mutatingwebhookconfigurations"]
    verbs: ["get", "list", "watch"]
```

## Remediation
Restrict webhook configuration writes to cluster administrators; controllers that patch
their own caBundle should use resourceNames.

## Exceptions and known false positives/negatives
cert-manager's cainjector and policy engines patch their own configurations; restrict them
with resourceNames. Bindings owned by the platform are skipped unless `include_platform` is
set; subjects with full authority at the scope are reported once by RB002 instead.

## Differences from Checkov
Checkov's CKV_K8S_155 reports the role; this rule reports the binding that gives it to a subject.
Roles nobody is bound to grant nothing and are left out; `*` holders are reported by RB002.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB018",
    slug="admission-webhook-write-access",
    title="Subject can write admission webhooks or mutating admission policies",
    severity="critical",
    category="rbac",
    tags=("mitre:T1554",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Admission webhook configuration is cluster-admin-equivalent persistence: every object passes "
        "through the endpoint it names."
    ),
    remediation=(
        "Restrict webhook configuration writes to cluster administrators; controllers that patch their "
        "own caBundle should use resourceNames."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0281", "C-0036", "C-0039"), "trivy": ("KSV-0114",), "checkov": ("CKV_K8S_155",)},
)
PRIMITIVES = ("webhook-write",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

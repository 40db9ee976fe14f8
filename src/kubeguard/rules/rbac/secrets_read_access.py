""""Subject can read Secrets".

## What it checks
Every binding subject (User, Group, ServiceAccount, cloud principal) that may `get`, `list`
or `watch` `secrets` through its effective grants: the plural core resource, `*` resources
or `*` verbs, at the binding's scope. Rules are evaluated one at a time (a `get` on
`configmaps` and `secrets` in another rule never combine), and `resourceNames` restrict the
finding to those objects.

## Why it matters
Secret values include ServiceAccount tokens, cloud keys, registry and TLS credentials.
`list` and `watch` return values, not just names, so one grant yields every credential in
scope.

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["list"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "list"]
```

## Remediation
Grant Secrets access only to the workloads that need it, by name (`resourceNames`) and with
`get` only; prefer mounting the Secret into the pod over API access.

## Exceptions and known false positives/negatives
Controllers that manage Secrets (cert-manager, external-secrets, sealed-secrets) need it;
exempt their bindings by name. The plural `secrets` is what matters: a rule naming `secret`
matches nothing upstream. Bindings owned by the platform are skipped unless
`include_platform` is set; subjects with full authority at the scope are reported once by
RB002 instead.

## Differences from Checkov
Checkov's CKV2_K8S_5 flags only subjects that can read every Secret cluster-wide and ignores
`apiGroups` (its false positives include `*` in `external.metrics.k8s.io`, a group with no Secrets).
CIS 5.1.2 asks to minimise any Secret access, so namespace-scoped reads are reported here too (68 on
the corpus).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB010",
    slug="secrets-read-access",
    title="Subject can read Secrets",
    severity="high",
    category="rbac",
    tags=("mitre:T1552.007", "mitre:T1528"),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Anyone who can list or watch Secrets holds every credential stored in them: tokens of other "
        "ServiceAccounts, cloud keys and registry credentials."
    ),
    remediation=(
        "Grant Secrets access only to the workloads that need it, by name (`resourceNames`) and with "
        "`get` only; prefer mounting the Secret into the pod over API access."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={
        "kubescape": ("C-0015", "C-0186"),
        "trivy": ("KSV-0041", "KSV-0113"),
        "checkov": ("CKV2_K8S_5",),
        "kube-linter": ("access-to-secrets",),
    },
)
PRIMITIVES = ("secrets-read",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

""""Subject can exec or attach into running pods".

## What it checks
Subjects that may `create` **or `get`** `pods/exec` or `pods/attach`, or `update`/`patch`
`pods/ephemeralcontainers`. `get` counts because WebSocket upgrades arrive as GET (enough to
exec before Kubernetes 1.35 or with the AuthorizePodWebsocketUpgradeCreatePermission gate
off). `pods/*` is not a wildcard for these subresources; `*/exec` and `*` are.

## Why it matters
Exec, attach and ephemeral containers run code inside an existing pod with its
ServiceAccount token, mounts and privileges.

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["pods/exec"]
    verbs: ["get"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/log"]
    verbs: ["get"]
```

## Remediation
Remove exec, attach and ephemeral-container rights from everyday roles; grant them just in
time to operators who need a shell.

## Exceptions and known false positives/negatives
Debugging roles for on-call engineers; exempt with an owner and expiry. Bindings owned by
the platform are skipped unless `include_platform` is set; subjects with full authority at
the scope are reported once by RB002 instead.

## Differences from Checkov
Checkov's CKV2_K8S_2 misses real `pods/exec` grants (e.g. Argo CD's `argocd-server` role on the
corpus). Holders of `*` are reported once by RB002 (full authority) instead of by every narrower
rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB012",
    slug="pod-exec-access",
    title="Subject can exec or attach into running pods",
    severity="high",
    category="rbac",
    tags=("mitre:T1609",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Exec into a pod is code execution as that pod's identity; peers that only check `create` miss "
        "the WebSocket `get` path."
    ),
    remediation=(
        "Remove exec, attach and ephemeral-container rights from everyday roles; grant them just in time "
        "to operators who need a shell."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={
        "kubescape": ("C-0002",),
        "trivy": ("KSV-0053", "KSV-0054"),
        "checkov": ("CKV2_K8S_2",),
        "polaris": ("clusterrolePodExecAttach", "rolePodExecAttach"),
    },
)
PRIMITIVES = ("pod-exec",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

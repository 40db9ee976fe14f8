"""Pod mounts an API token its ServiceAccount has no permissions for.

## What it checks
Every pod spec that mounts a ServiceAccount token (automountServiceAccountToken not
false on the pod, or unset there and not false on the ServiceAccount; or a projected
`serviceAccountToken` volume) whose ServiceAccount holds no RBAC grant other than the
platform's defaults — directly, as a User `system:serviceaccount:NS:NAME`, or through
`system:serviceaccounts[:NS]` and `system:authenticated`.

## Why it matters
The token is useless to the application but useful to an attacker: it authenticates to
the API server (reconnaissance, anything later granted to the ServiceAccount or to
`system:authenticated`) and is the first step of most attack paths from a compromised
container.

## Failing example
```yaml
kind: Deployment
spec:
  template:
    spec:
      serviceAccountName: web   # no binding grants web anything
      containers: [{name: web, image: nginx:1.27}]
```

## Passing example
```yaml
kind: Deployment
spec:
  template:
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
      containers: [{name: web, image: nginx:1.27}]
```

## Remediation
Set `automountServiceAccountToken: false` on the pod or on its ServiceAccount.

## Exceptions and known false positives/negatives
Applications that only use TokenReview-style self checks or cloud federation through a
separately projected token do not need the automounted one.  Grants made outside RBAC
(EKS access policies, GKE IAM, Azure RBAC) are not seen.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import rbac_graph, sa_path, token_mounted

META = RuleMeta(
    code="RB009",
    slug="token-automount-without-rbac",
    title="Pod mounts an API token its ServiceAccount has no permissions for",
    severity="low",
    category="rbac",
    tags=("mitre:T1528",),
    target="workload",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "An automounted token the application never uses only helps an attacker who compromises the "
        "container."
    ),
    remediation="Set automountServiceAccountToken: false on the pod or on its ServiceAccount.",
    references=("https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"
                "#opt-out-of-api-credential-automounting",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0190",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if not token_mounted(pod, ctx.cluster):
        return
    graph = rbac_graph(ctx)
    sa = graph.identity_of_service_account(pod.namespace or "default", pod.service_account_name)
    if any(not g.binding.is_platform for g in graph.grants_for(sa)):
        return
    yield Violation(f"{pod.kind} {pod.obj.name!r} mounts a token for {sa}, which RBAC grants nothing beyond "
                    f"platform defaults", sa_path(pod))

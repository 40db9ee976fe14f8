"""Pod uses the namespace's default service account with a token.

## What it checks
Pod specs whose service account is `default` (explicitly, or because `serviceAccountName` is
unset) and that end up with its API token (automounted by the pod or ServiceAccount
precedence, or through a projected `serviceAccountToken` source without `audience`; a token
for another audience, such as Vault's, is not an API token).  A pod on the default account
with the token disabled does not use the account and passes: that is the remediation CIS
5.1.5 recommends for workloads that need no API access.

## Why it matters
Every pod of the namespace shares the default account, so any permission granted to it, on
purpose or by a careless binding, reaches every workload that runs without its own identity.

## Failing example
```yaml
spec:
  containers: [{name: app, image: "ghcr.io/example/web:1.4.2"}]
```

## Passing example
```yaml
spec:
  serviceAccountName: web
  containers: [{name: app, image: "ghcr.io/example/web:1.4.2"}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.serviceaccounts import service_account_name, token_mount
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC002",
    slug="default-service-account-used",
    title="Pod uses the namespace's default service account with a token",
    severity="medium",
    category="secrets",
    tags=("cis-k8s:5.1.5", "mitre:T1078"),
    target="workload",
    requires=("ServiceAccount",),
    rationale=(
        "The default service account is shared by every pod of the namespace; any right granted to it "
        "reaches all of them, and its token gives API access to whoever compromises one."
    ),
    remediation="Create a dedicated ServiceAccount for the workload, or disable token automounting if it needs none.",
    references=(
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",
        "https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0189",), "kube-linter": ("default-service-account",),
           "kubesec": ("ServiceAccountName",), "popeye": ("POP-300",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if service_account_name(pod) != "default":
        return
    tm = token_mount(ctx.cluster, pod)
    if tm.mounted:
        explicit = pod.spec.get("serviceAccountName") or pod.spec.get("serviceAccount")
        how = "explicitly" if explicit else "because serviceAccountName is unset"
        yield Violation(f"runs as the default service account {how}, with its token mounted ({tm.reason})",
                        pod.path("serviceAccountName"))

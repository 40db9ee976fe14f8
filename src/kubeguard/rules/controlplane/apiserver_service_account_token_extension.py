"""API server extends service account token lifetimes.

## What it checks
kube-apiserver's `--service-account-extend-token-expiration` in the kube-apiserver
static pod in kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod
a live cluster returns); it defaults to `true`, so an absent flag fails.

## Why it matters
With extension on, projected tokens requested for one hour are issued for a year (to
ease migration from legacy tokens), so a stolen token stays valid far longer than its
holder asked for.

## Failing example
```yaml
command:
  - kube-apiserver
  - --service-account-issuer=https://kubernetes.default.svc
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --service-account-extend-token-expiration=false
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import component_rule, require_bool

META = RuleMeta(
    code="CP029",
    slug="apiserver-service-account-token-extension",
    title="API server extends service account token lifetimes",
    severity="low",
    category="controlplane",
    tags=("cis-k8s:1.2.30",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Extended token lifetimes turn short-lived projected tokens into year-long credentials when "
        "stolen."
    ),
    remediation=(
        "Set --service-account-extend-token-expiration=false on kube-apiserver once no client depends "
        "on legacy token lifetimes."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0290",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, require_bool("service-account-extend-token-expiration", False))

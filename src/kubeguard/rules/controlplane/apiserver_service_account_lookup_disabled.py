"""API server accepts tokens of deleted service accounts.

## What it checks
kube-apiserver's `--service-account-lookup` in the kube-apiserver static pod in
kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster
returns); it defaults to `true`, so only an explicit `false` fails.

## Why it matters
Without the lookup, a token keeps working after its service account or secret is
deleted, so revoking access by deleting the account does not work.

## Failing example
```yaml
command:
  - kube-apiserver
  - --service-account-lookup=false
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --service-account-lookup=true
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
    code="CP021",
    slug="apiserver-service-account-lookup-disabled",
    title="API server accepts tokens of deleted service accounts",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.2.21",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without the etcd lookup, deleting a service account or its token secret does not revoke "
        "tokens already issued."
    ),
    remediation="Remove --service-account-lookup=false from kube-apiserver (the default is true).",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0135",), "trivy": ("KCV-0024",), "checkov": ("CKV_K8S_96",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, require_bool("service-account-lookup", True))

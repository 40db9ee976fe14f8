"""API server has no service account verification key file.

## What it checks
kube-apiserver's `--service-account-key-file` (repeatable) in the kube-apiserver static
pod in kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod a live
cluster returns): it must be set.

## Why it matters
Without a key file the API server verifies tokens with its serving key, which cannot be
rotated apart from the serving certificate.

## Failing example
```yaml
command:
  - kube-apiserver
  - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --service-account-key-file=/etc/kubernetes/pki/sa.pub
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import component_rule, require_set

META = RuleMeta(
    code="CP022",
    slug="apiserver-service-account-key-file",
    title="API server has no service account verification key file",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.2.22",),
    target="cluster",
    requires=("Pod",),
    rationale="A dedicated service account key pair is what makes token signing keys rotatable.",
    remediation=(
        "Set kube-apiserver --service-account-key-file to the public key(s) matching the controller "
        "manager's --service-account-private-key-file."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0136",), "trivy": ("KCV-0025",), "checkov": ("CKV_K8S_97",)},
)

applies, evaluate = component_rule(
    KUBE_APISERVER,
    require_set("service-account-key-file", why="service account tokens are verified with the serving key"),
)

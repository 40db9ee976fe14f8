"""API server does not verify client certificates against a CA.

## What it checks
kube-apiserver's `--client-ca-file` in the kube-apiserver static pod in kube-system (a
manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns): it
must be set.

## Why it matters
Without it client certificate authentication is off, and kubelets, controllers and
admins fall back to tokens that are easier to steal.

## Failing example
```yaml
command:
  - kube-apiserver
  - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --client-ca-file=/etc/kubernetes/pki/ca.crt
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
    code="CP025",
    slug="apiserver-client-ca-file",
    title="API server does not verify client certificates against a CA",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.25",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Client certificate authentication needs a CA to verify against; without it components "
        "authenticate with weaker credentials."
    ),
    remediation="Set kube-apiserver --client-ca-file to the cluster CA bundle.",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#x509-client-certificates",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0139",), "trivy": ("KCV-0028",)},
)

applies, evaluate = component_rule(
    KUBE_APISERVER,
    require_set("client-ca-file", why="client certificates are not verified"),
)

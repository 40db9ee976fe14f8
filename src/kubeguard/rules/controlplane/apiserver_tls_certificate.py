"""API server serves TLS without a configured certificate.

## What it checks
kube-apiserver's `--tls-cert-file` and `--tls-private-key-file` in the kube-apiserver
static pod in kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod
a live cluster returns): both must be set.

## Why it matters
Without them the API server generates a self-signed certificate in `--cert-dir` that
clients cannot verify.

## Failing example
```yaml
command:
  - kube-apiserver
  - --secure-port=6443
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
  - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
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
    code="CP024",
    slug="apiserver-tls-certificate",
    title="API server serves TLS without a configured certificate",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.2.24",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "A self-signed serving certificate teaches clients to skip verification, which invites "
        "interception."
    ),
    remediation=(
        "Set kube-apiserver --tls-cert-file and --tls-private-key-file to a certificate issued by the "
        "cluster CA."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0138",), "trivy": ("KCV-0027",), "checkov": ("CKV_K8S_100",)},
)

applies, evaluate = component_rule(
    KUBE_APISERVER,
    require_set("tls-cert-file", "tls-private-key-file", why="the API server serves a self-signed certificate"),
)

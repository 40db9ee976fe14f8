"""API server does not verify kubelet serving certificates.

## What it checks
kube-apiserver's `--kubelet-certificate-authority` in the kube-apiserver static pod in
kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster
returns): it must be set. kubeadm does not set it.

## Why it matters
Without a CA the API server accepts any certificate a kubelet presents, so an attacker
on the network path can impersonate a node and read exec sessions and logs.

## Failing example
```yaml
command:
  - kube-apiserver
  - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt
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
    code="CP005",
    slug="apiserver-kubelet-certificate-authority",
    title="API server does not verify kubelet serving certificates",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.5",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "The API server does not check whom it talks to on port 10250; a man in the middle can read "
        "or alter exec, attach and log streams."
    ),
    remediation=(
        "Issue kubelet serving certificates from a CA (serverTLSBootstrap with approved CSRs) and set "
        "--kubelet-certificate-authority on kube-apiserver."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/concepts/security/controlling-access/#api-server-to-kubelet",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0117",), "trivy": ("KCV-0006",), "checkov": ("CKV_K8S_73",)},
)

applies, evaluate = component_rule(
    KUBE_APISERVER,
    require_set("kubelet-certificate-authority", why="kubelet serving certificates are not verified"),
)

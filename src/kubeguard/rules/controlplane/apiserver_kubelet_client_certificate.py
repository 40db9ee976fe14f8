"""API server does not authenticate to kubelets with a client certificate.

## What it checks
kube-apiserver's `--kubelet-client-certificate` and `--kubelet-client-key` in the
kube-apiserver static pod in kube-system (a manifest from /etc/kubernetes/manifests, or
the mirror Pod a live cluster returns): both must be set.

## Why it matters
Without a client certificate the API server calls kubelets (logs, exec, port-forward)
anonymously, so kubelets must allow anonymous access for those features to work.

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
  - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
  - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
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
    code="CP004",
    slug="apiserver-kubelet-client-certificate",
    title="API server does not authenticate to kubelets with a client certificate",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.4",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "An API server without a kubelet client certificate forces kubelets to accept unauthenticated "
        "requests for exec, logs and port-forward."
    ),
    remediation=(
        "Set --kubelet-client-certificate and --kubelet-client-key on kube-apiserver to a certificate "
        "the kubelets trust."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/concepts/security/controlling-access/#api-server-to-kubelet",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0116",), "trivy": ("KCV-0005",), "checkov": ("CKV_K8S_72",)},
)

applies, evaluate = component_rule(
    KUBE_APISERVER,
    require_set("kubelet-client-certificate", "kubelet-client-key", why="kubelets cannot authenticate the API server"),
)

"""API server does not authenticate to etcd with a client certificate.

## What it checks
kube-apiserver's `--etcd-certfile` and `--etcd-keyfile` in the kube-apiserver static pod
in kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod a live
cluster returns): both must be set.

## Why it matters
etcd holds every Secret; if it accepts the API server without a certificate it accepts
anyone else on the network too.

## Failing example
```yaml
command:
  - kube-apiserver
  - --etcd-servers=https://127.0.0.1:2379
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
  - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
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
    code="CP023",
    slug="apiserver-etcd-client-certificate",
    title="API server does not authenticate to etcd with a client certificate",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.23",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without a client certificate to etcd, etcd cannot require client certificates, and all "
        "cluster data is open to whoever reaches port 2379."
    ),
    remediation=(
        "Set kube-apiserver --etcd-certfile and --etcd-keyfile and enable client certificate "
        "authentication on etcd."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://etcd.io/docs/v3.5/op-guide/security/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0137",), "trivy": ("KCV-0026",), "checkov": ("CKV_K8S_99",)},
)

applies, evaluate = component_rule(
    KUBE_APISERVER,
    require_set("etcd-certfile", "etcd-keyfile", why="the API server cannot authenticate to etcd"),
)

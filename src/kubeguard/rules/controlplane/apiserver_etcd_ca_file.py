"""API server does not verify etcd's certificate.

## What it checks
kube-apiserver's `--etcd-cafile` in the kube-apiserver static pod in kube-system (a
manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns): it
must be set.

## Why it matters
Without a CA the API server trusts any etcd endpoint, so a spoofed etcd can feed it
forged objects and collect every write.

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
  - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
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
    code="CP026",
    slug="apiserver-etcd-ca-file",
    title="API server does not verify etcd's certificate",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.26",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "An API server that does not verify etcd can be pointed at an impostor that reads and forges "
        "cluster state."
    ),
    remediation="Set kube-apiserver --etcd-cafile to etcd's CA certificate.",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://etcd.io/docs/v3.5/op-guide/security/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0140",), "trivy": ("KCV-0029",), "checkov": ("CKV_K8S_102",)},
)

applies, evaluate = component_rule(
    KUBE_APISERVER,
    require_set("etcd-cafile", why="etcd's certificate is not verified"),
)

"""API server does not encrypt Secrets at rest.

## What it checks
kube-apiserver's `--encryption-provider-config` in the kube-apiserver static pod in
kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster
returns): it must be set.

## Why it matters
Without it Secrets are stored in etcd in clear text; anyone with an etcd backup or disk
snapshot reads them.

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
  - --encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml
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
    code="CP027",
    slug="apiserver-encryption-provider-config",
    title="API server does not encrypt Secrets at rest",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.27",),
    target="cluster",
    requires=("Pod",),
    rationale="Secrets stored without encryption at rest are readable from every etcd backup and snapshot.",
    remediation=(
        "Write an EncryptionConfiguration (kms v2, aescbc or secretbox first for secrets) and pass it "
        "with --encryption-provider-config."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0141",), "trivy": ("KCV-0030",)},
)

applies, evaluate = component_rule(
    KUBE_APISERVER,
    require_set("encryption-provider-config", why="Secrets are stored in etcd unencrypted"),
)

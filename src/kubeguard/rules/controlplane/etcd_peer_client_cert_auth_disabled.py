"""etcd does not require peer certificates.

## What it checks
etcd's `--peer-client-cert-auth` in the etcd static pod in kube-system (a manifest from
/etc/kubernetes/manifests, or the mirror Pod a live cluster returns), read as etcd reads
them: Go flag syntax (`-name` or `--name`), and an `ETCD_*` environment variable when
the flag is absent. With `--config-file` etcd ignores flags and variables: UNKNOWN. It
defaults to `false`, so an absent flag fails.

## Why it matters
Without peer certificate checks any host that reaches port 2380 can join the cluster and
receive its data.

## Failing example
```yaml
command:
  - etcd
  - --peer-client-cert-auth=false
```

## Passing example
```yaml
command:
  - etcd
  - --peer-client-cert-auth=true
```

## Exceptions and known false positives/negatives
Managed control planes run etcd out of sight, and external etcd clusters run outside the
Kubernetes nodes: the rule does not apply when no etcd Pod is in kube-system.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import ETCD
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import component_rule, require_bool

META = RuleMeta(
    code="CP044",
    slug="etcd-peer-client-cert-auth-disabled",
    title="etcd does not require peer certificates",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:2.5",),
    target="cluster",
    requires=("Pod",),
    rationale="Unauthenticated peers can join the etcd cluster and replicate all of its data.",
    remediation="Set etcd --peer-client-cert-auth=true with --peer-trusted-ca-file.",
    references=(
        "https://etcd.io/docs/v3.5/op-guide/security/",
        "https://etcd.io/docs/v3.5/op-guide/configuration/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0157",), "trivy": ("KCV-0046",), "checkov": ("CKV_K8S_121",)},
)

applies, evaluate = component_rule(ETCD, require_bool("peer-client-cert-auth", True))

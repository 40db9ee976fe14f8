"""etcd members talk to each other without TLS certificates.

## What it checks
etcd's `--peer-cert-file`, `--peer-key-file` in the etcd static pod in kube-system (a
manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns), read
as etcd reads them: Go flag syntax (`-name` or `--name`), and an `ETCD_*` environment
variable when the flag is absent. With `--config-file` etcd ignores flags and variables:
UNKNOWN. Both must be set.

## Why it matters
Replication traffic between members carries the whole database.

## Failing example
```yaml
command:
  - etcd
  - --initial-advertise-peer-urls=http://192.0.2.10:2380
```

## Passing example
```yaml
command:
  - etcd
  - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
  - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key
```

## Exceptions and known false positives/negatives
Managed control planes run etcd out of sight, and external etcd clusters run outside the
Kubernetes nodes: the rule does not apply when no etcd Pod is in kube-system.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import ETCD
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import component_rule, require_set

META = RuleMeta(
    code="CP043",
    slug="etcd-peer-tls",
    title="etcd members talk to each other without TLS certificates",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:2.4",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without peer TLS the replication stream, which carries every object, crosses the network in "
        "clear text."
    ),
    remediation="Set etcd --peer-cert-file and --peer-key-file (and use https:// peer URLs).",
    references=(
        "https://etcd.io/docs/v3.5/op-guide/security/",
        "https://etcd.io/docs/v3.5/op-guide/configuration/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0156",), "trivy": ("KCV-0045",), "checkov": ("CKV_K8S_119",)},
)

applies, evaluate = component_rule(
    ETCD,
    require_set("peer-cert-file", "peer-key-file", why="etcd replicates without TLS"),
)

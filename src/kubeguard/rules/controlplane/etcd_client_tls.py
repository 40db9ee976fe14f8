"""etcd serves clients without a TLS certificate.

## What it checks
etcd's `--cert-file`, `--key-file` in the etcd static pod in kube-system (a manifest
from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns), read as etcd
reads them: Go flag syntax (`-name` or `--name`), and an `ETCD_*` environment variable
when the flag is absent. With `--config-file` etcd ignores flags and variables: UNKNOWN.
Both must be set.

## Why it matters
Without a certificate etcd serves its clients in clear text: every Secret crosses the
network readable.

## Failing example
```yaml
command:
  - etcd
  - --listen-client-urls=http://127.0.0.1:2379
```

## Passing example
```yaml
command:
  - etcd
  - --cert-file=/etc/kubernetes/pki/etcd/server.crt
  - --key-file=/etc/kubernetes/pki/etcd/server.key
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
    code="CP040",
    slug="etcd-client-tls",
    title="etcd serves clients without a TLS certificate",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:2.1",),
    target="cluster",
    requires=("Pod",),
    rationale="etcd without TLS exposes every object, including Secrets, to anyone on the network path.",
    remediation="Set etcd --cert-file and --key-file (and serve clients on https:// URLs).",
    references=(
        "https://etcd.io/docs/v3.5/op-guide/security/",
        "https://etcd.io/docs/v3.5/op-guide/configuration/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0153",), "trivy": ("KCV-0042",), "checkov": ("CKV_K8S_116",)},
)

applies, evaluate = component_rule(
    ETCD,
    require_set("cert-file", "key-file", why="etcd serves clients without TLS"),
)

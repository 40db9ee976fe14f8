"""etcd uses self-signed certificates between peers.

## What it checks
etcd's `--peer-auto-tls` in the etcd static pod in kube-system (a manifest from
/etc/kubernetes/manifests, or the mirror Pod a live cluster returns), read as etcd reads
them: Go flag syntax (`-name` or `--name`), and an `ETCD_*` environment variable when
the flag is absent. With `--config-file` etcd ignores flags and variables: UNKNOWN. It
defaults to `false`; only `true` fails.

## Why it matters
Auto-generated peer certificates cannot be verified, so any host can pose as a member.

## Failing example
```yaml
command:
  - etcd
  - --peer-auto-tls=true
```

## Passing example
```yaml
command:
  - etcd
  - --peer-auto-tls=false
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
    code="CP045",
    slug="etcd-peer-auto-tls",
    title="etcd uses self-signed certificates between peers",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:2.6",),
    target="cluster",
    requires=("Pod",),
    rationale="Self-signed peer certificates cannot authenticate members, so impostors can join.",
    remediation="Remove --peer-auto-tls=true from etcd and configure --peer-cert-file and --peer-key-file.",
    references=(
        "https://etcd.io/docs/v3.5/op-guide/security/",
        "https://etcd.io/docs/v3.5/op-guide/configuration/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0158",), "trivy": ("KCV-0047",)},
)

applies, evaluate = component_rule(ETCD, require_bool("peer-auto-tls", False))

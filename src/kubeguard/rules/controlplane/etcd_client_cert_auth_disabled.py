"""etcd does not require client certificates.

## What it checks
etcd's `--client-cert-auth` in the etcd static pod in kube-system (a manifest from
/etc/kubernetes/manifests, or the mirror Pod a live cluster returns), read as etcd reads
them: Go flag syntax (`-name` or `--name`), and an `ETCD_*` environment variable when
the flag is absent. With `--config-file` etcd ignores flags and variables: UNKNOWN. It
defaults to `false`, so an absent flag fails.

## Why it matters
Without client certificate authentication anyone who reaches port 2379 reads and writes
all cluster data.

## Failing example
```yaml
command:
  - etcd
  - --client-cert-auth=false
```

## Passing example
```yaml
command:
  - etcd
  - --client-cert-auth=true
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
    code="CP041",
    slug="etcd-client-cert-auth-disabled",
    title="etcd does not require client certificates",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:2.2",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "etcd that accepts any client hands every Secret and the power to rewrite RBAC to whoever can "
        "connect."
    ),
    remediation="Set etcd --client-cert-auth=true with --trusted-ca-file.",
    references=(
        "https://etcd.io/docs/v3.5/op-guide/security/",
        "https://etcd.io/docs/v3.5/op-guide/configuration/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0154",), "trivy": ("KCV-0043",), "checkov": ("CKV_K8S_117",)},
)

applies, evaluate = component_rule(ETCD, require_bool("client-cert-auth", True))

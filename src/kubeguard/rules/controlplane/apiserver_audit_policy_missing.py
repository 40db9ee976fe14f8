"""API server has no audit policy.

## What it checks
kube-apiserver's `--audit-policy-file` in the kube-apiserver static pod in kube-system
(a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns):
it must be set.

## Why it matters
Without a policy the API server records no audit events at all, whatever log or webhook
backend is set; the policy's content (CIS 3.2.2) needs node access and is not read.

## Failing example
```yaml
command:
  - kube-apiserver
  - --audit-log-path=/var/log/kubernetes/audit/audit.log
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
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
    code="CP030",
    slug="apiserver-audit-policy-missing",
    title="API server has no audit policy",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:3.2.1",),
    target="cluster",
    requires=("Pod",),
    rationale="An API server without an audit policy records nothing, so audit log settings have no effect.",
    remediation=(
        "Write an audit Policy (at least Metadata for everything, RequestResponse for RBAC and pod "
        "exec) and pass it with --audit-policy-file."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0160",)},
)

applies, evaluate = component_rule(
    KUBE_APISERVER,
    require_set("audit-policy-file", why="the API server records no audit events"),
)

"""API server rotates audit log files too small.

## What it checks
kube-apiserver's `--audit-log-maxsize` in the kube-apiserver static pod in kube-system
(a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns)
must be at least the `min_megabytes` parameter (100 MB), and an audit log file must be
written at all: without `--audit-log-path`, or with `--audit-log-path=-` (standard
output), no file is kept and the rule fails. A value of 0 (the default) means its
default of 100 MB.

## Why it matters
Small files rotate often; together with a backup count they bound how much history is
kept.

## Failing example
```yaml
command:
  - kube-apiserver
  - --audit-log-path=/var/log/kubernetes/audit/audit.log
  - --audit-log-maxsize=10
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --audit-log-path=/var/log/kubernetes/audit/audit.log
  - --audit-log-maxsize=100
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules. kube-bench fails an
absent flag; kubeguard follows the API server, whose log writer (lumberjack) reads 0 as
its default of 100 MB.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

from ._common import audit_log_limit, component_rule

META = RuleMeta(
    code="CP019",
    slug="apiserver-audit-log-maxsize",
    title="API server rotates audit log files too small",
    severity="low",
    category="controlplane",
    tags=("cis-k8s:1.2.19",),
    target="cluster",
    requires=("Pod",),
    rationale="Audit logs that are rotated away too soon cannot support an investigation.",
    remediation="Set kube-apiserver --audit-log-maxsize=100 or more (and --audit-log-path to a file).",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend",
    ),
    params=(
        Param(name="min_megabytes", type="int", default=100,
              description="Smallest size in megabytes at which audit log files may be rotated."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0133",), "trivy": ("KCV-0022",), "checkov": ("CKV_K8S_94",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, audit_log_limit("audit-log-maxsize", "min_megabytes", "MB"))

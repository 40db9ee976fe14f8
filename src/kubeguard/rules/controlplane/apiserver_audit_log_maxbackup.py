"""API server keeps too few rotated audit log files.

## What it checks
kube-apiserver's `--audit-log-maxbackup` in the kube-apiserver static pod in kube-system
(a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns)
must be at least the `min_backups` parameter (10 files), and an audit log file must be
written at all: without `--audit-log-path`, or with `--audit-log-path=-` (standard
output), no file is kept and the rule fails. A value of 0 (the default) means keeping
every rotated file.

## Why it matters
With few backups a burst of requests rotates the evidence away within hours.

## Failing example
```yaml
command:
  - kube-apiserver
  - --audit-log-path=/var/log/kubernetes/audit/audit.log
  - --audit-log-maxbackup=1
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --audit-log-path=/var/log/kubernetes/audit/audit.log
  - --audit-log-maxbackup=10
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules. kube-bench fails an
absent flag; kubeguard follows the API server, whose log writer (lumberjack) reads 0 as
keeping every rotated file.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

from ._common import audit_log_limit, component_rule

META = RuleMeta(
    code="CP018",
    slug="apiserver-audit-log-maxbackup",
    title="API server keeps too few rotated audit log files",
    severity="low",
    category="controlplane",
    tags=("cis-k8s:1.2.18",),
    target="cluster",
    requires=("Pod",),
    rationale="Audit logs that are rotated away too soon cannot support an investigation.",
    remediation="Set kube-apiserver --audit-log-maxbackup=10 or more (and --audit-log-path to a file).",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend",
    ),
    params=(
        Param(name="min_backups", type="int", default=10,
              description="Fewest rotated audit log files that must be kept."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0132",), "trivy": ("KCV-0021",), "checkov": ("CKV_K8S_93",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, audit_log_limit("audit-log-maxbackup", "min_backups", "files"))

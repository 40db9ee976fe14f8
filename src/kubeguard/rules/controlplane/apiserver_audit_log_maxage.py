"""API server keeps audit log files for too few days.

## What it checks
kube-apiserver's `--audit-log-maxage` in the kube-apiserver static pod in kube-system (a
manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns) must
be at least the `min_days` parameter (30 days), and an audit log file must be written at
all: without `--audit-log-path`, or with `--audit-log-path=-` (standard output), no file
is kept and the rule fails. A value of 0 (the default) means no age limit.

## Why it matters
Investigations routinely reach back weeks; files deleted after a few days take the
evidence with them.

## Failing example
```yaml
command:
  - kube-apiserver
  - --audit-log-path=/var/log/kubernetes/audit/audit.log
  - --audit-log-maxage=3
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --audit-log-path=/var/log/kubernetes/audit/audit.log
  - --audit-log-maxage=30
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules. kube-bench fails an
absent flag; kubeguard follows the API server, whose log writer (lumberjack) reads 0 as
no age limit.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

from ._common import audit_log_limit, component_rule

META = RuleMeta(
    code="CP017",
    slug="apiserver-audit-log-maxage",
    title="API server keeps audit log files for too few days",
    severity="low",
    category="controlplane",
    tags=("cis-k8s:1.2.17",),
    target="cluster",
    requires=("Pod",),
    rationale="Audit logs that are rotated away too soon cannot support an investigation.",
    remediation="Set kube-apiserver --audit-log-maxage=30 or more (and --audit-log-path to a file).",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend",
    ),
    params=(
        Param(name="min_days", type="int", default=30,
              description="Fewest days rotated audit log files must be kept."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0131",), "trivy": ("KCV-0020",), "checkov": ("CKV_K8S_92",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, audit_log_limit("audit-log-maxage", "min_days", "days"))

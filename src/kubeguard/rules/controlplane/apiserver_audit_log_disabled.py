"""API server does not write an audit log file.

## What it checks
kube-apiserver's `--audit-log-path` in the kube-apiserver static pod in kube-system (a
manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns): it
must be set (`-` writes to standard output and counts as set). Audit events are recorded
only with an `--audit-policy-file` as well (CP030).

## Why it matters
Without an audit log nothing records who read a Secret, exec'd into a pod or changed
RBAC.

## Failing example
```yaml
command:
  - kube-apiserver
  - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
  - --audit-log-path=/var/log/kubernetes/audit/audit.log
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules. Clusters that send audit
events only to a webhook backend (`--audit-webhook-config-file`) fail here, as in the
benchmark; the message names the webhook.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, component_rule

META = RuleMeta(
    code="CP016",
    slug="apiserver-audit-log-disabled",
    title="API server does not write an audit log file",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.2.16",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "An API server without an audit log leaves no trail of who read Secrets, exec'd into pods or "
        "changed permissions."
    ),
    remediation=(
        "Set kube-apiserver --audit-log-path to a file on a persistent, access-controlled volume (and "
        "--audit-policy-file)."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0130",), "trivy": ("KCV-0019",), "checkov": ("CKV_K8S_91",)},
)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    s = inst.flags["audit-log-path"]
    if (s.raw or "").strip():
        return
    webhook = inst.flags["audit-webhook-config-file"]
    also = f"; audit events go only to the webhook in {webhook.shown()}" if webhook.is_set else ""
    yield inst.fail(s, f"writes no audit log: --audit-log-path is not set{also}", "")


applies, evaluate = component_rule(KUBE_APISERVER, check)

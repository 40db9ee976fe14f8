"""Controllers share the controller manager's credentials.

## What it checks
kube-controller-manager's `--use-service-account-credentials` in the
kube-controller-manager static pod in kube-system (a manifest from
/etc/kubernetes/manifests, or the mirror Pod a live cluster returns); it defaults to
`false`, so an absent flag fails.

## Why it matters
With shared credentials every controller runs with the union of all controllers'
permissions, and audit logs cannot tell which controller did what.

## Failing example
```yaml
command:
  - kube-controller-manager
  - --use-service-account-credentials=false
```

## Passing example
```yaml
command:
  - kube-controller-manager
  - --use-service-account-credentials=true
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_CONTROLLER_MANAGER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import component_rule, require_bool

META = RuleMeta(
    code="CP033",
    slug="controller-manager-service-account-credentials",
    title="Controllers share the controller manager's credentials",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.3.3",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Per-controller service accounts keep each controller to its own RBAC role; shared "
        "credentials give every controller all of them."
    ),
    remediation="Set --use-service-account-credentials=true on kube-controller-manager (kubeadm does).",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#controller-roles",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0146",), "trivy": ("KCV-0035",), "checkov": ("CKV_K8S_108",)},
)

applies, evaluate = component_rule(KUBE_CONTROLLER_MANAGER, require_bool("use-service-account-credentials", True))

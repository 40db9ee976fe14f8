"""API server authorization modes do not include RBAC.

## What it checks
kube-apiserver's `--authorization-mode` in the kube-apiserver static pod in kube-system
(a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns)
must include `RBAC` (comma list, repeats append; the default is AlwaysAllow). With
`--authorization-config` the authorizers are in that file: UNKNOWN.

## Why it matters
RBAC is the authorizer every policy, audit and tool (including this one's RBAC analysis)
assumes; without it Roles and bindings grant and restrict nothing.

## Failing example
```yaml
command:
  - kube-apiserver
  - --authorization-mode=Node
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --authorization-mode=Node,RBAC
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import component_rule, require_authorizer

META = RuleMeta(
    code="CP008",
    slug="apiserver-authorization-mode-rbac",
    title="API server authorization modes do not include RBAC",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.8",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without RBAC, Roles and RoleBindings have no effect and access is decided by whatever other "
        "authorizer is configured."
    ),
    remediation="Set kube-apiserver --authorization-mode=Node,RBAC (the order matters only for performance).",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0120",), "trivy": ("KCV-0009",), "checkov": ("CKV_K8S_77",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, require_authorizer("RBAC"))

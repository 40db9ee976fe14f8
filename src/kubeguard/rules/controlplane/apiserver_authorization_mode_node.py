"""API server authorization modes do not include Node.

## What it checks
kube-apiserver's `--authorization-mode` in the kube-apiserver static pod in kube-system
(a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns)
must include `Node` (comma list, repeats append; the default is AlwaysAllow). With
`--authorization-config` the authorizers are in that file: UNKNOWN.

## Why it matters
The Node authorizer limits each kubelet to the objects of pods scheduled on its node;
without it a compromised node's credentials read every Secret the RBAC rules for nodes
allow.

## Failing example
```yaml
command:
  - kube-apiserver
  - --authorization-mode=RBAC
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
    code="CP007",
    slug="apiserver-authorization-mode-node",
    title="API server authorization modes do not include Node",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.7",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without the Node authorizer kubelet credentials are not confined to their own node's pods, "
        "secrets and volumes."
    ),
    remediation="Set kube-apiserver --authorization-mode=Node,RBAC (the order matters only for performance).",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/node/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0119",), "trivy": ("KCV-0008",), "checkov": ("CKV_K8S_75",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, require_authorizer("Node"))

"""Controller manager does not publish the root CA to pods.

## What it checks
kube-controller-manager's `--root-ca-file` in the kube-controller-manager static pod in
kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster
returns): it must be set.

## Why it matters
The root CA lets pods verify the API server's serving certificate; without it they
either fail or skip verification and can be intercepted.

## Failing example
```yaml
command:
  - kube-controller-manager
  - --service-account-private-key-file=/etc/kubernetes/pki/sa.key
```

## Passing example
```yaml
command:
  - kube-controller-manager
  - --root-ca-file=/etc/kubernetes/pki/ca.crt
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_CONTROLLER_MANAGER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import component_rule, require_set

META = RuleMeta(
    code="CP035",
    slug="controller-manager-root-ca-file",
    title="Controller manager does not publish the root CA to pods",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.3.5",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Pods that cannot verify the API server's certificate are open to man-in-the-middle attacks "
        "on their service account tokens."
    ),
    remediation="Set kube-controller-manager --root-ca-file to the cluster CA bundle.",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0148",), "trivy": ("KCV-0037",), "checkov": ("CKV_K8S_111",)},
)

applies, evaluate = component_rule(
    KUBE_CONTROLLER_MANAGER,
    require_set("root-ca-file", why="pods get no CA to verify the API server with"),
)

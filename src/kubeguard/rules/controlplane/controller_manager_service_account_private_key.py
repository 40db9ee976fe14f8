"""Controller manager has no service account signing key file.

## What it checks
kube-controller-manager's `--service-account-private-key-file` in the
kube-controller-manager static pod in kube-system (a manifest from
/etc/kubernetes/manifests, or the mirror Pod a live cluster returns): it must be set.

## Why it matters
The token controller signs service account token Secrets with this key; without it those
tokens are not issued, and with a key shared with the serving certificate rotation is
impossible.

## Failing example
```yaml
command:
  - kube-controller-manager
  - --root-ca-file=/etc/kubernetes/pki/ca.crt
```

## Passing example
```yaml
command:
  - kube-controller-manager
  - --service-account-private-key-file=/etc/kubernetes/pki/sa.key
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
    code="CP034",
    slug="controller-manager-service-account-private-key",
    title="Controller manager has no service account signing key file",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.3.4",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "A dedicated service account signing key is what allows token keys to be rotated "
        "independently."
    ),
    remediation=(
        "Set kube-controller-manager --service-account-private-key-file to the private key matching "
        "kube-apiserver --service-account-key-file."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0147",), "trivy": ("KCV-0036",), "checkov": ("CKV_K8S_110",)},
)

applies, evaluate = component_rule(
    KUBE_CONTROLLER_MANAGER,
    require_set("service-account-private-key-file", why="service account tokens have no dedicated signing key"),
)

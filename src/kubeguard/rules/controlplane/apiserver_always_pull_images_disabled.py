"""AlwaysPullImages admission plugin is not enabled.

## What it checks
Whether kube-apiserver runs the `AlwaysPullImages` admission plugin (off by default) in
the kube-apiserver static pod in kube-system (a manifest from /etc/kubernetes/manifests,
or the mirror Pod a live cluster returns). The effective set is the release's default
plugins plus `--enable-admission-plugins` minus `--disable-admission-plugins` (both
comma lists, repeats append); the deprecated `--admission-control` names the exact set.

## Why it matters
Without it a pod on a node can start any image already cached there, including private
images pulled with another tenant's credentials.

## Failing example
```yaml
command:
  - kube-apiserver
  - --enable-admission-plugins=NodeRestriction
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --enable-admission-plugins=NodeRestriction,AlwaysPullImages
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules. Clusters where every
node pulls from public registries only, or that rely on the kubelet's
ensure-secret-pulled-images check, can accept the finding.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import admission_plugin, component_rule

META = RuleMeta(
    code="CP011",
    slug="apiserver-always-pull-images-disabled",
    title="AlwaysPullImages admission plugin is not enabled",
    severity="low",
    category="controlplane",
    tags=("cis-k8s:1.2.11",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without AlwaysPullImages a pod can run a private image cached on its node without holding "
        "the pull secret for it."
    ),
    remediation=(
        "Add AlwaysPullImages to kube-apiserver --enable-admission-plugins (1.35+: the "
        "KubeletEnsureSecretPulledImages gate covers the same risk)."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0123",), "trivy": ("KCV-0012",), "checkov": ("CKV_K8S_80",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, admission_plugin("AlwaysPullImages", True))

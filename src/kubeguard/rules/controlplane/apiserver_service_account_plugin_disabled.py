"""ServiceAccount admission plugin is disabled.

## What it checks
Whether kube-apiserver runs the `ServiceAccount` admission plugin (on by default) in the
kube-apiserver static pod in kube-system (a manifest from /etc/kubernetes/manifests, or
the mirror Pod a live cluster returns). The effective set is the release's default
plugins plus `--enable-admission-plugins` minus `--disable-admission-plugins` (both
comma lists, repeats append); the deprecated `--admission-control` names the exact set.

## Why it matters
The ServiceAccount plugin assigns service accounts and mounts their projected tokens;
disabled, pods can name accounts that do not exist and token mounting is left to
whatever the pod spec says.

## Failing example
```yaml
command:
  - kube-apiserver
  - --enable-admission-plugins=NodeRestriction
  - --disable-admission-plugins=ServiceAccount
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --enable-admission-plugins=NodeRestriction
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import admission_plugin, component_rule

META = RuleMeta(
    code="CP012",
    slug="apiserver-service-account-plugin-disabled",
    title="ServiceAccount admission plugin is disabled",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.2.12",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Disabling the ServiceAccount plugin removes the checks that tie pods to existing service "
        "accounts and bound tokens."
    ),
    remediation="Remove ServiceAccount from kube-apiserver --disable-admission-plugins.",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#serviceaccount",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0125",), "trivy": ("KCV-0014",), "checkov": ("CKV_K8S_82",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, admission_plugin("ServiceAccount", True))

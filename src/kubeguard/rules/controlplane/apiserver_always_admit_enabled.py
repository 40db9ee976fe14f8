"""AlwaysAdmit admission plugin is enabled.

## What it checks
Whether kube-apiserver runs the `AlwaysAdmit` admission plugin (off by default) in the
kube-apiserver static pod in kube-system (a manifest from /etc/kubernetes/manifests, or
the mirror Pod a live cluster returns). The effective set is the release's default
plugins plus `--enable-admission-plugins` minus `--disable-admission-plugins` (both
comma lists, repeats append); the deprecated `--admission-control` names the exact set.

## Why it matters
AlwaysAdmit admits every request and short-circuits nothing useful; it was removed
upstream because it defeats the purpose of admission control.

## Failing example
```yaml
command:
  - kube-apiserver
  - --enable-admission-plugins=AlwaysAdmit,NodeRestriction
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
    code="CP010",
    slug="apiserver-always-admit-enabled",
    title="AlwaysAdmit admission plugin is enabled",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.10",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "AlwaysAdmit admits every request regardless of other plugins' intent and is deprecated for "
        "that reason."
    ),
    remediation=(
        "Remove AlwaysAdmit from kube-apiserver --enable-admission-plugins (and from "
        "--admission-control)."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwaysadmit",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0122",), "trivy": ("KCV-0011",), "checkov": ("CKV_K8S_79",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, admission_plugin("AlwaysAdmit", False))

"""NamespaceLifecycle admission plugin is disabled.

## What it checks
Whether kube-apiserver runs the `NamespaceLifecycle` admission plugin (on by default) in
the kube-apiserver static pod in kube-system (a manifest from /etc/kubernetes/manifests,
or the mirror Pod a live cluster returns). The effective set is the release's default
plugins plus `--enable-admission-plugins` minus `--disable-admission-plugins` (both
comma lists, repeats append); the deprecated `--admission-control` names the exact set.

## Why it matters
NamespaceLifecycle rejects objects in namespaces that do not exist or are being deleted,
and protects the system namespaces from deletion.

## Failing example
```yaml
command:
  - kube-apiserver
  - --enable-admission-plugins=NodeRestriction
  - --disable-admission-plugins=NamespaceLifecycle
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
    code="CP013",
    slug="apiserver-namespace-lifecycle-plugin-disabled",
    title="NamespaceLifecycle admission plugin is disabled",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.2.13",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without NamespaceLifecycle objects can be created in terminating or non-existent namespaces "
        "and system namespaces can be deleted."
    ),
    remediation="Remove NamespaceLifecycle from kube-apiserver --disable-admission-plugins.",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#namespacelifecycle",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0126",), "trivy": ("KCV-0015",), "checkov": ("CKV_K8S_83",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, admission_plugin("NamespaceLifecycle", True))

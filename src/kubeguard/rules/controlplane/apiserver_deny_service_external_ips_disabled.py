"""DenyServiceExternalIPs admission plugin is not enabled.

## What it checks
Whether kube-apiserver runs the `DenyServiceExternalIPs` admission plugin (off by
default) in the kube-apiserver static pod in kube-system (a manifest from
/etc/kubernetes/manifests, or the mirror Pod a live cluster returns). The effective set
is the release's default plugins plus `--enable-admission-plugins` minus
`--disable-admission-plugins` (both comma lists, repeats append); the deprecated
`--admission-control` names the exact set.

## Why it matters
Anyone who may create or update a Service can set `spec.externalIPs` and intercept
traffic for those addresses from every pod and node (CVE-2020-8554).

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
  - --enable-admission-plugins=NodeRestriction,DenyServiceExternalIPs
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules. A
ValidatingAdmissionPolicy or policy engine rule rejecting `externalIPs` achieves the
same; the rule does not look for one.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import admission_plugin, component_rule

META = RuleMeta(
    code="CP003",
    slug="apiserver-deny-service-external-ips-disabled",
    title="DenyServiceExternalIPs admission plugin is not enabled",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.2.3",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without DenyServiceExternalIPs any user who can write Services can claim arbitrary external "
        "IPs and capture traffic meant for them (CVE-2020-8554)."
    ),
    remediation=(
        "Add DenyServiceExternalIPs to kube-apiserver --enable-admission-plugins (or block "
        "spec.externalIPs with a validating policy)."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0283",), "trivy": ("KCV-0003",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, admission_plugin("DenyServiceExternalIPs", True))

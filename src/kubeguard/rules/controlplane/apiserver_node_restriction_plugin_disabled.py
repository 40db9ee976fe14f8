"""NodeRestriction admission plugin is not enabled.

## What it checks
Whether kube-apiserver runs the `NodeRestriction` admission plugin (off by default) in
the kube-apiserver static pod in kube-system (a manifest from /etc/kubernetes/manifests,
or the mirror Pod a live cluster returns). The effective set is the release's default
plugins plus `--enable-admission-plugins` minus `--disable-admission-plugins` (both
comma lists, repeats append); the deprecated `--admission-control` names the exact set.

## Why it matters
NodeRestriction limits what a kubelet may change to its own Node and the pods bound to
it; without it a compromised node can relabel other nodes to attract workloads and their
secrets.

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
    code="CP014",
    slug="apiserver-node-restriction-plugin-disabled",
    title="NodeRestriction admission plugin is not enabled",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.14",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without NodeRestriction a kubelet's credentials can modify other nodes and pods, turning one "
        "compromised node into many."
    ),
    remediation="Add NodeRestriction to kube-apiserver --enable-admission-plugins (kubeadm does).",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0127",), "trivy": ("KCV-0016",), "checkov": ("CKV_K8S_85",)},
)

applies, evaluate = component_rule(KUBE_APISERVER, admission_plugin("NodeRestriction", True))

"""Controller manager turns off kubelet serving certificate rotation.

## What it checks
kube-controller-manager's `--feature-gates` (key=value list, repeats merge) in the
kube-controller-manager static pod in kube-system (a manifest from
/etc/kubernetes/manifests, or the mirror Pod a live cluster returns):
`RotateKubeletServerCertificate` must not be `false` (the gate is on by default).

## Why it matters
Without rotation, kubelet serving certificates are long-lived and a stolen key stays
usable until someone replaces it by hand.

## Failing example
```yaml
command:
  - kube-controller-manager
  - --feature-gates=RotateKubeletServerCertificate=false
```

## Passing example
```yaml
command:
  - kube-controller-manager
  - --feature-gates=RotateKubeletServerCertificate=true
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.flags import KUBE_CONTROLLER_MANAGER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, component_rule

META = RuleMeta(
    code="CP036",
    slug="controller-manager-kubelet-server-cert-rotation-disabled",
    title="Controller manager turns off kubelet serving certificate rotation",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.3.6",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Turning the gate off stops kubelet serving certificates from being renewed through CSRs, "
        "leaving long-lived keys on nodes."
    ),
    remediation="Remove RotateKubeletServerCertificate=false from kube-controller-manager --feature-gates.",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
        "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0149",), "trivy": ("KCV-0038",), "checkov": ("CKV_K8S_112",)},
)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    s = inst.flags["feature-gates"]
    if s.mapping().get("RotateKubeletServerCertificate") is False:
        yield inst.fail(s, f"turns kubelet serving certificate rotation off: {s.shown()}")


applies, evaluate = component_rule(KUBE_CONTROLLER_MANAGER, check)

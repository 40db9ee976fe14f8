"""Controller manager listens on all interfaces.

## What it checks
kube-controller-manager's `--bind-address` in the kube-controller-manager static pod in
kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster
returns) must be a loopback address (`127.0.0.1`, `::1`, `localhost`); the compiled-in
default is `0.0.0.0`, so an absent flag fails. `--secure-port=0` (no serving at all)
passes.

## Why it matters
kube-controller-manager serves health, metrics and profiling endpoints on its secure
port; bound to every interface they are reachable from the node network.

## Failing example
```yaml
command:
  - kube-controller-manager
  - --bind-address=0.0.0.0
```

## Passing example
```yaml
command:
  - kube-controller-manager
  - --bind-address=127.0.0.1
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules. kube-bench passes an
absent flag although the compiled-in default is 0.0.0.0; kubeguard follows the
component.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_CONTROLLER_MANAGER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import component_rule, require_loopback

META = RuleMeta(
    code="CP037",
    slug="controller-manager-bind-address",
    title="Controller manager listens on all interfaces",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.3.7",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Bound to every interface, kube-controller-manager's endpoints are reachable from the node "
        "network instead of only from the node itself."
    ),
    remediation="Set kube-controller-manager --bind-address=127.0.0.1 (kubeadm does).",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0150",), "trivy": ("KCV-0039",), "checkov": ("CKV_K8S_113",)},
)

applies, evaluate = component_rule(KUBE_CONTROLLER_MANAGER, require_loopback())

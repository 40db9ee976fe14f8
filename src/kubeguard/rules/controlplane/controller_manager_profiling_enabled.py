"""Controller manager exposes profiling endpoints.

## What it checks
kube-controller-manager's `--profiling` in the kube-controller-manager static pod in
kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster
returns); it defaults to `true`, so an absent flag fails.

## Why it matters
The pprof endpoints reveal goroutine stacks, heap contents and timing; they are
reachable by anyone authorized for the `/debug/pprof` non-resource URL and cost CPU when
hit.

## Failing example
```yaml
command:
  - kube-controller-manager
  - --profiling=true
```

## Passing example
```yaml
command:
  - kube-controller-manager
  - --profiling=false
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from kubeguard.rules._helpers.flags import KUBE_CONTROLLER_MANAGER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import component_rule, require_bool

META = RuleMeta(
    code="CP032",
    slug="controller-manager-profiling-enabled",
    title="Controller manager exposes profiling endpoints",
    severity="low",
    category="controlplane",
    tags=("cis-k8s:1.3.2",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Profiling endpoints leak internal state and give an extra, rarely audited surface for denial "
        "of service."
    ),
    remediation="Set --profiling=false on kube-controller-manager.",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0145",), "trivy": ("KCV-0034",), "checkov": ("CKV_K8S_107",)},
)

applies, evaluate = component_rule(KUBE_CONTROLLER_MANAGER, require_bool("profiling", False))

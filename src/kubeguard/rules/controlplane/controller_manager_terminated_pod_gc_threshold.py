"""Controller manager terminated-pod GC threshold is not set.

## What it checks
kube-controller-manager's `--terminated-pod-gc-threshold` in the kube-controller-manager
static pod in kube-system (a manifest from /etc/kubernetes/manifests, or the mirror Pod
a live cluster returns): it must be given, positive (0 or less turns the collection of
terminated pods off) and at most the `max_threshold` parameter (12500). The benchmark
asks for a threshold chosen for the cluster, so the implicit default (12500) fails.

## Why it matters
Terminated pods pile up in etcd until the threshold is reached; a threshold too high for
the cluster slows the API server and the controllers that list pods.

## Failing example
```yaml
command:
  - kube-controller-manager
  - --terminated-pod-gc-threshold=0
```

## Passing example
```yaml
command:
  - kube-controller-manager
  - --terminated-pod-gc-threshold=1000
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.flags import KUBE_CONTROLLER_MANAGER
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

from ._common import Instance, component_rule

META = RuleMeta(
    code="CP031",
    slug="controller-manager-terminated-pod-gc-threshold",
    title="Controller manager terminated-pod GC threshold is not set",
    severity="low",
    category="controlplane",
    tags=("cis-k8s:1.3.1",),
    target="cluster",
    requires=("Pod",),
    rationale="Without a sized threshold terminated pods accumulate in etcd and degrade the control plane.",
    remediation=(
        "Set kube-controller-manager --terminated-pod-gc-threshold to a value sized for the cluster "
        "(for example 1000)."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    params=(
        Param(name="max_threshold", type="int", default=12500,
              description="Most terminated pods the controller manager may keep before collecting them."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0144",), "trivy": ("KCV-0033",), "checkov": ("CKV_K8S_106",)},
)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    s = inst.flags["terminated-pod-gc-threshold"]
    if not s.is_set:
        yield inst.fail(s, f"has no threshold chosen for this cluster: {s.shown()}")
        return
    n = s.integer() or 0
    if n <= 0:
        yield inst.fail(s, f"never collects terminated pods: {s.shown()}")
    elif n > ctx.params.max_threshold:
        yield inst.fail(s, f"keeps more than {ctx.params.max_threshold} terminated pods: {s.shown()}")


applies, evaluate = component_rule(KUBE_CONTROLLER_MANAGER, check)

"""Kubelet does not limit the PIDs of a pod.

## What it checks
`podPidsLimit` (flag `--pod-max-pids`) in every kubelet configuration the scan has:
configz read live from each node, KubeletConfiguration or configz files given with
`--node-config`, and the flags of a kubelet running in a Pod or DaemonSet. It must be
positive; absent, it is -1 (no limit). kube-bench only checks that it is set.

## Why it matters
A pod without a PID limit can fork-bomb the node and starve every other pod and the
kubelet itself.

## Failing example
```yaml
kind: KubeletConfiguration
podPidsLimit: -1
```

## Passing example
```yaml
kind: KubeletConfiguration
podPidsLimit: 4096
```

## Exceptions and known false positives/negatives
On EKS, AKS and GKE the provider writes the kubelet configuration of its node images;
change it through the node pool (launch template or bootstrap arguments, AKS custom
kubelet configuration, GKE node system configuration) rather than on the node. Give the
kubelet's unit, `kubeadm-flags.env` or `/proc/PID/cmdline` with `--node-config` too: its
flags override the configuration file of the same node, as on the node.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import POD_PIDS, Kubelet, kubelet_rule

META = RuleMeta(
    code="ND013",
    slug="kubelet-pod-pids-unlimited",
    title="Kubelet does not limit the PIDs of a pod",
    severity="low",
    category="node",
    tags=("cis-k8s:4.2.13",),
    target="cluster",
    requires=("kubelet",),
    rationale="Without a PID limit one pod can exhaust the node's process table.",
    remediation=(
        "Set podPidsLimit in the KubeletConfiguration to a limit that fits the node's workloads (for "
        "example 4096)."
    ),
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://kubernetes.io/docs/concepts/policy/pid-limiting/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0284",)},
)


def check(k: Kubelet, ctx) -> Iterator[Violation]:
    v = k.get(POD_PIDS)
    if v.value is None or v.value <= 0:
        yield k.fail(v, f"{v.shown}; a pod may create processes until the node runs out")


applies, evaluate = kubelet_rule(check)

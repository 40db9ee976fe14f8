"""Kubelet streaming connections never time out.

## What it checks
`streamingConnectionIdleTimeout` (flag `--streaming-connection-idle-timeout`, a Go
duration) in every kubelet configuration the scan has: configz read live from each node,
KubeletConfiguration or configz files given with `--node-config`, and the flags of a
kubelet running in a Pod or DaemonSet. It must not be 0; absent, it is `4h0m0s`.

## Why it matters
Idle exec, attach and port-forward sessions that never time out keep tunnels into pods
open and exhaust the kubelet's connections.

## Failing example
```yaml
kind: KubeletConfiguration
streamingConnectionIdleTimeout: 0s
```

## Passing example
```yaml
kind: KubeletConfiguration
streamingConnectionIdleTimeout: 5m0s
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

from ._common import STREAMING_IDLE, Kubelet, kubelet_rule

META = RuleMeta(
    code="ND005",
    slug="kubelet-streaming-idle-timeout-disabled",
    title="Kubelet streaming connections never time out",
    severity="low",
    category="node",
    tags=("cis-k8s:4.2.5",),
    target="cluster",
    requires=("kubelet",),
    rationale=(
        "Streaming sessions without an idle timeout can be held open indefinitely, as a forgotten "
        "tunnel or a denial of service."
    ),
    remediation=(
        "Set streamingConnectionIdleTimeout to a positive duration such as 5m in the "
        "KubeletConfiguration."
    ),
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0176",), "trivy": ("KCV-0085",), "checkov": ("CKV_K8S_143",)},
)


def check(k: Kubelet, ctx) -> Iterator[Violation]:
    v = k.get(STREAMING_IDLE)
    if v.value == 0:
        yield k.fail(v, f"{v.shown}; idle exec, attach and port-forward sessions never time out")


applies, evaluate = kubelet_rule(check)

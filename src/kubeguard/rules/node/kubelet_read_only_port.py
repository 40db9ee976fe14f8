"""Kubelet serves the unauthenticated read-only port.

## What it checks
`readOnlyPort` (flag `--read-only-port`) in every kubelet configuration the scan has:
configz read live from each node, KubeletConfiguration or configz files given with
`--node-config`, and the flags of a kubelet running in a Pod or DaemonSet. It must be 0;
absent, it is 0 in a config file and 10255 for a kubelet run with flags only.

## Why it matters
The read-only port serves pod specs, environment variables and metrics without
authentication or authorization.

## Failing example
```yaml
kind: KubeletConfiguration
readOnlyPort: 10255
```

## Passing example
```yaml
kind: KubeletConfiguration
readOnlyPort: 0
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

from ._common import READ_ONLY_PORT, Kubelet, kubelet_rule

META = RuleMeta(
    code="ND004",
    slug="kubelet-read-only-port",
    title="Kubelet serves the unauthenticated read-only port",
    severity="high",
    category="node",
    tags=("cis-k8s:4.2.4",),
    target="cluster",
    requires=("kubelet",),
    rationale=(
        "The read-only port exposes pod specs (often with credentials in environment variables) to "
        "anyone who can reach the node."
    ),
    remediation="Set readOnlyPort: 0 in the KubeletConfiguration (or --read-only-port=0).",
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0175",), "trivy": ("KCV-0082",), "checkov": ("CKV_K8S_141",)},
)


def check(k: Kubelet, ctx) -> Iterator[Violation]:
    v = k.get(READ_ONLY_PORT)
    if v.value:
        yield k.fail(v, f"{v.shown}; pod specs and metrics are served without authentication on this port")


applies, evaluate = kubelet_rule(check)

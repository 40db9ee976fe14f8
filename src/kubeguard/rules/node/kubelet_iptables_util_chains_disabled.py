"""Kubelet does not manage its iptables chains.

## What it checks
`makeIPTablesUtilChains` (flag `--make-iptables-util-chains`) in every kubelet
configuration the scan has: configz read live from each node, KubeletConfiguration or
configz files given with `--node-config`, and the flags of a kubelet running in a Pod or
DaemonSet. It must be `true`; when absent it is `true`.

## Why it matters
The kubelet keeps the iptables utility chains consistent with pod networking; turned
off, hand-made rules can drift from what pods need.

## Failing example
```yaml
kind: KubeletConfiguration
makeIPTablesUtilChains: false
```

## Passing example
```yaml
kind: KubeletConfiguration
makeIPTablesUtilChains: true
```

## Exceptions and known false positives/negatives
On EKS, AKS and GKE the provider writes the kubelet configuration of its node images;
change it through the node pool (launch template or bootstrap arguments, AKS custom
kubelet configuration, GKE node system configuration) rather than on the node. Give the
kubelet's unit, `kubeadm-flags.env` or `/proc/PID/cmdline` with `--node-config` too: its
flags override the configuration file of the same node, as on the node.
"""

from __future__ import annotations

from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import IPTABLES_CHAINS, kubelet_rule, require

META = RuleMeta(
    code="ND006",
    slug="kubelet-iptables-util-chains-disabled",
    title="Kubelet does not manage its iptables chains",
    severity="low",
    category="node",
    tags=("cis-k8s:4.2.6",),
    target="cluster",
    requires=("kubelet",),
    rationale=(
        "Letting the kubelet own its iptables chains keeps node firewall rules consistent with pod "
        "networking."
    ),
    remediation="Remove makeIPTablesUtilChains: false from the KubeletConfiguration (the default is true).",
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0178",), "trivy": ("KCV-0084",), "checkov": ("CKV_K8S_145",)},
)

applies, evaluate = kubelet_rule(
    require(IPTABLES_CHAINS, True, "the kubelet leaves its iptables utility chains to other tools"),
)

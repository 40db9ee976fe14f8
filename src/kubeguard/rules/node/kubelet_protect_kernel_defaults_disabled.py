"""Kubelet may change kernel settings it depends on.

## What it checks
`protectKernelDefaults` (flag `--protect-kernel-defaults`) in every kubelet
configuration the scan has: configz read live from each node, KubeletConfiguration or
configz files given with `--node-config`, and the flags of a kubelet running in a Pod or
DaemonSet. It must be `true`; when absent it is `false`.

## Why it matters
With protection off the kubelet silently changes kernel tunables (overcommit, panic on
OOM) to the values it wants; with it on, a node whose kernel settings were tampered with
fails loudly. Older CIS releases (and the AKS benchmark) ask for it; CIS 1.12 dropped
it.

## Failing example
```yaml
kind: KubeletConfiguration
protectKernelDefaults: false
```

## Passing example
```yaml
kind: KubeletConfiguration
protectKernelDefaults: true
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

from ._common import PROTECT_KERNEL, kubelet_rule, require

META = RuleMeta(
    code="ND015",
    slug="kubelet-protect-kernel-defaults-disabled",
    title="Kubelet may change kernel settings it depends on",
    severity="low",
    category="node",
    tags=(),
    target="cluster",
    requires=("kubelet",),
    rationale=(
        "Protecting kernel defaults makes drifted or tampered kernel settings an error instead of a "
        "silent change."
    ),
    remediation=(
        "Set protectKernelDefaults: true in the KubeletConfiguration after setting the kernel "
        "parameters it expects (vm.overcommit_memory=1, kernel.panic=10, kernel.panic_on_oops=1)."
    ),
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0177",), "trivy": ("KCV-0083",), "checkov": ("CKV_K8S_144",)},
)

applies, evaluate = kubelet_rule(
    require(PROTECT_KERNEL, True, "the kubelet adjusts kernel settings instead of refusing to start when they differ"),
)

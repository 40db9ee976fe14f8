"""Kubelet does not apply the RuntimeDefault seccomp profile.

## What it checks
`seccompDefault` (flag `--seccomp-default`) in every kubelet configuration the scan has:
configz read live from each node, KubeletConfiguration or configz files given with
`--node-config`, and the flags of a kubelet running in a Pod or DaemonSet. It must be
`true`; when absent it is `false`.

## Why it matters
Pods that set no seccomp profile run Unconfined, with every system call available to an
attacker who breaks into them.

## Failing example
```yaml
kind: KubeletConfiguration
seccompDefault: false
```

## Passing example
```yaml
kind: KubeletConfiguration
seccompDefault: true
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

from ._common import SECCOMP_DEFAULT, kubelet_rule, require

META = RuleMeta(
    code="ND014",
    slug="kubelet-seccomp-default-disabled",
    title="Kubelet does not apply the RuntimeDefault seccomp profile",
    severity="low",
    category="node",
    tags=("cis-k8s:4.2.14",),
    target="cluster",
    requires=("kubelet",),
    rationale="Without seccompDefault every pod that omits a profile runs with all system calls allowed.",
    remediation=(
        "Set seccompDefault: true in the KubeletConfiguration (and test workloads under "
        "RuntimeDefault first)."
    ),
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://kubernetes.io/docs/tutorials/security/seccomp/#enable-the-use-of-runtimedefault-as-the-default-seccomp-profile-for-all-workloads",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies, evaluate = kubelet_rule(
    require(SECCOMP_DEFAULT, True, "pods without a seccomp profile run unconfined"),
)

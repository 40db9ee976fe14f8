"""Kubelet client certificate rotation is off.

## What it checks
`rotateCertificates` (flag `--rotate-certificates`) in every kubelet configuration the
scan has: configz read live from each node, KubeletConfiguration or configz files given
with `--node-config`, and the flags of a kubelet running in a Pod or DaemonSet. It must
be `true`; when absent it is `false`. kube-bench passes an absent field; kubeguard
follows the kubelet, whose default is false.

## Why it matters
Without rotation the kubelet's client certificate is renewed by hand or not at all; a
stolen key stays valid until the certificate expires, and an expired one takes the node
down.

## Failing example
```yaml
kind: KubeletConfiguration
rotateCertificates: false
```

## Passing example
```yaml
kind: KubeletConfiguration
rotateCertificates: true
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

from ._common import ROTATE_CERTS, kubelet_rule, require

META = RuleMeta(
    code="ND010",
    slug="kubelet-certificate-rotation-disabled",
    title="Kubelet client certificate rotation is off",
    severity="medium",
    category="node",
    tags=("cis-k8s:4.2.10",),
    target="cluster",
    requires=("kubelet",),
    rationale="Client certificates that are never rotated stay usable for their full lifetime once stolen.",
    remediation="Set rotateCertificates: true in the KubeletConfiguration (kubeadm does).",
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://kubernetes.io/docs/tasks/tls/certificate-rotation/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0182",), "trivy": ("KCV-0090",), "checkov": ("CKV_K8S_149",)},
)

applies, evaluate = kubelet_rule(require(ROTATE_CERTS, True, "the kubelet's client certificate is never renewed"))

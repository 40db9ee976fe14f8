"""Kubelet serving certificate rotation is turned off.

## What it checks
`featureGates.RotateKubeletServerCertificate` (flag `--feature-gates`, whose gates merge
over the file's) in every kubelet configuration the scan has: configz read live from
each node, KubeletConfiguration or configz files given with `--node-config`, and the
flags of a kubelet running in a Pod or DaemonSet. It must not be `false`; the gate is on
by default. Rotation also needs `serverTLSBootstrap: true` (ND009).

## Why it matters
With the gate off the kubelet cannot renew its serving certificate through CSRs, so
serving keys live as long as their certificates.

## Failing example
```yaml
kind: KubeletConfiguration
featureGates:
  RotateKubeletServerCertificate: false
```

## Passing example
```yaml
kind: KubeletConfiguration
featureGates:
  RotateKubeletServerCertificate: true
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

from ._common import ROTATE_SERVER_CERT_GATE, Kubelet, kubelet_rule

META = RuleMeta(
    code="ND011",
    slug="kubelet-server-certificate-rotation-disabled",
    title="Kubelet serving certificate rotation is turned off",
    severity="medium",
    category="node",
    tags=("cis-k8s:4.2.11",),
    target="cluster",
    requires=("kubelet",),
    rationale="Turning serving certificate rotation off leaves long-lived serving keys on every node.",
    remediation="Remove RotateKubeletServerCertificate: false from the KubeletConfiguration featureGates.",
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/#certificate-rotation",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0183",), "trivy": ("KCV-0091",)},
)


def check(k: Kubelet, ctx) -> Iterator[Violation]:
    v = k.get(ROTATE_SERVER_CERT_GATE)
    if v.value is False:
        yield k.fail(v, f"{v.shown}; the kubelet cannot renew its serving certificate")


applies, evaluate = kubelet_rule(check)

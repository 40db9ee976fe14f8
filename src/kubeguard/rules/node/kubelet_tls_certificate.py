"""Kubelet serves a self-signed certificate.

## What it checks
`tlsCertFile` and `tlsPrivateKeyFile` (flags `--tls-cert-file`,
`--tls-private-key-file`), or `serverTLSBootstrap` (flag `--rotate-server-certificates`)
in every kubelet configuration the scan has: configz read live from each node,
KubeletConfiguration or configz files given with `--node-config`, and the flags of a
kubelet running in a Pod or DaemonSet. Either both files are set or the kubelet requests
its serving certificate from the cluster CA (`serverTLSBootstrap: true`); otherwise it
generates a self-signed one. kube-bench does not accept the bootstrap alternative;
kubeguard does, since the certificate is then CA-issued.

## Why it matters
A self-signed serving certificate cannot be verified by the API server, which then
either skips verification or cannot reach the kubelet.

## Failing example
```yaml
kind: KubeletConfiguration
serverTLSBootstrap: false
```

## Passing example
```yaml
kind: KubeletConfiguration
tlsCertFile: /var/lib/kubelet/pki/kubelet.crt
tlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key
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

from ._common import SERVER_TLS_BOOTSTRAP, TLS_CERT, TLS_KEY, Kubelet, kubelet_rule

META = RuleMeta(
    code="ND009",
    slug="kubelet-tls-certificate",
    title="Kubelet serves a self-signed certificate",
    severity="medium",
    category="node",
    tags=("cis-k8s:4.2.9",),
    target="cluster",
    requires=("kubelet",),
    rationale=(
        "A kubelet with a self-signed serving certificate forces the API server to trust connections "
        "it cannot verify."
    ),
    remediation=(
        "Set serverTLSBootstrap: true (and approve the kubelet serving CSRs), or set tlsCertFile and "
        "tlsPrivateKeyFile."
    ),
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-tls-bootstrapping/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0181",), "checkov": ("CKV_K8S_148",)},
)


def check(k: Kubelet, ctx) -> Iterator[Violation]:
    cert, key = k.get(TLS_CERT), k.get(TLS_KEY)
    if cert.value and key.value:
        return
    bootstrap = k.get(SERVER_TLS_BOOTSTRAP)
    if bootstrap.value is True:
        return
    missing = cert if not cert.value else key
    yield k.fail(missing, f"{missing.shown} and {bootstrap.shown}; the kubelet serves a self-signed certificate")


applies, evaluate = kubelet_rule(check)

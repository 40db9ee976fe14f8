"""Kubelet does not verify client certificates.

## What it checks
`authentication.x509.clientCAFile` (flag `--client-ca-file`) in every kubelet
configuration the scan has: configz read live from each node, KubeletConfiguration or
configz files given with `--node-config`, and the flags of a kubelet running in a Pod or
DaemonSet. It must name a CA file; it is empty by default.

## Why it matters
Without a client CA the kubelet cannot authenticate the API server's client certificate,
so it must either accept anonymous calls or refuse the API server's exec, logs and
port-forward requests.

## Failing example
```yaml
kind: KubeletConfiguration
authentication:
  x509: {}
```

## Passing example
```yaml
kind: KubeletConfiguration
authentication:
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
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

from ._common import CLIENT_CA, Kubelet, kubelet_rule

META = RuleMeta(
    code="ND003",
    slug="kubelet-client-ca-file",
    title="Kubelet does not verify client certificates",
    severity="high",
    category="node",
    tags=("cis-k8s:4.2.3",),
    target="cluster",
    requires=("kubelet",),
    rationale=(
        "A kubelet without a client CA cannot tell the API server from anyone else presenting a "
        "certificate."
    ),
    remediation=(
        "Set authentication.x509.clientCAFile to the cluster CA in the KubeletConfiguration (or "
        "--client-ca-file)."
    ),
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0174", "C-0070"), "trivy": ("KCV-0081",), "checkov": ("CKV_K8S_140",)},
)


def check(k: Kubelet, ctx) -> Iterator[Violation]:
    v = k.get(CLIENT_CA)
    if not v.value:
        yield k.fail(v, f"{v.shown}; client certificates are not verified")


applies, evaluate = kubelet_rule(check)

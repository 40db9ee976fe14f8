"""Kubelet offers weak TLS cipher suites.

## What it checks
`tlsCipherSuites` (flag `--tls-cipher-suites`) in every kubelet configuration the scan
has: configz read live from each node, KubeletConfiguration or configz files given with
`--node-config`, and the flags of a kubelet running in a Pod or DaemonSet. Every suite
must be in the `allowed` parameter (the benchmark's ECDHE AES-GCM and ChaCha20 suites
and the TLS 1.3 suites). Absent, the kubelet offers Go's default list, which includes
CBC-mode suites, and the rule fails; with `tlsMinVersion: VersionTLS13` the TLS 1.2
suites are never used and it passes.

## Why it matters
CBC-mode, 3DES and static-RSA suites have known attacks (Lucky13, Sweet32, no forward
secrecy).

## Failing example
```yaml
kind: KubeletConfiguration
tlsCipherSuites:
  - TLS_RSA_WITH_3DES_EDE_CBC_SHA
```

## Passing example
```yaml
kind: KubeletConfiguration
tlsCipherSuites:
  - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
  - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
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
from kubeguard.rules._helpers.flags import STRONG_CIPHERS, weak_ciphers
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

from ._common import CIPHERS, TLS_MIN_VERSION, Kubelet, kubelet_rule

META = RuleMeta(
    code="ND012",
    slug="kubelet-weak-tls-ciphers",
    title="Kubelet offers weak TLS cipher suites",
    severity="medium",
    category="node",
    tags=("cis-k8s:4.2.12",),
    target="cluster",
    requires=("kubelet",),
    rationale=(
        "Weak cipher suites on the kubelet let a network attacker downgrade or decrypt exec and log "
        "streams."
    ),
    remediation=(
        "Set tlsCipherSuites to ECDHE suites with AES-GCM or ChaCha20-Poly1305 only, or "
        "tlsMinVersion: VersionTLS13."
    ),
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    params=(
        Param(name="allowed", type="list[str]", default=list(STRONG_CIPHERS),
              description="Cipher suites the kubelet may offer."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0184",), "trivy": ("KCV-0092",), "checkov": ("CKV_K8S_151",)},
)


def check(k: Kubelet, ctx) -> Iterator[Violation]:
    v = k.get(CIPHERS)
    weak = weak_ciphers(v.value, ctx.params.allowed) if v.value else None
    if weak == []:
        return
    if k.get(TLS_MIN_VERSION).value == "VersionTLS13":
        return  # TLS 1.3 suites are fixed by Go; the list only affects TLS 1.2 and older
    if weak is None:
        yield k.fail(v, f"{v.shown}; Go's default suites include CBC-mode ones")
    else:
        yield k.fail(v, f"{v.shown}; weak suites: {', '.join(weak)}")


applies, evaluate = kubelet_rule(check)

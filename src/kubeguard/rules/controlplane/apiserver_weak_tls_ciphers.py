"""API server offers weak TLS cipher suites.

## What it checks
kube-apiserver's `--tls-cipher-suites` (comma list, repeats append) in the
kube-apiserver static pod in kube-system (a manifest from /etc/kubernetes/manifests, or
the mirror Pod a live cluster returns): every suite must be in the `allowed` parameter
(the benchmark's ECDHE AES-GCM and ChaCha20 suites, plus the TLS 1.3 suites). An absent
flag means Go's default list, which includes CBC-mode suites, and fails. With
`--tls-min-version=VersionTLS13` the TLS 1.2 suites are never negotiated and the rule
passes.

## Why it matters
CBC-mode, 3DES and static-RSA suites have known attacks (Lucky13, Sweet32, no forward
secrecy).

## Failing example
```yaml
command:
  - kube-apiserver
  - --tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_3DES_EDE_CBC_SHA
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER, STRONG_CIPHERS, weak_ciphers
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

from ._common import Instance, component_rule

META = RuleMeta(
    code="CP028",
    slug="apiserver-weak-tls-ciphers",
    title="API server offers weak TLS cipher suites",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.2.29",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Weak cipher suites let a network attacker downgrade or decrypt API traffic that carries "
        "tokens and Secrets."
    ),
    remediation=(
        "Set kube-apiserver --tls-cipher-suites to ECDHE suites with AES-GCM or ChaCha20-Poly1305 "
        "only, or --tls-min-version=VersionTLS13."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    params=(
        Param(name="allowed", type="list[str]", default=list(STRONG_CIPHERS),
              description="Cipher suites the API server may offer."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0277",), "checkov": ("CKV_K8S_105",)},
)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    s = inst.flags["tls-cipher-suites"]
    weak = weak_ciphers(s.items(), ctx.params.allowed) if s.is_set else None
    if weak == []:
        return
    if inst.flags["tls-min-version"].raw == "VersionTLS13":
        return  # TLS 1.3 suites are fixed by Go; --tls-cipher-suites only affects TLS 1.2 and older
    if weak is None:
        yield inst.fail(s, "offers Go's default cipher suites, which include CBC-mode suites: "
                           "--tls-cipher-suites is not set", "")
    else:
        yield inst.fail(s, f"offers weak cipher suites {', '.join(weak)}: {s.shown()}", ",".join(s.items()))


applies, evaluate = component_rule(KUBE_APISERVER, check)

"""Kubelet authorizes every request (AlwaysAllow).

## What it checks
`authorization.mode` (flag `--authorization-mode`) in every kubelet configuration the
scan has: configz read live from each node, KubeletConfiguration or configz files given
with `--node-config`, and the flags of a kubelet running in a Pod or DaemonSet. It must
not be `AlwaysAllow`; absent, it is `Webhook` in a config file and `AlwaysAllow` for a
kubelet run with flags only.

## Why it matters
With AlwaysAllow every request that authenticates (or is anonymous) may exec into pods,
read logs and reach the node's pods through the kubelet API.

## Failing example
```yaml
kind: KubeletConfiguration
authorization:
  mode: AlwaysAllow
```

## Passing example
```yaml
kind: KubeletConfiguration
authorization:
  mode: Webhook
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

from ._common import AUTHZ_MODE, Kubelet, kubelet_rule

META = RuleMeta(
    code="ND002",
    slug="kubelet-authorization-always-allow",
    title="Kubelet authorizes every request (AlwaysAllow)",
    severity="critical",
    category="node",
    tags=("cis-k8s:4.2.2",),
    target="cluster",
    requires=("kubelet",),
    rationale=(
        "An AlwaysAllow kubelet lets any authenticated caller run commands in every container on the "
        "node."
    ),
    remediation=(
        "Set authorization.mode: Webhook in the KubeletConfiguration (or "
        "--authorization-mode=Webhook) so the API server authorizes kubelet requests."
    ),
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0173",), "trivy": ("KCV-0080",), "checkov": ("CKV_K8S_139",)},
)


def check(k: Kubelet, ctx) -> Iterator[Violation]:
    v = k.get(AUTHZ_MODE)
    if v.value == "AlwaysAllow":
        yield k.fail(v, f"{v.shown}; every request the kubelet receives is authorized")


applies, evaluate = kubelet_rule(check)

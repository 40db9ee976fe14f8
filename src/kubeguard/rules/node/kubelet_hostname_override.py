"""Kubelet overrides the node's hostname.

## What it checks
The kubelet flag `--hostname-override` in every kubelet configuration the scan has:
configz read live from each node, KubeletConfiguration or configz files given with
`--node-config`, and the flags of a kubelet running in a Pod or DaemonSet. It is a flag
only (KubeletConfiguration has no such field), so it is decided for kubelets whose
command line the scan sees; for configz and configuration files it needs node access
(UNKNOWN).

## Why it matters
A hostname that differs from the node's can break TLS name checks between the API server
and the kubelet and make node certificates and audit entries name the wrong host.

## Failing example
```yaml
command:
  - kubelet
  - --hostname-override=worker-a
```

## Passing example
```yaml
command:
  - kubelet
  - --config=/var/lib/kubelet/config.yaml
```

## Exceptions and known false positives/negatives
On EKS, AKS and GKE the provider writes the kubelet configuration of its node images;
change it through the node pool (launch template or bootstrap arguments, AKS custom
kubelet configuration, GKE node system configuration) rather than on the node. Give the
kubelet's unit, `kubeadm-flags.env` or `/proc/PID/cmdline` with `--node-config` too: its
flags override the configuration file of the same node, as on the node. Some cloud
providers need the override; exempt those nodes with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import HOSTNAME_OVERRIDE, Kubelet, kubelet_rule

META = RuleMeta(
    code="ND007",
    slug="kubelet-hostname-override",
    title="Kubelet overrides the node's hostname",
    severity="low",
    category="node",
    tags=("cis-k8s:4.2.7",),
    target="cluster",
    requires=("kubelet",),
    rationale=(
        "An overridden hostname decouples the node's identity from its host, confusing certificate "
        "checks and audit trails."
    ),
    remediation=(
        "Remove --hostname-override from the kubelet's command line unless the cloud provider "
        "requires it."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0179",), "trivy": ("KCV-0086",), "checkov": ("CKV_K8S_146",)},
)


def check(k: Kubelet, ctx) -> Iterator[Violation]:
    v = k.get(HOSTNAME_OVERRIDE)
    if v.value:
        yield k.fail(v, f"{v.shown}; the node's name differs from its host's")


applies, evaluate = kubelet_rule(check)

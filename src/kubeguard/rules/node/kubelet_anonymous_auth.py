"""Kubelet accepts anonymous requests.

## What it checks
`authentication.anonymous.enabled` (flag `--anonymous-auth`) in every kubelet
configuration the scan has: configz read live from each node, KubeletConfiguration or
configz files given with `--node-config`, and the flags of a kubelet running in a Pod or
DaemonSet. It must be `false`; when absent it is `false` in a configuration file and
`true` for a kubelet run with flags only.

## Why it matters
The kubelet API on port 10250 runs commands in containers and reads logs and secrets
mounted into pods; anonymous requests there are one authorization mistake away from node
takeover.

## Failing example
```yaml
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: true
```

## Passing example
```yaml
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
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

from ._common import ANONYMOUS, kubelet_rule, require

META = RuleMeta(
    code="ND001",
    slug="kubelet-anonymous-auth",
    title="Kubelet accepts anonymous requests",
    severity="high",
    category="node",
    tags=("cis-k8s:4.2.1",),
    target="cluster",
    requires=("kubelet",),
    rationale=(
        "Anonymous access to the kubelet API lets anyone on the node network probe it, and with a "
        "permissive authorizer run commands in every pod on the node."
    ),
    remediation=(
        "Set authentication.anonymous.enabled: false in the KubeletConfiguration (or "
        "--anonymous-auth=false)."
    ),
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0172", "C-0069"), "trivy": ("KCV-0079",), "checkov": ("CKV_K8S_138",)},
)

applies, evaluate = kubelet_rule(require(ANONYMOUS, False, "anonymous requests reach the kubelet API"))

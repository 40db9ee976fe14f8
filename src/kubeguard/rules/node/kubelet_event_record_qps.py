"""Kubelet event recording rate is too low.

## What it checks
`eventRecordQPS` (flag `--event-qps`) in every kubelet configuration the scan has:
configz read live from each node, KubeletConfiguration or configz files given with
`--node-config`, and the flags of a kubelet running in a Pod or DaemonSet. It must be 0
(no limit, accepted unless the `allow_unlimited` parameter is false) or at least the
`min_qps` parameter (5); absent, it is 50.

## Why it matters
Too low a rate drops events the kubelet would record (failed mounts, evictions, image
pulls), hiding what happened on the node; no limit at all lets a misbehaving pod flood
the API server.

## Failing example
```yaml
kind: KubeletConfiguration
eventRecordQPS: 1
```

## Passing example
```yaml
kind: KubeletConfiguration
eventRecordQPS: 50
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
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

from ._common import EVENT_QPS, Kubelet, kubelet_rule

META = RuleMeta(
    code="ND008",
    slug="kubelet-event-record-qps",
    title="Kubelet event recording rate is too low",
    severity="low",
    category="node",
    tags=("cis-k8s:4.2.8",),
    target="cluster",
    requires=("kubelet",),
    rationale="A very low event rate silently discards node events that investigations rely on.",
    remediation="Leave eventRecordQPS at its default of 50, or set it to a rate that keeps the node's events.",
    references=(
        "https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    params=(
        Param(name="min_qps", type="int", default=5,
              description="Lowest event recording rate (events per second) accepted."),
        Param(name="allow_unlimited", type="bool", default=True,
              description="Accept eventRecordQPS 0, which records events without a rate limit."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0180",)},
)


def check(k: Kubelet, ctx) -> Iterator[Violation]:
    v = k.get(EVENT_QPS)
    qps = v.value
    if qps == 0 and not ctx.params.allow_unlimited:
        yield k.fail(v, f"{v.shown}; events are recorded without any rate limit")
    elif qps is not None and 0 < qps < ctx.params.min_qps:
        yield k.fail(v, f"{v.shown}; below {ctx.params.min_qps} events per second, events are dropped")


applies, evaluate = kubelet_rule(check)

"""The cluster does not enforce NetworkPolicy.

## What it checks
Whether the provider's data plane enforces Kubernetes NetworkPolicy objects.
EKS: the `vpc-cni` add-on (`aws eks describe-addon --addon-name vpc-cni`) with
`addon.configurationValues` setting `enableNetworkPolicy: "true"`, or a
policy-capable CNI reported in the cluster's `cni` facts (Calico, Cilium); with
neither export the result is UNKNOWN.  AKS `networkProfile.networkPolicy` must be
`azure`, `calico` or `cilium`.  GKE `networkConfig.datapathProvider` must be
`ADVANCED_DATAPATH` (Dataplane V2 always enforces), or `networkPolicy.enabled`
`true` with `addonsConfig.networkPolicyConfig.disabled` not `true`.

## Why it matters
Without enforcement every NetworkPolicy is decoration: any pod can reach any
other pod, the node and the metadata service, so one compromised pod reaches
every database in the cluster.

## Failing example
```json
{"networkProfile": {"networkPlugin": "kubenet", "networkPolicy": null}}
```

## Passing example
```json
{"networkProfile": {"networkPlugin": "azure", "networkPolicy": "cilium"}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, cloud_of
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL005",
    slug="network-policy-enforcement",
    title="Cluster network does not enforce NetworkPolicy",
    severity="high",
    category="cloud",
    tags=("cis-eks:4.3.1", "cis-eks:5.4.4", "cis-aks:5.4.4", "cis-gke:4.3.1", "mitre:T1046"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "NetworkPolicy objects only take effect when the CNI enforces them; otherwise every pod reaches every "
        "other pod and lateral movement after one compromise is unrestricted."
    ),
    remediation=(
        "EKS: set enableNetworkPolicy to \"true\" in the vpc-cni add-on configuration (or run Calico/Cilium); "
        "AKS: create the cluster with --network-policy azure|calico|cilium; GKE: use Dataplane V2 "
        "(--enable-dataplane-v2) or --enable-network-policy."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy.html",
        "https://learn.microsoft.com/azure/aks/use-network-policies",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0230", "C-0240"), "trivy": ("AVD-AZU-0043", "AVD-GCP-0056")},
)

applies = applies_to()
AKS_ENGINES = ("azure", "calico", "cilium")


def _cni_enforces(ctx) -> bool | None:
    cni = ctx.facts.get("cni")
    if isinstance(cni, dict):
        v = cni.get("networkPolicyEnforcement", cni.get("enforcesNetworkPolicy"))
        return v if isinstance(v, bool) else None
    return None


def _eks(c: Cloud, params, ctx=None) -> Iterator[Violation]:
    addon = (c.facts.get("addons") or {}).get("vpc-cni")
    if addon is not None:
        text = addon.get("configurationValues")
        try:
            values = orjson.loads(text) if text else {}
        except orjson.JSONDecodeError:
            values = {}
        if str(values.get("enableNetworkPolicy", "")).lower() == "true":
            return
        if _cni_enforces(ctx) is True:
            return
        yield c.fail("the vpc-cni add-on does not enforce network policy", ("configurationValues",),
                     text if text else c.at(addon, ("configurationValues",)), part="addon", root="addon")
        return
    enforced = _cni_enforces(ctx)
    if enforced is True:
        return
    if enforced is False:
        yield c.fail("the cluster's CNI does not enforce network policy", ("cni", "networkPolicyEnforcement"), False,
                     part="cluster", root=None)
        return
    raise c.unknown("the vpc-cni add-on settings (aws eks describe-addon --addon-name vpc-cni)", "addon")


def _aks(c: Cloud, params, ctx=None) -> Iterator[Violation]:
    c.require("name")
    policy = c.value("networkProfile", "networkPolicy")
    if policy not in AKS_ENGINES:
        yield c.fail("no network policy engine is configured", ("networkProfile", "networkPolicy"), policy)


def _gke(c: Cloud, params, ctx=None) -> Iterator[Violation]:
    c.require("name")
    if c.value("networkConfig", "datapathProvider") == "ADVANCED_DATAPATH":
        return
    enabled = c.value("networkPolicy", "enabled") is True
    addon_off = c.value("addonsConfig", "networkPolicyConfig", "disabled") is True
    if enabled and not addon_off:
        return
    yield c.fail("neither Dataplane V2 nor the network policy add-on is enabled", ("networkPolicy", "enabled"),
                 c.get("networkPolicy", "enabled"),
                 more={"networkConfig.datapathProvider": c.get("networkConfig", "datapathProvider"),
                       "addonsConfig.networkPolicyConfig.disabled": c.get("addonsConfig", "networkPolicyConfig",
                                                                          "disabled")})


def evaluate(cluster, ctx) -> Iterator[Violation]:
    c = cloud_of(ctx)
    yield from {"eks": _eks, "aks": _aks, "gke": _gke}[c.provider](c, ctx.params, ctx)

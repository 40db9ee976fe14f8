"""What each CNI plugin actually enforces of the NetworkPolicy API (netpol-semantics.md part C).

A :class:`CniProfile` is a set of switches.  The reachability engine evaluates the
policies twice: as the API defines them ("spec") and as the cluster's plugin
enforces them ("practice").  Every switch that differs from the spec carries the
reason shown to people, with its source.

The profile comes from ``ClusterFacts.facts["cni"]`` (``name``, optional
``version``, ``networkPolicyEnforcement``) or from ``--cni NAME``.  Unknown or
absent: the spec profile, i.e. upstream semantics with no caveat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

@dataclass(frozen=True, slots=True)
class CniProfile:
    name: str
    title: str
    enforces: bool = True  # any NetworkPolicy enforcement at all
    ipblock_matches_pod_ips: bool = True  # e2e expects yes; Cilium-based: no
    endport: bool = True  # False: only `port` of a port range is programmed
    endport_unknown: bool = False  # depends on a version we do not know
    named_ports: bool = True
    sctp: bool = True
    standalone_pods_protected: bool = True  # pods without ownerReferences
    admin_policies: bool = False  # AdminNetworkPolicy / BaselineAdminNetworkPolicy
    metadata_except_enforced: bool = True  # `except: [169.254.169.254/32]` honoured
    note: str = ""  # one line shown with every practice caveat of this profile
    vendor: str = ""  # whose own policy CRDs the plugin enforces (calico, cilium)
    node_egress_allowed: bool | None = None  # egress to the pod's own node: True always allowed, None undocumented
    # the Amazon VPC CNI network policy agent (netpol-semantics.md C.1):
    ec2_linux_only: bool = False  # no policy on Fargate or Windows pods
    port_limit: int = 0  # unique port/protocol entries per peer address and direction (0: no limit)
    named_ports_need_pods: bool = False  # a named port resolves only against pods listed as peers
    service_vip_egress: bool = False  # egress to a Service is matched against its ClusterIP and service port
    enforcing_mode: str = ""  # standard: new pods allow everything until the agent programs them (NP-49); "": unknown

    @property
    def is_spec(self) -> bool:
        return self.name == "spec"

    def reason(self, switch: str, **values: Any) -> str:
        """Why a construct behaves differently on this CNI (one sentence)."""
        return _REASONS[switch].format(cni=self.title, limit=self.port_limit, **values)


_REASONS = {
    "enforces": "{cni} does not enforce NetworkPolicy at all, so every connection is allowed in practice",
    "ipblock_matches_pod_ips": "{cni} never matches ipBlock against pod or node IPs; select pods with "
                               "podSelector/namespaceSelector instead",
    "endport": "{cni} ignores endPort and programs only `port`, so the rest of the range is not allowed",
    "endport_unknown": "{cni} honours endPort only from Cilium 1.16; the cluster's Cilium version is not known",
    "named_ports": "{cni} does not handle named ports, so this entry allows nothing",
    "sctp": "{cni} does not support SCTP, so SCTP allow rules have no effect",
    "standalone_pods_protected": "{cni} applies policies only to pods with ownerReferences; this standalone pod "
                                 "is not protected",
    "admin_policies": "{cni} does not implement AdminNetworkPolicy/BaselineAdminNetworkPolicy, so they are ignored",
    "metadata_except_enforced": "{cni} has been reported not to enforce an ipBlock except for 169.254.169.254",
    "ec2_linux_only": "{cni} applies no network policy to pods on Fargate or Windows nodes; this pod is not protected",
    "port_limit": "{cni} programs at most {limit} unique port/protocol combinations per peer and direction; which of "
                  "these {count} it drops is not known",
    "named_ports_need_pods": "{cni} resolves a named port only on pods listed as peers: with every peer allowed "
                             "(no from/to) the rule allows nothing",
    "service_vip_egress": "{cni} matches egress to a Service against its ClusterIP: the rule's pod selector must "
                          "select the Service's selector and the Service port must equal the container port",
    "enforcing_mode": "{cni} runs in standard mode (NETWORK_POLICY_ENFORCING_MODE is not strict): a new pod allows "
                      "every connection until the agent has programmed its policies (NP-49)",
    "node_egress": "whether {cni} exempts traffic from a pod to its own node from egress policy is not documented",
}

SPEC = CniProfile("spec", "upstream NetworkPolicy semantics", admin_policies=True, node_egress_allowed=True)

_PROFILES: dict[str, CniProfile] = {
    p.name: p
    for p in (
        SPEC,
        CniProfile("calico", "Calico", admin_policies=True, vendor="calico"),
        CniProfile("cilium", "Cilium", ipblock_matches_pod_ips=False, endport_unknown=True, vendor="cilium"),
        CniProfile("azure-cilium", "Azure CNI powered by Cilium", ipblock_matches_pod_ips=False,
                   endport_unknown=True, vendor="cilium"),
        CniProfile("gke-dataplane-v2", "GKE Dataplane V2", ipblock_matches_pod_ips=False, endport_unknown=True,
                   vendor="cilium"),
        CniProfile("azure-npm", "Azure Network Policy Manager", endport=False),
        CniProfile("aws-vpc-cni", "the Amazon VPC CNI network policy agent", standalone_pods_protected=False,
                   metadata_except_enforced=False, node_egress_allowed=True, ec2_linux_only=True, port_limit=24,
                   named_ports_need_pods=True, service_vip_egress=True),
        CniProfile("kube-router", "kube-router", sctp=False),
        CniProfile("weave", "Weave Net", named_ports=False),
        CniProfile("antrea", "Antrea", admin_policies=True),
        CniProfile("ovn-kubernetes", "OVN-Kubernetes", admin_policies=True),
        CniProfile("kube-network-policies", "kube-network-policies", admin_policies=True),
        CniProfile("flannel", "Flannel", enforces=False, admin_policies=False),
        CniProfile("none", "a CNI without NetworkPolicy support", enforces=False),
    )
}

_ALIASES = {
    "upstream": "spec", "canal": "calico", "tigera": "calico", "calico-policy": "calico",
    "gke-calico": "calico", "cilium-oss": "cilium", "aks-cilium": "azure-cilium", "azure-cni-cilium": "azure-cilium",
    "azure-cni-overlay-cilium": "azure-cilium", "dataplane-v2": "gke-dataplane-v2", "dpv2": "gke-dataplane-v2",
    "advanced-datapath": "gke-dataplane-v2", "anetd": "gke-dataplane-v2", "azure": "azure-npm", "npm": "azure-npm",
    "vpc-cni": "aws-vpc-cni", "aws-node": "aws-vpc-cni", "amazon-vpc-cni": "aws-vpc-cni", "aws": "aws-vpc-cni",
    "weave-net": "weave", "k3s": "kube-router", "antrea-agent": "antrea", "ovn": "ovn-kubernetes",
    "kindnet": "kube-network-policies",
}


def profile_names() -> list[str]:
    return sorted(_PROFILES)


def _version_tuple(v: Any) -> tuple[int, ...] | None:
    m = re.match(r"v?(\d+)\.(\d+)", str(v or ""))
    return (int(m.group(1)), int(m.group(2))) if m else None


def get_profile(name: str | None, version: str | None = None, kubernetes_version: str | None = None) -> CniProfile:
    """The profile for a CNI name (case-insensitive, aliases allowed); KeyError when unknown."""
    if not name:
        return SPEC
    key = re.sub(r"[\s_]+", "-", str(name).strip().lower())
    key = _ALIASES.get(key, key)
    prof = _PROFILES.get(key)
    if prof is None:
        raise KeyError(f"unknown CNI {name!r}; known: {', '.join(profile_names())}")
    if prof.endport_unknown:
        cilium = _version_tuple(version)
        if cilium is None and prof.name == "azure-cilium":
            # AKS ships Cilium 1.14 up to Kubernetes 1.30 (azure-cni-powered-by-cilium docs)
            k8s = _version_tuple(kubernetes_version)
            if k8s is not None and k8s < (1, 31):
                cilium = (1, 14)
        if cilium is not None:
            prof = replace(prof, endport=cilium >= (1, 16), endport_unknown=False)
    return prof


_ENGINES = {"calico": "calico", "aws-network-policy-agent": "aws-vpc-cni", "azure-npm": "azure-npm",
            "kube-router": "kube-router", "weave-npc": "weave", "antrea": "antrea", "ovn-kubernetes": "ovn-kubernetes"}


def profile_from_facts(facts: dict[str, Any], kubernetes_version: str | None = None) -> CniProfile:
    """The profile recorded by collection (``facts["cni"]``); an unknown CNI falls back to the spec profile.

    ``policyEngine`` wins over ``name`` (Canal is Flannel networking with Calico policy; Calico can enforce
    policy on top of the VPC CNI); ``networkPolicyEnforcement: false`` means nothing is enforced.
    """
    cni = facts.get("cni") if isinstance(facts, dict) else None
    if not isinstance(cni, dict):
        return SPEC
    if cni.get("networkPolicyEnforcement") is False or cni.get("enforcesNetworkPolicy") is False:
        return replace(_PROFILES["none"], title=str(cni.get("name") or "the cluster's CNI"))
    name, engine = cni.get("name"), cni.get("policyEngine")
    if engine == "cilium" and name not in ("gke-dataplane-v2", "azure-cilium"):
        name = "cilium"
    elif engine in _ENGINES:
        name = _ENGINES[engine]
    try:
        prof = get_profile(name, cni.get("version"), kubernetes_version)
    except KeyError:
        return SPEC
    mode = cni.get("enforcingMode")
    if prof.name == "aws-vpc-cni" and isinstance(mode, str) and mode:
        prof = replace(prof, enforcing_mode=mode.strip().lower())
    return prof

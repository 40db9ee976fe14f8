"""NetworkPolicy addresses cluster workloads by IP instead of selectors.

## What it checks
Every `networking.k8s.io` NetworkPolicy peer that is an `ipBlock`: it fails when the block lies
inside the cluster's pod range or Service range, or is a single address equal to a pod's IP or
a Service's cluster IP in the input.  Ranges come from the Nodes' `spec.podCIDRs`, the
`ServiceCIDR` objects (1.33+), and the cloud description (GKE `clusterIpv4Cidr` and
`servicesIpv4Cidr`, node pools' `podIpv4CidrBlock`; AKS `networkProfile.podCidrs` and
`serviceCidrs`; EKS `kubernetesNetworkConfig.serviceIpv4Cidr`).  A block in private address
space (RFC 1918, 100.64.0.0/10, fc00::/7) is UNKNOWN when none of these is known.  Also the
case Trivy's KSV-0038 reports: a policy without `spec.podSelector` whose peers use no pod or
namespace selector.

## Why it matters
The NSA/CISA guide asks for policies that select pods and namespaces by label.  Pod IPs change
whenever a pod is rescheduled, and whether `ipBlock` matches pod IPs at all is left to the
CNI (Calico does, Cilium does not), so the same policy allows different traffic on different
clusters.  Service cluster IPs never match: traffic is evaluated after it is translated to the
pod's address, so such a peer silently allows nothing (or, in an `except`, blocks nothing).

## Failing example
```yaml
kind: NetworkPolicy
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{ipBlock: {cidr: 10.244.1.17/32}}]   # the api pod's current IP
```

## Passing example
```yaml
kind: NetworkPolicy
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: api}}}]
```

## Remediation
Select in-cluster peers with `podSelector` and `namespaceSelector`; keep `ipBlock` for
addresses outside the cluster (and use `except` to carve the pod and Service ranges out of a
broad block).

## Exceptions and known false positives/negatives
A block that contains the whole pod range (such as `10.0.0.0/8` when pods use `10.244.0.0/16`)
is not reported: it usually means "the private network" on purpose.  On EKS and AKS with
Azure CNI (flat network) pods take addresses from the VPC subnets, which the input does not
name; supply Nodes with their pod IPs, or expect UNKNOWN for private blocks.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

from kubeguard.model import ClusterInventory, K8sObject, NotEvaluated, Violation
from kubeguard.rules._helpers.cloud import cloud_of
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW018",
    slug="network-policy-ipblock-for-cluster-addresses",
    title="NetworkPolicy addresses cluster workloads by IP instead of selectors",
    severity="medium",
    category="network",
    target="object",
    kinds=("NetworkPolicy",),
    rationale=(
        "Pod IPs change on every reschedule and CNIs disagree on whether ipBlock matches pods; Service IPs never "
        "match, so IP-based peers allow different traffic on each cluster, or none."
    ),
    remediation=(
        "Select in-cluster peers with podSelector and namespaceSelector; keep ipBlock for external addresses and "
        "carve the pod and Service ranges out of broad blocks with except."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource",
        "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0038",)},
)

Net = ipaddress.IPv4Network | ipaddress.IPv6Network
_PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                     "100.64.0.0/10", "fc00::/7"))


def _net(text: Any) -> Net | None:
    try:
        return ipaddress.ip_network(str(text).strip(), strict=False)
    except ValueError:
        return None


def _inside(a: Net, b: Net) -> bool:
    return a.version == b.version and a.subnet_of(b)  # type: ignore[arg-type]


def _ranges(cluster: ClusterInventory, ctx) -> list[tuple[Net, str, str]]:
    """(range, "pod" | "Service", where it comes from) for every known cluster range."""
    out: list[tuple[Net, str, str]] = []

    def add(value: Any, kind: str, source: str) -> None:
        for v in value if isinstance(value, list) else [value]:
            n = _net(v) if v else None
            if n is not None and all(n != r for r, _, _ in out):
                out.append((n, kind, source))

    for node in cluster.of_kind("Node"):
        add(node.spec.get("podCIDRs") or node.spec.get("podCIDR"), "pod", f"Node {node.name} spec.podCIDRs")
    for sc in cluster.of_kind("ServiceCIDR"):
        add(sc.spec.get("cidrs"), "Service", f"ServiceCIDR {sc.name}")
    c = cloud_of(ctx)
    if c is not None and c.described:
        for kind, paths in (("pod", (("clusterIpv4Cidr",), ("ipAllocationPolicy", "clusterIpv4CidrBlock"),
                                     ("networkProfile", "podCidrs"), ("networkProfile", "podCidr"))),
                            ("Service", (("servicesIpv4Cidr",), ("ipAllocationPolicy", "servicesIpv4CidrBlock"),
                                         ("networkProfile", "serviceCidrs"), ("networkProfile", "serviceCidr"),
                                         ("kubernetesNetworkConfig", "serviceIpv4Cidr"),
                                         ("kubernetesNetworkConfig", "serviceIpv6Cidr")))):
            for path in paths:
                add(c.value(*path), kind, f"{c.provider} {c.field(*path)}")
        for pool in c.value("nodePools", default=[]) or []:
            if isinstance(pool, dict):
                add((pool.get("networkConfig") or {}).get("podIpv4CidrBlock"), "pod",
                    f"gke nodePools {pool.get('name')} networkConfig.podIpv4CidrBlock")
    return out


def _addresses(cluster: ClusterInventory) -> dict[str, str]:
    """Known pod IPs and Service cluster IPs -> what has them."""
    out: dict[str, str] = {}
    for pod in cluster.of_kind("Pod"):
        for entry in pod.get("status", "podIPs") or [{"ip": pod.get("status", "podIP")}]:
            ip = entry.get("ip") if isinstance(entry, dict) else None
            if ip and pod.spec.get("hostNetwork") is not True:
                out.setdefault(str(ip), f"Pod {pod.namespace}/{pod.name}")
    for svc in cluster.of_kind("Service"):
        for ip in svc.spec.get("clusterIPs") or [svc.spec.get("clusterIP")]:
            if ip and ip != "None":
                out.setdefault(str(ip), f"Service {svc.namespace}/{svc.name}")
    return out


def _peers(obj: K8sObject) -> Iterator[tuple[tuple, dict]]:
    for direction, key in (("ingress", "from"), ("egress", "to")):
        rules = obj.spec.get(direction)
        for i, rule in enumerate(rules if isinstance(rules, list) else []):
            peers = rule.get(key) if isinstance(rule, dict) else None
            for j, peer in enumerate(peers if isinstance(peers, list) else []):
                if isinstance(peer, dict):
                    yield ("spec", direction, i, key, j), peer


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.group != "networking.k8s.io":
        return
    peers = list(_peers(obj))
    if "podSelector" not in obj.spec and peers and not any(
            "podSelector" in p or "namespaceSelector" in p for _, p in peers):
        yield Violation(f"NetworkPolicy {obj.name} has no spec.podSelector (so it selects every pod of the namespace) "
                        "and none of its peers selects pods or namespaces", ("spec",))
    blocks = [(path, p["ipBlock"]) for path, p in peers if isinstance(p.get("ipBlock"), dict)]
    if not blocks:
        return
    ranges = _ranges(ctx.cluster, ctx)
    addresses = _addresses(ctx.cluster)
    unknown = []
    for path, block in blocks:
        net = _net(block.get("cidr"))
        if net is None:
            continue  # invalid CIDRs are NW011's
        where = path + ("ipBlock", "cidr")
        if net.num_addresses == 1 and str(net.network_address) in addresses:
            who = addresses[str(net.network_address)]
            why = ("cluster IPs never match: traffic is matched after translation to pod addresses"
                   if who.startswith("Service") else "pod IPs change when pods are rescheduled")
            yield Violation(f"ipBlock {block['cidr']} is the address of {who}: {why}; select it with podSelector/"
                            "namespaceSelector", where,
                            evidence={"cidr": block["cidr"], "matches": who})
            continue
        hit = next(((r, kind, src) for r, kind, src in ranges if _inside(net, r)), None)
        if hit is not None:
            r, kind, src = hit
            why = ("Service traffic is matched after translation to pod addresses, so this peer matches nothing"
                   if kind == "Service" else "pod IPs change and CNIs disagree on whether ipBlock matches pods; "
                   "use podSelector/namespaceSelector")
            yield Violation(f"ipBlock {block['cidr']} lies in the cluster's {kind} range {r} ({src}): {why}", where,
                            evidence={"cidr": block["cidr"], "range": str(r), "rangeKind": kind, "source": src})
        elif not ranges and any(_inside(net, p) for p in _PRIVATE):
            unknown.append(str(block.get("cidr")))
    if unknown:
        raise NotEvaluated(f"ipBlock {', '.join(unknown)} is private address space and the cluster's pod and Service "
                           "ranges are unknown (no Node podCIDRs, ServiceCIDRs or cloud description)")

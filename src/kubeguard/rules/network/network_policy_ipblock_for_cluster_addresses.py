"""NetworkPolicy addresses cluster workloads by IP instead of selectors.

## What it checks
Every `networking.k8s.io` NetworkPolicy peer that is an `ipBlock`: it fails when the block
overlaps the cluster's pod ranges or Service ranges without being broader than all of them (a
block inside one range, one spanning several Nodes' pod ranges, one partly in a range), or is
a single address equal to a pod's IP or a Service's cluster IP in the input.  Pod ranges come
from the Nodes' `spec.podCIDRs` and the cloud description (GKE `clusterIpv4Cidr`, node pools'
`podIpv4CidrBlock`; AKS `networkProfile.podCidrs`), else from the pods' own addresses
(`status.podIPs`, as on EKS and Azure CNI, where pods take VPC addresses); Service ranges from
the `ServiceCIDR` objects (1.33+) and the cloud description (GKE `servicesIpv4Cidr`, AKS
`networkProfile.serviceCidrs`, EKS `kubernetesNetworkConfig.serviceIpv4Cidr`).  A block in
private address space (RFC 1918, 100.64.0.0/10, fc00::/7) that no known range decides is
UNKNOWN while the pod addresses are unknown.  Also the case Trivy's KSV-0038 reports: a
policy without `spec.podSelector` whose peers use no pod or namespace selector.

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
A block broader than every known range of a kind (such as `10.0.0.0/8` when pods use
`10.244.0.0/16`) is not reported: it usually means "the private network" on purpose; when
the pod range is known only from a few Nodes' `podCIDRs`, a block covering just those Nodes
looks the same.  On EKS and AKS with Azure CNI (flat network) the pod ranges are the VPC
subnets, which the input does not name: scan the cluster (pod addresses decide) or expect
UNKNOWN for private blocks.

## Differences from Trivy
KSV-0038 passes every policy that has a `spec.podSelector` (an empty one included) or any pod or
namespace selector peer, so ipBlocks that address pods or Services pass there; it also fails a
policy without `spec.podSelector` and without any peer (a default deny that relies on the
selector's defaulting), which selects nothing by IP and passes here.
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


def _hits(net: Net, ranges: list[tuple[Net, str, str]], kind: str) -> list[tuple[Net, str, str]]:
    """The ranges of ``kind`` that ``net`` overlaps (one containing it first), none when ``net`` is broader
    than all of them (their union, same IP version, lies strictly inside it)."""
    same = [(r, k, src) for r, k, src in ranges if k == kind and r.version == net.version]
    hits = [h for h in same if h[0].overlaps(net)]  # type: ignore[arg-type]
    if not hits:
        return []
    union = list(ipaddress.collapse_addresses(r for r, _, _ in same))  # type: ignore[type-var]
    if all(_inside(u, net) and u != net for u in union):
        return []
    return sorted(hits, key=lambda h: not _inside(net, h[0]))


def _ranges(cluster: ClusterInventory, ctx, addresses: dict[str, str]) -> list[tuple[Net, str, str]]:
    """(range, "pod" | "Service", where it comes from) for every known cluster range; the pods' own addresses
    (``addresses``, from :func:`_addresses`) when no pod range is known."""
    out: list[tuple[Net, str, str]] = []
    seen: set[Net] = set()

    def add(value: Any, kind: str, source: str) -> None:
        for v in value if isinstance(value, list) else [value]:
            n = _net(v) if v else None
            if n is not None and n not in seen:
                seen.add(n)
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
    if not any(kind == "pod" for _, kind, _ in out):  # flat networks: the pods' own addresses
        for ip, who in addresses.items():
            if who.startswith("Pod "):
                add(ip, "pod", f"{who} status.podIPs")
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
    addresses = _addresses(ctx.cluster)
    ranges = _ranges(ctx.cluster, ctx, addresses)
    pod_known = any(kind == "pod" for _, kind, _ in ranges)
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
        hits = _hits(net, ranges, "pod") or _hits(net, ranges, "Service")
        if hits:
            r, kind, src = hits[0]
            why = ("Service traffic is matched after translation to pod addresses, so this peer matches nothing"
                   if kind == "Service" else "pod IPs change and CNIs disagree on whether ipBlock matches pods; "
                   "use podSelector/namespaceSelector")
            named = ", ".join(f"{h[0].network_address if h[0].num_addresses == 1 else h[0]} ({h[2]})"
                              for h in hits[:3]) + (f" and {len(hits) - 3} more" if len(hits) > 3 else "")
            what = (f"lies in the cluster's {kind} range {named}" if _inside(net, r) else
                    f"contains the pod addresses {named}" if r.num_addresses == 1 else
                    f"overlaps the cluster's {kind} ranges {named}" if len(hits) > 1 else
                    f"overlaps the cluster's {kind} range {named}")
            yield Violation(f"ipBlock {block['cidr']} {what}: {why}", where,
                            evidence={"cidr": block["cidr"], "range": str(r), "rangeKind": kind, "source": src})
        elif not pod_known and any(_inside(net, p) for p in _PRIVATE):
            unknown.append(str(block.get("cidr")))
    if unknown:
        raise NotEvaluated(f"ipBlock {', '.join(unknown)} is private address space and the cluster's pod addresses are "
                           "unknown (no Node podCIDRs, pod IPs or cloud description)")

"""Egress policy blocks DNS.

## What it checks
Every workload (outside `exempt_namespaces`) that some policy isolates for egress, for an
allowed UDP connection to the cluster DNS pods (`k8s-app: kube-dns`, or OpenShift's
`dns.operator.openshift.io/daemonset-dns`) on a UDP port they declare (53 when they declare
none) when the input has them, or else to UDP 53 or 5353 of any pod or address.  Policies
match the pod's port after the Service's translation, so OpenShift's DNS pods, which listen on
5353 behind a Service on 53, are allowed with port 5353.  Pods with no egress policy are not
judged here.

## Why it matters
A default-deny egress without a DNS rule breaks name resolution (NP-51): every lookup times
out, which shows up as slow start-ups and "unknown host" errors far from the policy that
causes them.

## Failing example
```yaml
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: 5432}]}]
```

## Passing example
```yaml
egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}},
          podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
```

## Exceptions
Node-local DNS caches answer on a link-local node address: allow it with an ipBlock; the
rule then sees UDP 53 allowed to that address and passes.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.network_sets import ALL_IPS, PortSet
from kubeguard.model import ClusterInventory, NotEvaluated, Violation
from kubeguard.rules._helpers.namespaces import SYSTEM_NAMESPACES
from kubeguard.rules._helpers.network import labels_path, workloads
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="NW013",
    slug="dns-egress-blocked",
    title="Egress policy blocks DNS",
    severity="medium",
    category="network",
    target="cluster",
    requires=("NetworkPolicy",),
    rationale=(
        "An egress policy without a DNS allowance breaks name resolution for the selected pods, an outage that "
        "surfaces far from its cause."
    ),
    remediation="Allow UDP and TCP 53 to the cluster DNS pods (namespaceSelector kube-system, podSelector "
                "k8s-app: kube-dns) in the egress policies of the namespace.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic",),
    params=(Param(name="exempt_namespaces", type="list[str]", default=list(SYSTEM_NAMESPACES),
                  description="Namespaces whose pods are not checked."),),
    lifecycle=Lifecycle.preview("0.1.0"),
)

_DNS = PortSet.of("UDP", 53)
# pod ports that serve cluster DNS: CoreDNS and kube-dns 53, OpenShift's dns-default 5353
_ANY_DNS = _DNS | PortSet.of("UDP", 5353)
OPENSHIFT_DNS_LABEL = "dns.operator.openshift.io/daemonset-dns"


def _dns_ports(pod) -> PortSet:
    """The UDP ports a DNS pod declares (53 when it declares none)."""
    out = PortSet.none()
    for _, proto, number in pod.ports:
        if proto == "UDP":
            out = out | PortSet.of("UDP", number)
    return out or _DNS


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    dns = [p for p in g.pods if p.labels.get("k8s-app") == "kube-dns" or OPENSHIFT_DNS_LABEL in p.labels]
    failed, undecided = [], []
    for owner, pods in workloads(g, ctx.params.exempt_namespaces):
        pod = pods[0]
        isolating = g.isolation(pod, "egress")
        if not isolating or pod in dns:
            continue
        if dns:
            answers = [(g.ports(pod, d, practice=False), _dns_ports(d)) for d in dns]
            ok = any(lo & want for (lo, _), want in answers)
            maybe = any(u & want for (_, u), want in answers)
        else:
            cell = g.cells.cell_of[id(pod)]
            ok, maybe = (any(p & _ANY_DNS for _, p in ev.partition(cell, "egress"))
                         or any(p & _ANY_DNS for _, p in ev.ip_partition(cell, "egress", ALL_IPS))
                         for ev in (g.spec, g.spec_hi))
        if ok:
            continue
        if maybe:
            undecided.append(f"{owner.kind} {owner.name}")
            continue
        failed.append(Violation(f"{owner.kind} {owner.name}: egress is isolated by "
                                f"{', '.join(q.ref for q in isolating[:3])} and nothing allows UDP DNS"
                                + (" to the cluster DNS pods" if dns else ""), labels_path(owner), obj=owner,
                                related=tuple(q.obj.ref for q in isolating[:3])))
    if undecided and not failed:
        raise NotEvaluated(f"whether DNS is allowed cannot be told for {', '.join(undecided[:5])}: a policy construct "
                           f"that decides it is undecided (see kubeguard netpol can-reach)")
    yield from failed

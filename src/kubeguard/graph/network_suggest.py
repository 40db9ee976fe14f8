"""Least-privilege NetworkPolicies derived from what the workloads declare.

Per namespace with pods: a default deny for both directions; DNS egress to the
cluster DNS pods; ingress to each Service's backends on its target ports only
(from every pod of the cluster, and from anywhere when the Service is exposed
outside the cluster: LoadBalancer, NodePort, externalIPs, an Ingress or a
Gateway API route); egress to every Service's backends on their target ports;
ingress from anywhere to the ingress controllers found.  Who actually calls a
Service is not in the manifests, so sources stay "any pod" while destinations
and ports are exact: a port no Service publishes stays closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.inventory import ClusterInventory
from ..model.objects import K8sObject
from .network import NS_NAME_LABEL, NetworkGraph, PodEndpoint
from .network_exposure import exposures, service_pods

SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})
MANAGED = {"app.kubernetes.io/managed-by": "kubeguard-suggest"}
_CONTROLLER_NAMES = {"ingress-nginx", "nginx-ingress", "traefik", "haproxy-ingress", "contour", "envoy",
                     "kong", "istio-ingressgateway", "gateway", "emissary-ingress", "ambassador"}


@dataclass(frozen=True)
class Backend:
    service: K8sObject
    pods: tuple[PodEndpoint, ...]
    ports: tuple[dict[str, Any], ...]  # NetworkPolicy port entries
    external: bool
    why_external: str


def _svc_ports(svc: K8sObject, pods: tuple[PodEndpoint, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in svc.spec.get("ports") or []:
        if not isinstance(p, dict):
            continue
        proto = str(p.get("protocol") or "TCP")
        target = p.get("targetPort", p.get("port"))
        if isinstance(target, str) and not target.isdigit():
            if not any(name == target and pr == proto for pod in pods for name, pr, _ in pod.ports):
                continue  # the Service points at a name no backend declares: nothing to open
            entry: dict[str, Any] = {"protocol": proto, "port": target}
        elif target is not None:
            entry = {"protocol": proto, "port": int(target)}
        else:
            continue
        if entry not in out:
            out.append(entry)
    return out


def backends(cluster: ClusterInventory, g: NetworkGraph) -> list[Backend]:
    """Services with backend pods and ports; ``external`` when clients outside the cluster reach them directly.

    Traffic through an Ingress or a Gateway route comes from the controller's pods, which are in-cluster
    clients, when the input has a controller; otherwise the controller is unknown (perhaps on the host
    network) and the backends stay open to any source on their target ports.
    """
    has_controller = any(_is_controller(p) and not p.host_network for p in g.pods)
    exposed: dict[tuple[str | None, str], str] = {}
    for e in exposures(cluster):
        if e.obj.kind == "Service" or not has_controller:
            exposed.setdefault((e.namespace, e.service), e.how)
    out = []
    for svc in cluster.of_kind("Service"):
        pods = tuple(p for p in service_pods(g, svc) if not p.host_network)
        if not pods:
            continue
        ports = tuple(_svc_ports(svc, pods))
        if ports:
            why = exposed.get((svc.namespace, svc.name), "")
            out.append(Backend(svc, pods, ports, bool(why), why))
    return out


def _policy(ns: str, name: str, reason: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": ns, "labels": dict(MANAGED),
                         "annotations": {"kubeguard.dev/reason": reason}},
            "spec": spec}


def _dns_target(g: NetworkGraph) -> tuple[str, dict[str, str]]:
    for p in g.pods:
        if p.labels.get("k8s-app") == "kube-dns":
            return p.namespace, {"k8s-app": "kube-dns"}
    return "kube-system", {"k8s-app": "kube-dns"}


def _is_controller(p: PodEndpoint) -> bool:
    names = {p.labels.get("app.kubernetes.io/name", ""), p.labels.get("app", ""), p.workload_name}
    return bool(names & _CONTROLLER_NAMES) or (p.namespace in _CONTROLLER_NAMES and bool(p.ports))


def suggest(cluster: ClusterInventory, g: NetworkGraph, include_system: bool = False) -> list[dict[str, Any]]:
    """The suggested NetworkPolicies, in a stable order."""
    namespaces = sorted({p.namespace for p in g.pods if not p.host_network
                         and (include_system or p.namespace not in SYSTEM_NAMESPACES)})
    bes = backends(cluster, g)
    dns_ns, dns_labels = _dns_target(g)
    out: list[dict[str, Any]] = []
    egress_rules = [{"to": [{"namespaceSelector": {"matchLabels": {NS_NAME_LABEL: b.service.namespace}},
                             "podSelector": {"matchLabels": dict(b.service.spec["selector"])}}],
                     "ports": list(b.ports)} for b in bes]
    for ns in namespaces:
        out.append(_policy(ns, "default-deny", "Deny all ingress and egress unless another policy allows it.",
                           {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}))
        out.append(_policy(ns, "allow-dns", f"Name resolution through the cluster DNS ({dns_ns}).", {
            "podSelector": {}, "policyTypes": ["Egress"],
            "egress": [{"to": [{"namespaceSelector": {"matchLabels": {NS_NAME_LABEL: dns_ns}},
                                "podSelector": {"matchLabels": dns_labels}}],
                        "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]}]}))
        if egress_rules:
            out.append(_policy(ns, "allow-egress-to-services", "Calls to Service backends, on target ports only.", {
                "podSelector": {}, "policyTypes": ["Egress"], "egress": egress_rules}))
        for b in (b for b in bes if b.service.namespace == ns):
            rule: dict[str, Any] = {"ports": list(b.ports)}
            reason = f"Service {b.service.name}: clients in the cluster, target ports only."
            if b.external:
                reason = f"Service {b.service.name} is exposed outside the cluster ({b.why_external})."
            else:
                rule = {"from": [{"namespaceSelector": {}}], **rule}
            out.append(_policy(ns, f"allow-{b.service.name}"[:63].rstrip("-"), reason, {
                "podSelector": {"matchLabels": dict(b.service.spec["selector"])}, "policyTypes": ["Ingress"],
                "ingress": [rule]}))
        controllers = [p for p in g.pods if p.namespace == ns and _is_controller(p) and p.ports]
        for p in controllers:
            ports = sorted({(proto, num) for _, proto, num in p.ports})
            out.append(_policy(ns, f"allow-{p.workload_name}-from-anywhere"[:63].rstrip("-"),
                               f"Ingress controller {p.workload_kind} {p.workload_name}: traffic from outside.", {
                                   "podSelector": {"matchLabels": dict(p.labels)}, "policyTypes": ["Ingress"],
                                   "ingress": [{"ports": [{"protocol": pr, "port": n} for pr, n in ports]}]}))
    return out

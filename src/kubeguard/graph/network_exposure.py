"""What is reachable from outside the cluster: Services of type LoadBalancer or NodePort, externalIPs,
Ingress backends and Gateway API route backends, each with the field that exposes it."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.inventory import ClusterInventory
from ..model.objects import K8sObject, Path
from .network import NetworkGraph, PodEndpoint
from .network_sets import ALL_IPS, NO_PORTS, PortSet

GATEWAY_GROUP = "gateway.networking.k8s.io"


@dataclass(frozen=True, slots=True)
class Exposure:
    obj: K8sObject  # the Service, Ingress or route that exposes
    path: Path  # the field that does it
    how: str  # "Service type LoadBalancer", "Ingress web", ...
    namespace: str | None  # of the exposed Service
    service: str  # name of the exposed Service


def exposures(cluster: ClusterInventory) -> list[Exposure]:
    out: list[Exposure] = []
    for svc in cluster.of_kind("Service"):
        t = svc.spec.get("type")
        if t in ("LoadBalancer", "NodePort"):
            out.append(Exposure(svc, ("spec", "type"), f"Service type {t}", svc.namespace, svc.name))
        elif svc.spec.get("externalIPs"):
            out.append(Exposure(svc, ("spec", "externalIPs"), "Service externalIPs", svc.namespace, svc.name))
    for ing in cluster.of_kind("Ingress"):
        for name, path in _ingress_backends(ing):
            out.append(Exposure(ing, path, f"Ingress {ing.name}", ing.namespace, name))
    for route in cluster.objects:
        if route.group != GATEWAY_GROUP or not route.kind.endswith("Route"):
            continue
        for i, rule in enumerate(route.spec.get("rules") or []):
            refs = rule.get("backendRefs") if isinstance(rule, dict) else None
            for j, ref in enumerate(refs if isinstance(refs, list) else []):
                if isinstance(ref, dict) and ref.get("name") and ref.get("kind", "Service") == "Service" \
                        and ref.get("group", "") in ("", "core"):
                    out.append(Exposure(route, ("spec", "rules", i, "backendRefs", j), f"{route.kind} {route.name}",
                                        ref.get("namespace") or route.namespace, str(ref["name"])))
    return out


def _ingress_backends(ing: K8sObject) -> list[tuple[str, Path]]:
    out: list[tuple[str, Path]] = []
    for key, path in ((("defaultBackend", "service", "name"), ("spec", "defaultBackend")),
                      (("backend", "serviceName"), ("spec", "backend"))):
        name = ing.get("spec", *key)
        if name:
            out.append((str(name), path))
    for i, rule in enumerate(ing.spec.get("rules") or []):
        paths = (rule.get("http") or {}).get("paths") if isinstance(rule, dict) else None
        for j, p in enumerate(paths if isinstance(paths, list) else []):
            backend = p.get("backend") if isinstance(p, dict) else None
            if not isinstance(backend, dict):
                continue
            name = (backend.get("service") or {}).get("name") or backend.get("serviceName")
            if name:
                out.append((str(name), ("spec", "rules", i, "http", "paths", j, "backend")))
    return out


def service_pods(g: NetworkGraph, svc: K8sObject) -> list[PodEndpoint]:
    """The pods a Service selects (none for a Service without selector)."""
    sel = svc.spec.get("selector")
    if not isinstance(sel, dict) or not sel:
        return []
    return g.pods_selected(svc.namespace, sel)


def service_target_ports(svc: K8sObject, pod: PodEndpoint, only: int | None = None) -> PortSet:
    """The pod ports a Service (or its ``only``-th port) sends traffic to: targetPort by number or by name."""
    out = PortSet.none()
    for i, sp in enumerate(svc.spec.get("ports") or []):
        if only is not None and i != only:
            continue
        if not isinstance(sp, dict):
            continue
        proto = str(sp.get("protocol") or "TCP").upper()
        if proto not in ("TCP", "UDP", "SCTP"):
            continue
        target = sp.get("targetPort", sp.get("port"))
        if isinstance(target, str) and not target.isdigit():
            nums = [n for name, p, n in pod.ports if name == target and p == proto]
        else:
            nums = [int(target)] if isinstance(target, (int, str)) and not isinstance(target, bool) else []
        for n in nums:
            if 1 <= n <= 65535:
                out = out | PortSet.of(proto, n)
    return out


def rewriting_exposures(g: NetworkGraph, pod: PodEndpoint, want: PortSet) -> list[tuple[K8sObject, bool]]:
    """Services exposing ``pod`` outside the cluster on a port of ``want`` on a path where the source address
    the pod sees may not be the client's (NP-32), with whether a node may SNAT it (externalTrafficPolicy
    Cluster, the default); a LoadBalancer with Local may still proxy through the load balancer."""
    out = []
    for svc in g.services_in(pod.namespace):
        t = svc.spec.get("type")
        external = t in ("LoadBalancer", "NodePort") or bool(svc.spec.get("externalIPs"))
        if not external or not any(p is pod for p in service_pods(g, svc)):
            continue
        if not service_target_ports(svc, pod) & want:
            continue
        snat = svc.spec.get("externalTrafficPolicy", "Cluster") != "Local"
        if snat or t == "LoadBalancer":
            out.append((svc, snat))
    return out


def admitted(g: NetworkGraph, pod: PodEndpoint, ports: PortSet, everyone: bool,
             practice: bool = True) -> tuple[PortSet, PortSet]:
    """Ports of ``ports`` that ``pod``'s ingress side admits from every pod of the cluster (``everyone``), or
    from at least one pod or address: (surely, maybe: undecided).  A hostNetwork pod admits everything."""
    if pod.host_network:
        return ports, NO_PORTS
    cell = g.cells.cell_of[id(pod)]
    pods = g.cells.all & ~g.cells.host_bits
    out = []
    for ev in g._evs(practice):
        part = ev.partition(cell, "ingress")
        if everyone:
            covered, common = 0, ports
            for bits, p in part:
                if bits & pods:
                    covered |= bits
                    common = common & p
            out.append(common if covered & pods == pods else NO_PORTS)
        else:
            some = NO_PORTS
            for _, p in part + ev.ip_partition(cell, "ingress", ALL_IPS):
                some = some | p
            out.append(some & ports)
    return out[0], out[1] - out[0]

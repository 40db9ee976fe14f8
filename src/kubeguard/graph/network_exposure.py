"""What is reachable from outside the cluster: Services of type LoadBalancer or NodePort, externalIPs,
Ingress backends and Gateway API route backends, each with the field that exposes it."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.inventory import ClusterInventory
from ..model.objects import K8sObject, Path
from .network import NetworkGraph, PodEndpoint

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

"""Shared by the network rules: which workloads are in scope and which field to point at."""

from __future__ import annotations

from typing import Iterable, Iterator

from kubeguard.graph.network import NetworkGraph, PodEndpoint
from kubeguard.model import K8sObject, Path, Violation, pod_specs


def labels_path(obj: K8sObject) -> Path:
    """The pod labels of a workload: ``metadata.labels`` of a Pod, of the pod template otherwise."""
    views = pod_specs(obj)
    if not views or views[0].base == ("spec",):
        return ("metadata", "labels")
    return views[0].base[:-1] + ("metadata", "labels")


def workloads(g: NetworkGraph, exempt: Iterable[str] = ()) -> Iterator[tuple[K8sObject, list[PodEndpoint]]]:
    """Each top-level workload with its pods, skipping exempt namespaces and hostNetwork pods
    (NetworkPolicy cannot select those; the host-network rule covers them)."""
    skip = set(exempt)
    by: dict[int, tuple[K8sObject, list[PodEndpoint]]] = {}
    for p in g.pods:
        if p.host_network or p.namespace in skip:
            continue
        owner = p.workload or p.obj
        by.setdefault(id(owner), (owner, []))[1].append(p)
    yield from by.values()


def namespaces_with_pods(g: NetworkGraph, exempt: Iterable[str] = ()) -> list[str]:
    skip = set(exempt)
    return sorted({p.namespace for p in g.pods if not p.host_network and p.namespace not in skip})


def unisolated(g: NetworkGraph, direction: str, exempt: Iterable[str]) -> Iterator[Violation]:
    """One violation per workload whose pods no policy selects for ``direction``."""
    for owner, pods in workloads(g, exempt):
        if any(not g.isolation(p, direction) for p in pods):
            who = "from every pod and address" if direction == "ingress" else "to every pod and address"
            yield Violation(f"{owner.kind} {owner.name}: no policy selects its pods for {direction}, so connections "
                            f"{who} are allowed on every port", labels_path(owner), obj=owner,
                            evidence={"direction": direction, "pods": sorted(p.id for p in pods)[:10]})

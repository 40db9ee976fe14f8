"""Small builders for network tests: namespaces, pods and policies as plain dicts."""

from __future__ import annotations

from typing import Any

import yaml

from kubeguard.graph.network import NetworkGraph, build
from kubeguard.graph.network_cni import get_profile
from kubeguard.model import ClusterFacts, K8sObject
from kubeguard.model.inventory import ClusterInventory


def ns(name: str, **labels: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}


def pod(namespace: str, name: str, labels: dict | None = None, ports: list | None = None, ip: str | None = None,
        host_network: bool = False, owned: bool = True, node: str | None = None, host_ip: str | None = None) -> dict:
    """A running pod; ``ports`` are ``(number, name, protocol)`` tuples (name/protocol optional)."""
    cports = []
    for p in ports or [(80,)]:
        num, pname, proto = (tuple(p) + (None, None))[:3]
        d: dict[str, Any] = {"containerPort": num}
        if pname:
            d["name"] = pname
        if proto:
            d["protocol"] = proto
        cports.append(d)
    meta: dict[str, Any] = {"name": name, "namespace": namespace, "labels": labels or {}}
    if owned:
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": f"{name}-rs",
                                    "uid": f"uid-{namespace}-{name}", "controller": True}]
    spec: dict[str, Any] = {"containers": [{"name": "c", "image": "nginx:1.27", "ports": cports}]}
    if host_network:
        spec["hostNetwork"] = True
    if node:
        spec["nodeName"] = node
    out: dict[str, Any] = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
    if ip:
        out["status"] = {"podIP": ip, "phase": "Running"}
    if host_ip:
        out.setdefault("status", {"phase": "Running"})["hostIP"] = host_ip
    return out


def service(namespace: str, name: str, selector: dict, ports: list, type_: str = "ClusterIP", **spec: Any) -> dict:
    """A Service; ``ports`` are ``(port, targetPort)`` tuples."""
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": namespace},
            "spec": {"type": type_, "selector": selector, "clusterIP": spec.pop("cluster_ip", "10.96.0.10"),
                     "ports": [{"port": p, "targetPort": t} for p, t in ports], **spec}}


def netpol(namespace: str, name: str, spec: dict | str) -> dict:
    if isinstance(spec, str):
        spec = yaml.safe_load(spec)
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def admin(kind: str, name: str, spec: dict | str) -> dict:
    if isinstance(spec, str):
        spec = yaml.safe_load(spec)
    version = "v1alpha2" if kind == "ClusterNetworkPolicy" else "v1alpha1"
    return {"apiVersion": f"policy.networking.k8s.io/{version}", "kind": kind, "metadata": {"name": name},
            "spec": spec}


def graph(*docs: dict, cni: str | None = None, facts: dict | None = None, k8s: str | None = None) -> NetworkGraph:
    objs = [K8sObject.from_raw(d, "t") for d in docs]
    cluster = ClusterInventory(ClusterFacts("t", facts=facts or {}, kubernetes_version=k8s), objs)
    return build(cluster, get_profile(cni) if cni else None)


def reach(g: NetworkGraph, src: str, dst: str, port: int | str | None = 80, protocol: str = "TCP",
          spec: bool = False) -> bool:
    v = g.can_reach(g.endpoint(src), g.endpoint(dst), protocol, port)
    return v.spec_allowed if spec else v.allowed


# the usual cast: namespaces x and y, pods a and b in each
def base() -> list[dict]:
    return [ns("x", team="x"), ns("y", team="y"),
            pod("x", "a", {"app": "a"}), pod("x", "b", {"app": "b"}),
            pod("y", "a", {"app": "a"}), pod("y", "b", {"app": "b"})]

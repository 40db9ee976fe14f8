"""Reading live object status (Pods, Nodes) for health rules.

Manifests carry no status, so these rules apply only where status was collected: a live
cluster, a snapshot, or a ``kubectl get -o yaml`` dump whose objects keep their ``status``.
"""

from __future__ import annotations

from kubeguard.model import ClusterInventory, K8sObject


def has_status(obj: K8sObject) -> bool:
    st = obj.raw.get("status")
    return isinstance(st, dict) and bool(st)


def status_applies(kind: str):
    """``applies()``: the cluster is live or a snapshot, or some object of ``kind`` carries status."""

    def applies(cluster: ClusterInventory, ctx) -> bool:
        objs = cluster.of_kind(kind)
        if cluster.facts.source in ("live", "snapshot"):
            return bool(objs)
        return any(has_status(o) for o in objs)

    return applies


def top_owner(cluster: ClusterInventory, obj: K8sObject) -> K8sObject:
    """The outermost controller of ``obj`` found in the inventory (Pod -> ReplicaSet -> Deployment)."""
    seen = {id(obj)}
    cur = obj
    while (owner := cluster.owner_of(cur)) is not None and id(owner) not in seen:
        seen.add(id(owner))
        cur = owner
    return cur


def described(cluster: ClusterInventory, pod: K8sObject) -> str:
    top = top_owner(cluster, pod)
    return f"Pod {pod.namespace}/{pod.name}" + (f" ({top.kind} {top.name})" if top is not pod else "")

"""The immutable inventory: every object of every cluster, indexed once per scan."""

from __future__ import annotations

from collections import defaultdict
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping

from .cloud import ClusterFacts
from .objects import K8sObject
from .podspec import PodSpecView, pod_specs


class ClusterInventory:
    """Objects of one cluster, indexed by kind, namespace, name, labels and owner."""

    __slots__ = ("name", "facts", "objects", "_by_kind", "_by_key", "_by_ns", "_by_uid",
                 "_children", "_by_label", "_workloads", "_workloads_by_ns")

    def __init__(self, facts: ClusterFacts, objects: Iterable[K8sObject]):
        self.name = facts.name
        self.facts = facts
        objs = tuple(objects)
        self.objects = objs
        by_kind: dict[str, list[K8sObject]] = defaultdict(list)
        by_ns: dict[str | None, list[K8sObject]] = defaultdict(list)
        by_key: dict[tuple[str, str | None, str], K8sObject] = {}
        by_uid: dict[str, K8sObject] = {}
        children: dict[str, list[K8sObject]] = defaultdict(list)
        for o in objs:
            by_kind[o.kind].append(o)
            by_ns[o.namespace].append(o)
            by_key.setdefault((o.kind, o.namespace, o.name), o)
            uid = o.uid
            if uid:
                by_uid[uid] = o
        for o in objs:
            for ref in o.owner_references:
                owner = self._resolve_owner(ref, o.namespace, by_uid, by_key)
                if owner is not None and owner.uid:
                    children[owner.uid].append(o)
        self._by_kind = MappingProxyType({k: tuple(v) for k, v in by_kind.items()})
        self._by_ns = MappingProxyType({k: tuple(v) for k, v in by_ns.items()})
        self._by_key = MappingProxyType(by_key)
        self._by_uid = MappingProxyType(by_uid)
        self._children = MappingProxyType({k: tuple(v) for k, v in children.items()})
        self._by_label: Mapping[tuple[str, str], tuple[K8sObject, ...]] | None = None
        self._workloads: tuple[PodSpecView, ...] | None = None
        self._workloads_by_ns: Mapping[str | None, tuple[PodSpecView, ...]] | None = None

    @staticmethod
    def _resolve_owner(ref: dict, namespace: str | None, by_uid: Mapping[str, K8sObject],
                       by_key: Mapping[tuple[str, str | None, str], K8sObject]) -> K8sObject | None:
        uid = ref.get("uid")
        if uid and uid in by_uid:
            return by_uid[uid]
        kind, name = ref.get("kind"), ref.get("name")
        if not kind or not name:
            return None
        return by_key.get((kind, namespace, name)) or by_key.get((kind, None, name))

    # --- lookups -----------------------------------------------------------------
    def of_kind(self, *kinds: str) -> tuple[K8sObject, ...]:
        if len(kinds) == 1:
            return self._by_kind.get(kinds[0], ())
        out: list[K8sObject] = []
        for k in kinds:
            out.extend(self._by_kind.get(k, ()))
        return tuple(out)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._by_kind)

    def get(self, kind: str, namespace: str | None, name: str) -> K8sObject | None:
        return self._by_key.get((kind, namespace, name))

    def by_uid(self, uid: str) -> K8sObject | None:
        return self._by_uid.get(uid)

    def in_namespace(self, namespace: str | None) -> tuple[K8sObject, ...]:
        return self._by_ns.get(namespace, ())

    @property
    def namespaces(self) -> tuple[str, ...]:
        """Namespaces declared as objects or used by any object, sorted."""
        names = {o.name for o in self.of_kind("Namespace")}
        names.update(ns for ns in self._by_ns if ns)
        return tuple(sorted(names))

    def with_label(self, key: str, value: str) -> tuple[K8sObject, ...]:
        if self._by_label is None:
            idx: dict[tuple[str, str], list[K8sObject]] = defaultdict(list)
            for o in self.objects:
                for k, v in o.labels.items():
                    idx[(k, str(v))].append(o)
            self._by_label = MappingProxyType({k: tuple(v) for k, v in idx.items()})
        return self._by_label.get((key, value), ())

    def owner_of(self, obj: K8sObject) -> K8sObject | None:
        """The controlling owner of ``obj`` when it is in the inventory."""
        for ref in obj.owner_references:
            if ref.get("controller") is True or len(obj.owner_references) == 1:
                owner = self._resolve_owner(ref, obj.namespace, self._by_uid, self._by_key)
                if owner is not None:
                    return owner
        return None

    def children(self, obj: K8sObject) -> tuple[K8sObject, ...]:
        return self._children.get(obj.uid or "", ())

    def workloads(self) -> tuple[PodSpecView, ...]:
        """Every pod spec, skipping objects whose controller is also in the inventory.

        A live Deployment, its ReplicaSets and their Pods share one template; the
        findings belong on the Deployment, so only top-level owners are evaluated.
        """
        if self._workloads is None:
            views: list[PodSpecView] = []
            for o in self.objects:
                specs = pod_specs(o)
                if not specs:
                    continue
                owner = self.owner_of(o)
                if owner is not None and pod_specs(owner):
                    continue
                views.extend(specs)
            self._workloads = tuple(views)
        return self._workloads

    def workloads_in(self, namespace: str | None) -> tuple[PodSpecView, ...]:
        """:meth:`workloads` of one namespace (indexed on first use)."""
        if self._workloads_by_ns is None:
            idx: dict[str | None, list[PodSpecView]] = defaultdict(list)
            for view in self.workloads():
                idx[view.namespace].append(view)
            self._workloads_by_ns = MappingProxyType({k: tuple(v) for k, v in idx.items()})
        return self._workloads_by_ns.get(namespace, ())

    def __iter__(self) -> Iterator[K8sObject]:
        return iter(self.objects)

    def __len__(self) -> int:
        return len(self.objects)


class Inventory:
    """All clusters of a scan.  Build with :meth:`build`; never modified afterwards."""

    __slots__ = ("_clusters",)

    def __init__(self, clusters: Iterable[ClusterInventory]):
        self._clusters = MappingProxyType({c.name: c for c in clusters})

    @staticmethod
    def build(facts: Iterable[ClusterFacts], objects: Iterable[K8sObject]) -> "Inventory":
        by_cluster: dict[str, list[K8sObject]] = defaultdict(list)
        for o in objects:
            by_cluster[o.cluster].append(o)
        facts_by_name = {f.name: f for f in facts}
        for name in by_cluster:
            facts_by_name.setdefault(name, ClusterFacts(name=name))
        return Inventory(ClusterInventory(f, by_cluster.get(n, ())) for n, f in facts_by_name.items())

    @property
    def clusters(self) -> tuple[ClusterInventory, ...]:
        return tuple(self._clusters.values())

    def cluster(self, name: str) -> ClusterInventory:
        return self._clusters[name]

    def __len__(self) -> int:
        return sum(len(c) for c in self._clusters.values())

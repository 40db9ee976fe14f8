"""What a pod spec's owner means for reliability: replicas, autoscalers, disruption budgets.

Lookups go through the inventory's kind and namespace indexes (no per-scan state
kept here), so each call costs the smaller of the two index slices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from kubeguard.model import ClusterInventory, K8sObject, PodSpecView, Violation, selector_matches

# Kinds whose replica count is spec.replicas (default 1) and whose pods are interchangeable.
REPLICATED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"})
BATCH_KINDS = frozenset({"Job", "CronJob"})
# Custom resources known to replicate a pod template through spec.replicas (default 1).
REPLICATED_CUSTOM = frozenset({("argoproj.io", "Rollout"), ("apps.kruise.io", "CloneSet"),
                               ("apps.kruise.io", "StatefulSet"), ("apps.openshift.io", "DeploymentConfig")})


def objects_in(cluster: ClusterInventory, kind: str, namespace: str | None) -> Iterable[K8sObject]:
    """Objects of ``kind`` in ``namespace``, through whichever index slice is smaller."""
    by_kind = cluster.of_kind(kind)
    by_ns = cluster.in_namespace(namespace)
    if len(by_kind) <= len(by_ns):
        return [o for o in by_kind if o.namespace == namespace]
    return [o for o in by_ns if o.kind == kind]


def is_top_level(pod: PodSpecView) -> bool:
    """True when the pod spec is the object's own (not one of several templates inside a custom resource)."""
    return pod.base in (("spec",), ("spec", "template", "spec"), ("spec", "jobTemplate", "spec", "template", "spec"))


def runs_to_completion(pod: PodSpecView) -> bool:
    """Jobs, CronJobs and pods whose restartPolicy lets them finish (Never / OnFailure)."""
    if pod.kind in BATCH_KINDS:
        return True
    return pod.spec.get("restartPolicy") in ("Never", "OnFailure")


def missing_probes(pod: PodSpecView, field: str) -> Iterator[Violation]:
    """App containers of a long-running pod without ``field`` (``livenessProbe``, ``readinessProbe``)."""
    if runs_to_completion(pod):
        return
    for c in pod.containers():
        if not isinstance(c.raw.get(field), dict):
            yield Violation(f"container {c.name!r} has no {field.removesuffix('Probe')} probe", c.path(field),
                            container=c.name)


def declared_replicas(obj: K8sObject) -> tuple[int | None, bool]:
    """``(replicas, explicit)`` for replicated kinds; ``(None, False)`` for kinds without replicas.

    ``spec.replicas`` defaults to 1 when absent; a non-integer value counts as absent.
    """
    builtin = obj.kind in REPLICATED_KINDS and obj.group in ("", "apps", "extensions")
    if builtin or (obj.group, obj.kind) in REPLICATED_CUSTOM:
        v = obj.spec.get("replicas")
        if isinstance(v, int) and not isinstance(v, bool):
            return v, True
        return 1, False
    return None, False


@dataclass(frozen=True, slots=True)
class Autoscaler:
    obj: K8sObject
    min_replicas: int
    max_replicas: int | None


def autoscalers_for(cluster: ClusterInventory, obj: K8sObject) -> list[Autoscaler]:
    """HorizontalPodAutoscalers and KEDA ScaledObjects in ``obj``'s namespace that scale it."""
    out: list[Autoscaler] = []
    for hpa in objects_in(cluster, "HorizontalPodAutoscaler", obj.namespace):
        ref = hpa.spec.get("scaleTargetRef")
        if _targets(ref, obj, default_kind=None):
            out.append(Autoscaler(hpa, _int(hpa.spec.get("minReplicas"), 1), _int(hpa.spec.get("maxReplicas"), None)))
    for so in objects_in(cluster, "ScaledObject", obj.namespace):
        if so.group != "keda.sh":
            continue
        ref = so.spec.get("scaleTargetRef")
        if _targets(ref, obj, default_kind="Deployment"):
            out.append(Autoscaler(so, _int(so.spec.get("minReplicaCount"), 0),
                                  _int(so.spec.get("maxReplicaCount"), 100)))
    return out


def hpa_target_key(ref: object) -> tuple[str, str, str] | None:
    """``(group, kind, name)`` of an HPA scaleTargetRef, or None when malformed."""
    if not isinstance(ref, dict) or not isinstance(ref.get("kind"), str) or not isinstance(ref.get("name"), str):
        return None
    api = ref.get("apiVersion") if isinstance(ref.get("apiVersion"), str) else ""
    return (api.rpartition("/")[0] if "/" in api else "", ref["kind"], ref["name"])


def _targets(ref: object, obj: K8sObject, default_kind: str | None) -> bool:
    if not isinstance(ref, dict) or ref.get("name") != obj.name:
        return False
    kind = ref.get("kind") or default_kind
    if kind != obj.kind:
        return False
    api = ref.get("apiVersion")
    if isinstance(api, str) and "/" in api:
        group = api.rpartition("/")[0]
        return group == obj.group or {group, obj.group} <= {"apps", "extensions"}
    return True


def _int(v: object, default: int | None) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else default


def effective_replicas(cluster: ClusterInventory, obj: K8sObject) -> tuple[int | None, str]:
    """The fewest pods the owner runs: the autoscaler minimum when scaled, else spec.replicas."""
    scalers = autoscalers_for(cluster, obj)
    if scalers:
        low = min(s.min_replicas for s in scalers)
        return low, f"{scalers[0].obj.kind} {scalers[0].obj.name} minimum"
    n, explicit = declared_replicas(obj)
    return n, "spec.replicas" if explicit else "spec.replicas (default 1)"


def pdbs_selecting(cluster: ClusterInventory, namespace: str | None, labels: dict) -> list[K8sObject]:
    """PodDisruptionBudgets in ``namespace`` whose selector matches ``labels``.

    policy/v1: an empty selector selects every pod of the namespace, an absent one none.
    policy/v1beta1 (removed in 1.25): an empty selector selects nothing.
    """
    out = []
    for pdb in objects_in(cluster, "PodDisruptionBudget", namespace):
        sel = pdb.spec.get("selector")
        if sel == {} and pdb.api_version != "policy/v1":
            continue
        if selector_matches(sel, labels):
            out.append(pdb)
    return out


def workloads_selected_by(cluster: ClusterInventory, namespace: str | None, sel: object,
                          empty_selects_all: bool = True) -> list[PodSpecView]:
    """Top-level pod specs in ``namespace`` whose pod labels ``sel`` selects."""
    if not isinstance(sel, dict):
        return []
    if sel == {} and not empty_selects_all:
        return []
    return [pod for pod in cluster.workloads_in(namespace) if selector_matches(sel, pod.labels)]


def inventory_is_complete(cluster: ClusterInventory) -> bool:
    """True for live clusters, snapshots of them and the demo fleet; False for manifest folders.

    In a manifest scan an object missing from the input may well exist in the cluster, so
    rules about absent objects report UNKNOWN there instead of guessing.
    """
    return cluster.facts.source != "manifests"


def labels_path(pod: PodSpecView) -> tuple:
    """Path of the pod labels: ``spec.template.metadata.labels`` (or ``metadata.labels`` for a Pod)."""
    return pod.base[:-1] + ("metadata", "labels")


def scaled_value(v: object, total: int) -> int | None:
    """``intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true)``; None when malformed."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str) and v.endswith("%") and v[:-1].isdigit():
        return -(-int(v[:-1]) * total // 100)
    if isinstance(v, str) and v.isdigit():
        return int(v)
    return None


def pdb_selector(pdb: K8sObject) -> tuple[object, bool]:
    """``(selector, empty_selects_all)``: policy/v1 treats ``{}`` as every pod, v1beta1 as none."""
    return pdb.spec.get("selector"), pdb.api_version == "policy/v1"


def field_owned_by_user(obj: K8sObject, *path: str) -> bool | None:
    """Whether a client (not defaulting, not a controller's scale update) set ``spec.<path>``.

    Live objects carry defaulted fields, so presence alone proves nothing; their
    ``managedFields`` say who set what (defaulted fields belong to no manager).  Returns
    None when a live object has no managedFields to tell.
    """
    managed = obj.metadata.get("managedFields")
    if not isinstance(managed, list):
        return None
    for entry in managed:
        if not isinstance(entry, dict) or entry.get("subresource") in ("scale", "status"):
            continue
        node = entry.get("fieldsV1")
        for key in path:
            node = node.get(f"f:{key}") if isinstance(node, dict) else None
        if node is not None:
            return True
    return False


# Spec fields of a custom resource whose operator runs pods for it (Prometheus, Alertmanager, database
# clusters ...): the pods are created at run time, so a manifest holds no template to match.
_OPERATOR_POD_HINTS = frozenset({"replicas", "instances", "image", "imageName", "resources", "nodeSelector",
                                 "tolerations", "affinity", "serviceAccountName", "podMetadata", "podTemplate"})


def operator_pods_maybe_selected(cluster: ClusterInventory, namespace: str | None,
                                 selector: object) -> K8sObject | None:
    """In a manifest scan, a custom resource of ``namespace`` whose operator may run pods ``selector`` selects.

    Operators label their pods with the resource's own labels or those of ``spec.podMetadata``
    (prometheus-operator); a selector matching either may well select those pods.  Always None for
    live clusters and snapshots, whose pods (and the operator's StatefulSets) are listed.
    """
    if inventory_is_complete(cluster) or not isinstance(selector, dict):
        return None
    for obj in cluster.in_namespace(namespace):
        group = obj.group
        if "." not in group or group.endswith(".k8s.io") or _OPERATOR_POD_HINTS.isdisjoint(obj.spec):
            continue
        pod_meta = obj.spec.get("podMetadata")
        pod_labels = pod_meta.get("labels") if isinstance(pod_meta, dict) else None
        for labels in (obj.labels, pod_labels):
            if isinstance(labels, dict) and labels and selector_matches(selector, labels):
                return obj
    return None


def same_input(a: K8sObject, b: K8sObject) -> bool:
    """Whether two manifest objects were read from the same folder (or the same stdin / rendered chart)."""
    fa, fb = a.source.file, b.source.file
    if fa is None or fb is None:
        return fa == fb
    return fa.rpartition("/")[0] == fb.rpartition("/")[0]


def nearness(o: K8sObject, origin: K8sObject) -> int:
    """0: same manifest file as ``origin``, 1: same folder, 2: elsewhere.

    Manifest folders often hold variants of one install (a deploy.yaml per cloud provider, a
    chart's examples) whose objects share kind, namespace, name and labels; a reference is
    best judged against the variant nearest to it.
    """
    if o.source.file is not None and o.source.file == origin.source.file:
        return 0
    return 1 if same_input(o, origin) else 2


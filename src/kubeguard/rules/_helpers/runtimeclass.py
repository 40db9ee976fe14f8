"""RuntimeClasses: which one a pod spec names, whether it exists, and whether it sandboxes the pod.

A pod's ``runtimeClassName`` names a cluster-scoped ``node.k8s.io`` RuntimeClass whose ``handler``
is the CRI runtime the kubelet asks for.  A sandbox is decided by the handler (gVisor ``runsc``,
GKE Sandbox ``gvisor``, Kata Containers ``kata*``, Firecracker); a RuntimeClass's name is only a
label, so the name counts only when the object itself is not in the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kubeguard.model import ClusterInventory, K8sObject, PodSpecView

from .workloads import inventory_is_complete, same_input

# handlers (or, when the RuntimeClass is not in the input, names) of sandboxed runtimes
SANDBOX_PATTERNS = (r"^(runsc|gvisor)([-_.].*)?$", r"^kata([-_.].*)?$", r"^(firecracker|fc)([-_.].*)?$")


@dataclass(frozen=True, slots=True)
class RuntimeClassRef:
    name: str | None  # None: the pod uses the node's default runtime
    obj: K8sObject | None  # the RuntimeClass, when it is in the input

    @property
    def handler(self) -> str | None:
        h = self.obj.raw.get("handler") if self.obj is not None else None
        return h if isinstance(h, str) else None


def runtime_class_of(pod: PodSpecView, cluster: ClusterInventory) -> RuntimeClassRef:
    name = pod.spec.get("runtimeClassName")
    if not isinstance(name, str) or not name:
        return RuntimeClassRef(None, None)
    return RuntimeClassRef(name, cluster.get("RuntimeClass", None, name))


def runtime_classes_from(cluster: ClusterInventory, origin: K8sObject) -> list[K8sObject]:
    """RuntimeClasses of the input that share ``origin``'s folder (all of them for a whole cluster)."""
    rcs = list(cluster.of_kind("RuntimeClass"))
    if inventory_is_complete(cluster):
        return rcs
    return [o for o in rcs if same_input(o, origin)]


def is_sandboxed(ref: RuntimeClassRef, patterns: Iterable[str]) -> bool:
    """Whether the runtime class runs pods in a sandbox: its handler, else (object absent) its name."""
    if ref.name is None:
        return False
    text = ref.handler if ref.obj is not None else ref.name
    return text is not None and any(re.match(p, text) for p in patterns)

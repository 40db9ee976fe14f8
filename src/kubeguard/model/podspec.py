"""One view over every pod spec, whatever object carries it.

Built-in workload kinds have their pod spec at a fixed path.  Custom resources
(Argo Rollouts, Knative, OpenKruise, Ray, Kubeflow, DeploymentConfig, ...) are
searched for pod templates: any mapping under ``spec`` holding a ``containers``
list whose items have an ``image``.  Rules receive a :class:`PodSpecView` and
never care which object shape it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from .objects import K8sObject, Path

CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")

_TEMPLATE = ("spec", "template", "spec")
# (group, kind) -> path of the pod spec.  Groups are the API group without version.
BUILTIN_POD_SPEC_PATHS: dict[tuple[str, str], Path] = {
    ("", "Pod"): ("spec",),
    ("", "PodTemplate"): ("template", "spec"),
    ("", "ReplicationController"): _TEMPLATE,
    ("apps", "Deployment"): _TEMPLATE,
    ("apps", "StatefulSet"): _TEMPLATE,
    ("apps", "DaemonSet"): _TEMPLATE,
    ("apps", "ReplicaSet"): _TEMPLATE,
    ("extensions", "Deployment"): _TEMPLATE,
    ("extensions", "DaemonSet"): _TEMPLATE,
    ("extensions", "ReplicaSet"): _TEMPLATE,
    ("batch", "Job"): _TEMPLATE,
    ("batch", "CronJob"): ("spec", "jobTemplate", "spec", "template", "spec"),
}
WORKLOAD_KINDS = frozenset(k for _, k in BUILTIN_POD_SPEC_PATHS) - {"PodTemplate"}

# Groups whose kinds never carry pod templates; skipped by the custom-resource search.
_NO_POD_GROUPS = frozenset(
    {
        "", "apps", "batch", "extensions", "rbac.authorization.k8s.io", "networking.k8s.io",
        "policy", "storage.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io",
        "apiregistration.k8s.io", "autoscaling", "certificates.k8s.io", "coordination.k8s.io",
        "discovery.k8s.io", "events.k8s.io", "node.k8s.io", "scheduling.k8s.io",
        "flowcontrol.apiserver.k8s.io", "gateway.networking.k8s.io", "monitoring.coreos.com",
        "cert-manager.io", "networking.istio.io", "security.istio.io",
    }
)
_MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class ContainerView:
    """A container, init container or ephemeral container inside a pod spec."""

    pod: "PodSpecView"
    list_name: str  # containers | initContainers | ephemeralContainers
    index: int
    raw: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.raw.get("name", f"#{self.index}"))

    @property
    def base(self) -> Path:
        return self.pod.base + (self.list_name, self.index)

    def path(self, *rest: str | int) -> Path:
        return self.base + rest

    @property
    def is_init(self) -> bool:
        return self.list_name == "initContainers"

    @property
    def is_ephemeral(self) -> bool:
        return self.list_name == "ephemeralContainers"

    @property
    def image(self) -> str:
        v = self.raw.get("image")
        return v if isinstance(v, str) else ""

    @property
    def security_context(self) -> dict[str, Any]:
        v = self.raw.get("securityContext")
        return v if isinstance(v, dict) else {}

    @property
    def resources(self) -> dict[str, Any]:
        v = self.raw.get("resources")
        return v if isinstance(v, dict) else {}

    @property
    def ports(self) -> list[dict[str, Any]]:
        v = self.raw.get("ports")
        return [p for p in v if isinstance(p, dict)] if isinstance(v, list) else []

    @property
    def capabilities(self) -> dict[str, Any]:
        v = self.security_context.get("capabilities")
        return v if isinstance(v, dict) else {}

    def effective(self, field: str) -> tuple[Any, Path | None]:
        """Value of a securityContext field with container-over-pod precedence.

        Returns ``(value, path)`` where ``path`` is where the deciding value sits
        (``None`` when neither level sets it).  Only fields that exist at both
        levels (runAsUser, runAsNonRoot, seccompProfile, ...) make sense here.
        """
        sc = self.security_context
        if sc.get(field) is not None:
            return sc[field], self.path("securityContext", field)
        psc = self.pod.security_context
        if psc.get(field) is not None:
            return psc[field], self.pod.path("securityContext", field)
        return None, None

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class PodSpecView:
    """A pod spec at ``base`` inside ``obj``, with the pod metadata that goes with it."""

    obj: K8sObject
    spec: dict[str, Any]
    base: Path
    pod_metadata: dict[str, Any]
    # container views per list, built once: every workload rule walks the same containers
    _views: dict[str, tuple[ContainerView, ...]] = field(default_factory=dict, compare=False, repr=False)

    def path(self, *rest: str | int) -> Path:
        return self.base + rest

    @property
    def kind(self) -> str:
        return self.obj.kind

    @property
    def namespace(self) -> str | None:
        return self.obj.namespace

    @property
    def labels(self) -> dict[str, str]:
        v = self.pod_metadata.get("labels")
        return v if isinstance(v, dict) else {}

    @property
    def annotations(self) -> dict[str, str]:
        v = self.pod_metadata.get("annotations")
        return v if isinstance(v, dict) else {}

    @property
    def security_context(self) -> dict[str, Any]:
        v = self.spec.get("securityContext")
        return v if isinstance(v, dict) else {}

    @property
    def volumes(self) -> list[dict[str, Any]]:
        v = self.spec.get("volumes")
        return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []

    @property
    def service_account_name(self) -> str:
        v = self.spec.get("serviceAccountName") or self.spec.get("serviceAccount")
        return str(v) if v else "default"

    def containers_of(self, list_name: str) -> Iterator[ContainerView]:
        views = self._views.get(list_name)
        if views is None:
            items = self.spec.get(list_name)
            views = tuple(ContainerView(self, list_name, i, c) for i, c in enumerate(items) if isinstance(c, dict)) \
                if isinstance(items, list) else ()
            self._views[list_name] = views
        return iter(views)

    def containers(self) -> Iterator[ContainerView]:
        return self.containers_of("containers")

    def init_containers(self) -> Iterator[ContainerView]:
        return self.containers_of("initContainers")

    def ephemeral_containers(self) -> Iterator[ContainerView]:
        return self.containers_of("ephemeralContainers")

    def all_containers(self) -> Iterator[ContainerView]:
        """Init containers, containers and ephemeral containers, in that order."""
        for name in CONTAINER_LISTS:
            yield from self.containers_of(name)

    def __str__(self) -> str:
        return str(self.obj)


def pod_specs(obj: K8sObject) -> list[PodSpecView]:
    """Every pod spec inside ``obj``: one for built-in workloads, any number for custom resources."""
    group = obj.group
    path = BUILTIN_POD_SPEC_PATHS.get((group, obj.kind))
    if path is not None:
        spec = obj.get(*path)
        if not isinstance(spec, dict):
            return []
        meta = obj.metadata if path == ("spec",) else obj.get(*path[:-1], "metadata")
        return [PodSpecView(obj, spec, path, meta if isinstance(meta, dict) else {})]
    if group in _NO_POD_GROUPS or obj.kind == "List":
        return []
    spec = obj.raw.get("spec")
    if not isinstance(spec, dict):
        return []
    found: list[PodSpecView] = []
    _search(obj, spec, ("spec",), None, found, 0)
    return found


def _is_pod_spec(d: dict[str, Any]) -> bool:
    cs = d.get("containers")
    return isinstance(cs, list) and bool(cs) and all(isinstance(c, dict) and "image" in c for c in cs)


def _search(obj: K8sObject, node: dict[str, Any], path: Path, parent: dict[str, Any] | None,
            found: list[PodSpecView], depth: int) -> None:
    if _is_pod_spec(node):
        meta = parent.get("metadata") if parent is not None else None
        found.append(PodSpecView(obj, node, path, meta if isinstance(meta, dict) else {}))
        return
    if depth >= _MAX_DEPTH:
        return
    for key, value in node.items():
        if isinstance(value, dict):
            _search(obj, value, path + (key,), node, found, depth + 1)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    _search(obj, item, path + (key, i), None, found, depth + 1)

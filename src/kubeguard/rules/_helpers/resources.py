"""Container and pod resource requirements as the API server and admission see them.

* A limit without a request makes the request equal to the limit (API defaulting).
* A namespace LimitRange of type Container fills in missing values at admission:
  the default limit is ``default`` (or ``max``), the default request is
  ``defaultRequest`` (or the default limit, or ``min``); the first LimitRange by
  name wins, as in the LimitRanger plugin.
* Pod totals follow ``PodRequests``/``PodLimits``: the larger of the sum over app
  containers plus sidecars (init containers with ``restartPolicy: Always``) and, for
  each ordinary init container, its own value plus the sidecars started before it;
  ``spec.overhead`` is added.
* Ephemeral containers may not set resources, so they never count.
* Pod-level ``spec.resources`` (PodLevelResources, Kubernetes 1.32+) bounds the pod as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Iterator

from kubeguard.model import ClusterInventory, ContainerView, PodSpecView, Violation

from .quantities import try_quantity
from .workloads import objects_in

RESOURCE_CONTAINERS = ("initContainers", "containers")


def resource_containers(pod: PodSpecView) -> Iterator[ContainerView]:
    """Init and app containers (ephemeral containers cannot set resources)."""
    for name in RESOURCE_CONTAINERS:
        yield from pod.containers_of(name)


def is_sidecar(c: ContainerView) -> bool:
    return c.is_init and c.raw.get("restartPolicy") == "Always"


def declared(c: ContainerView, section: str, resource: str) -> Any:
    """The raw value at ``resources.<section>.<resource>`` or None."""
    sec = c.resources.get(section)
    return sec.get(resource) if isinstance(sec, dict) else None


@dataclass
class LimitRangeView:
    """The Container and Pod items of a namespace's LimitRanges, after upstream defaulting."""

    default_limit: dict[str, tuple[Any, str]] = field(default_factory=dict)  # resource -> (value, LimitRange name)
    default_request: dict[str, tuple[Any, str]] = field(default_factory=dict)
    items: list[tuple[str, str, dict]] = field(default_factory=list)  # (LimitRange name, type, item)


def limit_ranges(cluster: ClusterInventory, namespace: str | None) -> LimitRangeView:
    view = LimitRangeView()
    for lr in sorted(objects_in(cluster, "LimitRange", namespace), key=lambda o: o.name):
        limits = lr.spec.get("limits")
        if not isinstance(limits, list):
            continue
        for item in limits:
            if not isinstance(item, dict):
                continue
            typ = item.get("type")
            view.items.append((lr.name, str(typ), item))
            if typ != "Container":
                continue
            dflt = _mapping(item.get("default")) or {}
            mx, mn, dreq = _mapping(item.get("max")) or {}, _mapping(item.get("min")) or {}, \
                _mapping(item.get("defaultRequest")) or {}
            limit_defaults = {**mx, **dflt}
            request_defaults = {**mn, **limit_defaults, **dreq}
            for k, v in limit_defaults.items():
                view.default_limit.setdefault(k, (v, lr.name))
            for k, v in request_defaults.items():
                view.default_request.setdefault(k, (v, lr.name))
    return view


def _mapping(v: Any) -> dict | None:
    return v if isinstance(v, dict) else None


@dataclass(frozen=True, slots=True)
class Effective:
    """An effective request or limit and where it comes from."""

    value: Fraction | None  # None when unset (or unparseable)
    raw: Any
    source: str  # "container" | "limit" (request copied from the limit) | "LimitRange <name>" | "unset"

    @property
    def is_set(self) -> bool:
        return self.source != "unset"


def effective_limit(c: ContainerView, resource: str, lr: LimitRangeView | None) -> Effective:
    raw = declared(c, "limits", resource)
    if raw is not None:
        return Effective(try_quantity(raw), raw, "container")
    if lr is not None and resource in lr.default_limit:
        v, name = lr.default_limit[resource]
        return Effective(try_quantity(v), v, f"LimitRange {name}")
    return Effective(None, None, "unset")


def effective_request(c: ContainerView, resource: str, lr: LimitRangeView | None) -> Effective:
    raw = declared(c, "requests", resource)
    if raw is not None:
        return Effective(try_quantity(raw), raw, "container")
    limit_raw = declared(c, "limits", resource)
    if limit_raw is not None:
        return Effective(try_quantity(limit_raw), limit_raw, "limit")
    if lr is not None and resource in lr.default_request:
        v, name = lr.default_request[resource]
        return Effective(try_quantity(v), v, f"LimitRange {name}")
    return Effective(None, None, "unset")


def pod_total(pod: PodSpecView, per_container: Callable[[ContainerView], Fraction | None],
              overhead: Any = None) -> Fraction | None:
    """Pod-level amount with sidecar and init-container semantics; None when no container sets it."""
    total = Fraction(0)
    seen = False
    for c in pod.containers():
        v = per_container(c)
        if v is not None:
            total += v
            seen = True
    sidecars = Fraction(0)
    init_peak = Fraction(0)
    for c in pod.init_containers():
        v = per_container(c)
        if v is not None:
            seen = True
        v = v or Fraction(0)
        if is_sidecar(c):
            total += v
            sidecars += v
            init_peak = max(init_peak, sidecars)
        else:
            init_peak = max(init_peak, v + sidecars)
    if not seen:
        return None
    result = max(total, init_peak)
    if overhead is not None:
        ov = try_quantity(overhead)
        if ov is not None:
            result += ov
    return result


def pod_level(pod: PodSpecView, section: str, resource: str) -> Any:
    """``spec.resources`` of the pod itself (Kubernetes 1.32+); a pod-level limit also sets the request."""
    res = pod.spec.get("resources")
    if not isinstance(res, dict):
        return None
    for sec in (section, "limits") if section == "requests" else (section,):
        values = res.get(sec)
        if isinstance(values, dict) and values.get(resource) is not None:
            return values[resource]
    return None


def pod_overhead(pod: PodSpecView, resource: str) -> Any:
    ov = pod.spec.get("overhead")
    return ov.get(resource) if isinstance(ov, dict) else None


_LABELS = {"requests": "request", "limits": "limit"}


def unset_violations(pod: PodSpecView, cluster: ClusterInventory, section: str, resource: str) -> Iterator[Violation]:
    """One violation per init/app container with no effective ``resources.<section>.<resource>``."""
    if pod_level(pod, section, resource) is not None:
        return  # pod-level resources (PodLevelResources) bound the whole pod
    lr = limit_ranges(cluster, pod.namespace)
    pick = effective_limit if section == "limits" else effective_request
    for c in resource_containers(pod):
        if not pick(c, resource, lr).is_set:
            extra = "" if section == "limits" else " or limit"
            yield Violation(
                f"container {c.name!r} has no {resource} {_LABELS[section]} (none set{extra}, and no LimitRange "
                f"in namespace {pod.namespace!r} supplies a default)",
                c.path("resources", section, resource), container=c.name)

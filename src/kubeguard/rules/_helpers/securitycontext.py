"""Security-context values shared by several rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubeguard.model import PodSpecView, Violation

from .pss import PROC_MOUNT_DEFAULT


_OS_LABELS = ("kubernetes.io/os", "beta.kubernetes.io/os")


def is_windows(spec: dict[str, Any]) -> bool:
    """A pod for Windows nodes: ``os.name: windows``, a Windows HostProcess pod, or scheduling pinned to Windows.

    Linux-only settings (capabilities, seccomp, AppArmor, SELinux, readOnlyRootFilesystem,
    runAsUser/runAsGroup, hostUsers, sysctls) cannot apply to such pods: the API server rejects
    them when ``os.name`` is ``windows``, and Windows containers ignore them.  The Pod Security
    checks use the narrower :func:`kubeguard.rules._helpers.pss.windows_exempt`, as upstream does.
    """
    os_ = spec.get("os")
    if isinstance(os_, dict) and os_.get("name") == "windows":
        return True
    sc = spec.get("securityContext")
    wo = sc.get("windowsOptions") if isinstance(sc, dict) else None
    if isinstance(wo, dict) and wo.get("hostProcess") is True:
        return True
    selector = spec.get("nodeSelector")
    if isinstance(selector, dict) and any(selector.get(k) == "windows" for k in _OS_LABELS):
        return True
    return _affinity_requires_windows(spec.get("affinity"))


def _affinity_requires_windows(affinity: Any) -> bool:
    """Every required node selector term admits only ``kubernetes.io/os`` ``windows``."""
    na = affinity.get("nodeAffinity") if isinstance(affinity, dict) else None
    req = na.get("requiredDuringSchedulingIgnoredDuringExecution") if isinstance(na, dict) else None
    terms = req.get("nodeSelectorTerms") if isinstance(req, dict) else None
    if not isinstance(terms, list) or not terms:
        return False
    for term in terms:
        exprs = term.get("matchExpressions") if isinstance(term, dict) else None
        if not isinstance(exprs, list) or not any(
                isinstance(e, dict) and e.get("key") in _OS_LABELS and e.get("operator") == "In"
                and e.get("values") == ["windows"] for e in exprs):
            return False
    return True


def is_zero(value: Any) -> bool:
    """An integer 0 (``false`` in YAML is not a UID)."""
    return value == 0 and value is not False


def low_ids(pod: PodSpecView, field: str, what: str, minimum: int) -> Iterator[Violation]:
    """Containers whose effective ``field`` (runAsUser / runAsGroup) is unset or in ``1 .. minimum-1``.

    0 is left to the root rules; pods in a user namespace (``hostUsers: false``) and Windows
    pods (which have no numeric IDs) are skipped.
    """
    if pod.spec.get("hostUsers") is False or is_windows(pod.spec):
        return
    for c in pod.all_containers():
        value, path = c.effective(field)
        if value is None:
            yield Violation(f"container {c.name!r} sets no {field}: the image's {what} applies",
                            c.path("securityContext", field), container=c.name)
        elif isinstance(value, int) and not isinstance(value, bool) and 0 < value < minimum:
            yield Violation(f"container {c.name!r} runs with {what} {value}, below {minimum}", path, container=c.name)


def unmasked_proc_mounts(pod: PodSpecView) -> Iterator[Violation]:
    """Containers whose ``securityContext.procMount`` is set to anything but ``Default``."""
    for c in pod.all_containers():
        v = c.security_context.get("procMount")
        if v is not None and v != PROC_MOUNT_DEFAULT:
            yield Violation(f"container {c.name!r} sets securityContext.procMount to {v!r}",
                            c.path("securityContext", "procMount"), container=c.name)


def shown(value: Any) -> str:
    """A manifest value as YAML spells it in messages: ``false``, ``null``, ``'Unconfined'``."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return repr(value)


def disallowed_profile(sc: dict[str, Any], field: str, allowed: frozenset[str]) -> str | None:
    """What is wrong with ``sc[field]`` (seccompProfile, appArmorProfile) when it is set; ``None`` when fine."""
    profile = sc.get(field)
    if not isinstance(profile, dict):
        return None
    t = profile.get("type")
    if isinstance(t, str) and t in allowed:
        return None
    if t is None:
        return f"sets securityContext.{field} without a type"
    return f"sets securityContext.{field}.type to {t!r}"


def disallowed_profiles(pod: PodSpecView, field: str, allowed: frozenset[str]) -> Iterator[Violation]:
    """The pod's and every container's ``securityContext.<field>`` set to a type outside ``allowed``."""
    v = disallowed_profile(pod.security_context, field, allowed)
    if v is not None:
        yield Violation(f"pod {v}", pod.path("securityContext", field, "type"))
    for c in pod.all_containers():
        v = disallowed_profile(c.security_context, field, allowed)
        if v is not None:
            yield Violation(f"container {c.name!r} {v}", c.path("securityContext", field, "type"), container=c.name)


def containers_not_set_to(pod: PodSpecView, field: str, wanted: bool) -> Iterator[Violation]:
    """Containers whose ``securityContext.<field>`` is not ``wanted`` (unset counts: the default is the other value)."""
    for c in pod.all_containers():
        v = c.security_context.get(field)
        if v is wanted:
            continue
        msg = (f"container {c.name!r} sets securityContext.{field} to {shown(v)}" if v is not None
               else f"container {c.name!r} does not set securityContext.{field} to {shown(wanted)}")
        yield Violation(msg, c.path("securityContext", field), container=c.name)


def container_ports(container: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(index, port)`` of each entry of the container's ``ports``, indexes as in the manifest."""
    ports = container.raw.get("ports")
    if isinstance(ports, list):
        for j, p in enumerate(ports):
            if isinstance(p, dict):
                yield j, p

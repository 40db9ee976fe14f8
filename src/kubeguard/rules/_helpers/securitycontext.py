"""Security-context values shared by several rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubeguard.model import PodSpecView, Violation

from .pss import PROC_MOUNT_DEFAULT


def is_zero(value: Any) -> bool:
    """An integer 0 (``false`` in YAML is not a UID)."""
    return value == 0 and value is not False


def low_ids(pod: PodSpecView, field: str, what: str, minimum: int) -> Iterator[Violation]:
    """Containers whose effective ``field`` (runAsUser / runAsGroup) is unset or in ``1 .. minimum-1``.

    0 is left to the root rules; pods in a user namespace (``hostUsers: false``) are skipped.
    """
    if pod.spec.get("hostUsers") is False:
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


def container_ports(container: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(index, port)`` of each entry of the container's ``ports``, indexes as in the manifest."""
    ports = container.raw.get("ports")
    if isinstance(ports, list):
        for j, p in enumerate(ports):
            if isinstance(p, dict):
                yield j, p

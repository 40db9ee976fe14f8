"""hostPath volumes: normalised paths and how they relate to sensitive host locations."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1024)
def normalize(path: str) -> str:
    """``//var/lib/../log/`` -> ``/var/log``: the directory the kubelet will actually mount.

    Purely lexical: host symlinks (``/var/run`` -> ``/run`` on most distributions) are not
    known, so lists of host paths name both spellings.
    """
    p = posixpath.normpath("/" + path.strip().lstrip("/"))
    return "/" if p in ("", "//") else p


def is_within(path: str, root: str) -> bool:
    """Whether normalised ``path`` is ``root`` or lies below it."""
    return path == root or root == "/" or path.startswith(root + "/")


def exposes(path: str, target: str) -> bool:
    """Whether mounting ``path`` gives access to ``target``: it is the target, lies below it or above it.

    ``/`` as a target means the host root itself, not everything below it.
    """
    return is_within(target, path) or (target != "/" and is_within(path, target))


def first_exposed(path: str, targets: Iterable[str]) -> str | None:
    for t in targets:
        if exposes(path, normalize(t)):
            return t
    return None


def host_path_volumes(pod: Any) -> Iterator[tuple[int, dict[str, Any], str]]:
    """``(volume index, volume, normalised host path)`` for every hostPath volume of the pod."""
    raw = pod.spec.get("volumes")
    if not isinstance(raw, list):
        return
    for i, v in enumerate(raw):
        if not isinstance(v, dict):
            continue
        hp = v.get("hostPath")
        if isinstance(hp, dict) and isinstance(hp.get("path"), str):
            yield i, v, normalize(hp["path"])

"""Linux capability lists of a container, as written and as the runtime reads them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def entries(container: Any, which: str) -> Iterator[tuple[int, str]]:
    """``(index, name)`` of each string in ``securityContext.capabilities.<which>`` (``add`` or ``drop``)."""
    items = container.capabilities.get(which)
    if isinstance(items, list):
        for i, name in enumerate(items):
            if isinstance(name, str):
                yield i, name


def normalize(name: str) -> str:
    """``cap_sys_admin`` / ``CAP_SYS_ADMIN`` / ``sys_admin`` -> ``SYS_ADMIN``: how container runtimes read them.

    Pod Security admission compares names exactly; only the non-PSS rules normalise.
    """
    n = name.strip().upper()
    return n[4:] if n.startswith("CAP_") else n


def drops(container: Any, *names: str) -> bool:
    """Whether ``drop`` removes any of ``names`` (or ALL), compared the way runtimes do."""
    items = container.capabilities.get("drop")
    if not isinstance(items, list) or not items:
        return False
    if "ALL" in items or any(n in items for n in names):  # the usual spelling, without normalising
        return True
    for name in items:
        if isinstance(name, str):
            n = normalize(name)
            if n == "ALL" or n in names:
                return True
    return False

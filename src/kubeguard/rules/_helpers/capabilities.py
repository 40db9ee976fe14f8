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


def kept(container: Any, name: str) -> tuple[bool, int | None]:
    """Whether the runtime leaves capability ``name`` to the container, assuming its default set has it.

    ``(kept, index in add)``.  containerd and CRI-O apply ``add: [ALL]``, then ``drop: [ALL]``,
    then the other ``add`` entries, then the other ``drop`` entries, so ``drop: [ALL]`` with
    ``add: [NET_RAW]`` keeps NET_RAW and ``add: [NET_RAW]`` with ``drop: [NET_RAW]`` does not.
    The index is that of the ``add`` entry that grants it back, if one does.
    """
    drop = {normalize(n) for _, n in entries(container, "drop")}
    added = next((i for i, n in entries(container, "add") if normalize(n) == name), None)
    has = "ALL" not in drop or added is not None
    return has and name not in drop, added

"""Allow-list pruning shared by the three cloud readers.

A spec says which keys of a provider document are kept: ``True`` keeps the
value as it is, a dict descends into a mapping, a one-item list applies its spec
to every element of a list, ``"*"`` in a dict spec stands for any key (maps such
as AKS ``addonProfiles``), and :data:`PRESENT` keeps only the fact that a
sensitive value was there.  Keys match case-insensitively and come out in the
spec's spelling, which turns AKS REST names (``enableRBAC``) into the Azure CLI
names (``enableRbac``).  Anything not named is dropped, so certificates, keys,
passwords and user data never reach facts, snapshots or reports.
"""

from __future__ import annotations

from typing import Any

PRESENT = "<present; value not kept>"
Spec = Any


def prune(value: Any, spec: Spec) -> Any:
    if spec is True:
        return value
    if spec == PRESENT:
        return PRESENT if value not in (None, "", [], {}) else value
    if isinstance(spec, list):
        if not isinstance(value, list):
            return value if value is None else None
        return [prune(v, spec[0]) for v in value]
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return value if value is None else None
        lowered = {k.lower(): (k, s) for k, s in spec.items() if k != "*"}
        wildcard = spec.get("*")
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                continue
            hit = lowered.get(key.lower())
            if hit is not None:
                out[hit[0]] = prune(item, hit[1])
            elif wildcard is not None:
                out[key] = prune(item, wildcard)
        return out
    raise TypeError(f"bad prune spec {spec!r}")


def dig(doc: Any, *path: str | int) -> Any:
    """``doc[p0][p1]...`` or None when any step is missing or of the wrong type."""
    cur = doc
    for p in path:
        if isinstance(p, int):
            if not isinstance(cur, list) or p >= len(cur):
                return None
            cur = cur[p]
        else:
            if not isinstance(cur, dict):
                return None
            cur = cur.get(p)
    return cur

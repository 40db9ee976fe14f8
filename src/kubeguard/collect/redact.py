"""Strip Secret values before anything else sees them.

Runs at the moment of reading, for files, snapshots and live clusters alike.
What survives: the Secret's metadata (minus the last-applied annotation, which
repeats the values), its type and the names of its keys.  Each value becomes a
fixed marker, so no report, snapshot, log or error message can carry it.
"""

from __future__ import annotations

from typing import Any

REDACTED = "<redacted by kubeguard>"
_SENSITIVE_ANNOTATIONS = ("kubectl.kubernetes.io/last-applied-configuration",)


def redact_object(raw: dict[str, Any]) -> dict[str, Any]:
    """Return ``raw`` with Secret values removed (a new dict when anything changed)."""
    kind = raw.get("kind")
    if kind == "Secret":
        return _redact_secret(raw)
    if isinstance(kind, str) and kind.endswith("List") and isinstance(raw.get("items"), list):
        items = raw["items"]
        new_items = [redact_object(i) if isinstance(i, dict) else i for i in items]
        if any(a is not b for a, b in zip(items, new_items)):
            return {**raw, "items": new_items}
    return raw


def _redact_secret(raw: dict[str, Any]) -> dict[str, Any]:
    out = dict(raw)
    for field in ("data", "stringData"):
        values = raw.get(field)
        if isinstance(values, dict):
            out[field] = {str(k): REDACTED for k in values}
        elif values is not None:
            out[field] = REDACTED
    meta = raw.get("metadata")
    if isinstance(meta, dict):
        ann = meta.get("annotations")
        if isinstance(ann, dict) and any(a in ann for a in _SENSITIVE_ANNOTATIONS):
            meta = {**meta, "annotations": {k: v for k, v in ann.items() if k not in _SENSITIVE_ANNOTATIONS}}
            out["metadata"] = meta
    return out

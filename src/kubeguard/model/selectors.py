"""Label selectors with upstream semantics (metav1.LabelSelector and set-based selectors)."""

from __future__ import annotations

from typing import Any, Mapping


def _is_mapping(x: Any) -> bool:
    # parsed objects are plain dicts: skip the slow ABC check for them (selectors run per pod pair)
    return type(x) is dict or isinstance(x, Mapping)


def selector_is_valid(sel: Any) -> bool:
    if sel is None:
        return True
    if not isinstance(sel, dict):
        return False
    ml = sel.get("matchLabels")
    if ml is not None and not isinstance(ml, dict):
        return False
    me = sel.get("matchExpressions")
    if me is not None:
        if not isinstance(me, list):
            return False
        for e in me:
            if not isinstance(e, dict) or e.get("operator") not in ("In", "NotIn", "Exists", "DoesNotExist"):
                return False
            vals = e.get("values") or []
            if e["operator"] in ("In", "NotIn") and not vals:
                return False
            if e["operator"] in ("Exists", "DoesNotExist") and vals:
                return False
    return True


def selector_matches(sel: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """True when ``labels`` satisfy a LabelSelector.

    ``None`` (absent) selects nothing here: callers decide what an absent selector
    means in their API (for NetworkPolicy peers it means "not this dimension").  An
    empty selector ``{}`` selects everything.  An invalid selector selects nothing.
    """
    if sel is None or not _is_mapping(sel):
        return False
    ml = sel.get("matchLabels") or {}
    if not _is_mapping(ml):
        return False
    for k, v in ml.items():
        if labels.get(k) != (v if isinstance(v, str) else str(v)):
            return False
    me = sel.get("matchExpressions") or []
    if not isinstance(me, list):
        return False
    for e in me:
        if not _is_mapping(e):
            return False
        key = e.get("key")
        op = e.get("operator")
        vals = [str(x) for x in (e.get("values") or [])]
        present = key in labels
        if op == "In":
            if not vals or not present or labels[key] not in vals:
                return False
        elif op == "NotIn":
            if not vals:
                return False
            if present and labels[key] in vals:
                return False
        elif op == "Exists":
            if not present:
                return False
        elif op == "DoesNotExist":
            if present:
                return False
        else:
            return False
    return True


def map_selector_matches(sel: Mapping[str, str] | None, labels: Mapping[str, str]) -> bool:
    """Equality-only selector (Service.spec.selector, ReplicationController): empty/absent selects nothing."""
    if not sel or not _is_mapping(sel):
        return False
    return all(labels.get(k) == str(v) for k, v in sel.items())

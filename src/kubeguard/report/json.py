"""The versioned ScanResult JSON document."""

from __future__ import annotations

import orjson

from ..model.result import ScanResult


def render(result: ScanResult, **_: object) -> bytes:
    return orjson.dumps(result.to_dict(), option=orjson.OPT_INDENT_2) + b"\n"

"""Rendering a ScanResult in each format; reporters never re-evaluate rules."""

from __future__ import annotations

from typing import Callable

from ..model.result import ScanResult

# format name -> "module:function"; each function is render(result, **options) -> bytes
FORMATS: dict[str, str] = {
    "table": "kubeguard.report.table:render",
    "json": "kubeguard.report.json:render",
    "sarif": "kubeguard.report.sarif:render",
    "junit": "kubeguard.report.junit:render",
}


def renderer(fmt: str) -> Callable[..., bytes]:
    import importlib

    target = FORMATS.get(fmt)
    if target is None:
        raise KeyError(f"unknown format {fmt!r}; expected one of {', '.join(sorted(FORMATS))}")
    mod, _, fn = target.partition(":")
    return getattr(importlib.import_module(mod), fn)


def render(result: ScanResult, fmt: str, **options) -> bytes:
    return renderer(fmt)(result, **options)

"""Scan settings: passed explicitly to the engine, never global."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Settings:
    include: tuple[str, ...] = ()  # rule selectors; empty = all
    exclude: tuple[str, ...] = ()
    params: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id/slug -> overrides
    include_passed: bool = False  # emit PASS findings per object (large)
    today: date | None = None  # for exemption expiry; None = the real date
    frameworks: tuple[str, ...] = ()
    include_preview: bool = True
    peer_annotations: bool = False  # honour other tools' skip annotations for their equivalent rules

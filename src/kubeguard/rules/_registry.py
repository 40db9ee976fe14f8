"""Rule discovery, validation and selection.

Every module under ``kubeguard/rules/<domain>/`` (not starting with ``_``) is a
rule: it defines ``META`` (a :class:`RuleMeta`) and ``evaluate``; cluster rules
may define ``applies(cluster, ctx) -> bool``.  Loading is explicit (no import
side effects register anything) and cached per process; the registry itself is
immutable.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any, Callable, Iterable

from ._meta import RuleMeta

REQUIRED_SECTIONS = ("What it checks", "Failing example", "Passing example")
_SECTION = re.compile(r"^## +(.+?)\s*$", re.M)


class RuleLoadError(Exception):
    pass


@dataclass(frozen=True)
class Rule:
    meta: RuleMeta
    evaluate: Callable[..., Any]
    module: str
    summary: str
    sections: dict[str, str] = field(default_factory=dict)
    applies: Callable[..., bool] | None = None

    @property
    def code(self) -> str:
        return self.meta.code

    @property
    def slug(self) -> str:
        return self.meta.slug

    @property
    def domain(self) -> str:
        return self.module.split(".")[-2]


def parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """Split a rule docstring into its summary line and ``## Section`` bodies."""
    doc = (doc or "").strip()
    parts = _SECTION.split(doc)
    summary = parts[0].strip().splitlines()[0].strip() if parts[0].strip() else ""
    sections = {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    return summary, sections


def load_module(mod: ModuleType) -> Rule:
    name = mod.__name__
    meta = getattr(mod, "META", None)
    if not isinstance(meta, RuleMeta):
        raise RuleLoadError(f"{name}: META is missing or not a RuleMeta")
    evaluate = getattr(mod, "evaluate", None)
    if not callable(evaluate):
        raise RuleLoadError(f"{name}: evaluate() is missing")
    stem = name.rsplit(".", 1)[1]
    if meta.slug != stem.replace("_", "-"):
        raise RuleLoadError(f"{name}: slug {meta.slug!r} must equal the file stem {stem!r} with hyphens")
    summary, sections = parse_docstring(mod.__doc__ or "")
    if not summary:
        raise RuleLoadError(f"{name}: docstring has no summary line")
    missing = [s for s in REQUIRED_SECTIONS if s not in sections]
    if missing:
        raise RuleLoadError(f"{name}: docstring lacks section(s): {', '.join(missing)}")
    applies = getattr(mod, "applies", None)
    return Rule(meta, evaluate, name, summary, sections, applies if callable(applies) else None)


class Registry:
    """All rules, by code, slug and alias."""

    def __init__(self, rules: Iterable[Rule]):
        by_id: dict[str, Rule] = {}
        ordered: list[Rule] = []
        for r in sorted(rules, key=lambda r: r.code):
            for key in (r.code, r.slug, *r.meta.aliases):
                if key in by_id:
                    raise RuleLoadError(f"duplicate rule id {key!r} in {r.module} and {by_id[key].module}")
                by_id[key] = r
            ordered.append(r)
        self._by_id = by_id
        self.rules: tuple[Rule, ...] = tuple(ordered)

    def get(self, key: str) -> Rule | None:
        return self._by_id.get(key) or self._by_id.get(key.upper())

    def __iter__(self):
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def select(self, include: Iterable[str] = (), exclude: Iterable[str] = (),
               include_removed: bool = False) -> list[Rule]:
        """Rules matching ``include`` (ids, slugs, aliases, ``domain/*`` or tag ``tag:x``), minus ``exclude``."""
        inc, exc = list(include), list(exclude)
        unknown = [k for k in inc + exc if not self._matches_any(k)]
        if unknown:
            raise KeyError(f"unknown rule selector(s): {', '.join(unknown)}")
        out = []
        for r in self.rules:
            if r.meta.lifecycle.stage == "removed" and not include_removed:
                continue
            if inc and not any(self._match(r, k) for k in inc):
                continue
            if any(self._match(r, k) for k in exc):
                continue
            out.append(r)
        return out

    def _matches_any(self, key: str) -> bool:
        return any(self._match(r, key) for r in self.rules)

    @staticmethod
    def _match(r: Rule, key: str) -> bool:
        if key in (r.code, r.slug) or key in r.meta.aliases or key.upper() == r.code:
            return True
        if key.endswith("/*"):
            return r.domain == key[:-2] or r.meta.category == key[:-2]
        if key.startswith("tag:"):
            return key[4:] in r.meta.tags
        return False


def _walk() -> Iterable[ModuleType]:
    import kubeguard.rules as pkg

    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        leaf = info.name.rsplit(".", 1)[1]
        if leaf.startswith("_") or info.ispkg:
            continue
        if any(part.startswith("_") for part in info.name.split(".")[2:-1]):
            continue  # helpers
        yield importlib.import_module(info.name)


@cache
def default_registry() -> Registry:
    """Load every built-in rule once per process."""
    return Registry(load_module(m) for m in _walk())

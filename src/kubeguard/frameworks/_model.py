"""One generic model for every framework (architecture.md §11).

A catalog is ``frameworks/<id>-<version>.yaml``::

    id: cis-kubernetes              # stable id users pass to --framework
    version: "1.12"
    title: CIS Kubernetes Benchmark
    kind: benchmark                 # benchmark | regulation | guidance | taxonomy
    source: https://www.cisecurity.org/benchmark/kubernetes
    requirements:
      - id: "5.2.2"
        title: Minimize the admission of privileged containers   # our own short wording
        section: "5.2 Pod Security Standards"
        level: L1                   # framework's own level vocabulary (L1/L2, required, ...)
        rules: [WL001]              # rule codes; empty -> manual unless 'needs' says why
        either: [[WL023, ND014]]    # optional: groups of those codes where one passing rule is enough
        needs: null                 # node | cloud | cluster | manual: what decides it when no rule can
        notes: ...                  # optional, our words

Catalogs contain no logic.  A requirement's status is derived from the rule
results (FAIL if any mapped rule fails, UNKNOWN if inputs were missing, PASS if
all pass, NOT_APPLICABLE if none applied, MANUAL without rules).  An ``either``
group states a benchmark's "or" (5.6.2: pods set a seccomp profile, or every
kubelet applies RuntimeDefault): one passing member decides the group.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CATALOG_DIR = Path(__file__).resolve().parent


class Requirement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    title: str = Field(min_length=3, max_length=200)
    section: str | None = None
    level: str | None = None
    rules: tuple[str, ...] = ()
    either: tuple[tuple[str, ...], ...] = ()  # groups of codes from rules: one passing member satisfies the group
    needs: Literal["node", "cloud", "cluster", "manual"] | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _either_within_rules(self) -> "Requirement":
        for group in self.either:
            if len(group) < 2 or any(c not in self.rules for c in group):
                raise ValueError(f"requirement {self.id}: each 'either' group names two or more of its rules")
        return self

    @property
    def automated(self) -> bool:
        return bool(self.rules)


class Framework(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    version: str
    title: str
    kind: Literal["benchmark", "regulation", "guidance", "taxonomy"]
    source: str = Field(pattern=r"^https?://")
    requirements: tuple[Requirement, ...]

    @field_validator("requirements")
    @classmethod
    def _unique(cls, v: tuple[Requirement, ...]) -> tuple[Requirement, ...]:
        ids = [r.id for r in v]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate requirement ids: {', '.join(sorted(dup))}")
        return v

    @property
    def key(self) -> str:
        return f"{self.id}-{self.version}"

    def coverage(self) -> tuple[int, int]:
        """(automated requirements, all requirements)."""
        return sum(1 for r in self.requirements if r.automated), len(self.requirements)


class CatalogError(ValueError):
    """A catalog file that does not load or validate; one line naming the file."""


def load_catalog(path: Path) -> Framework:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        return Framework.model_validate(data)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise CatalogError(f"{path.name}{where}: YAML error: {getattr(exc, 'problem', None) or exc}") from None
    except ValidationError as exc:
        e = exc.errors()[0]
        loc = ".".join(str(x) for x in e["loc"])
        raise CatalogError(f"{path.name}: {loc or 'catalog'}: {e['msg']}") from None


@cache
def all_frameworks() -> dict[str, Framework]:
    """Every bundled catalog by ``id-version`` (and by bare ``id`` for the newest version)."""
    out: dict[str, Framework] = {}
    for p in sorted(CATALOG_DIR.glob("*.yaml")):
        fw = load_catalog(p)
        out[fw.key] = fw
        prev = out.get(fw.id)
        if prev is None or _vkey(fw.version) > _vkey(prev.version):
            out[fw.id] = fw
    return out


def _vkey(v: str) -> tuple:
    return tuple(int(x) if x.isdigit() else x for x in v.replace("-", ".").split("."))

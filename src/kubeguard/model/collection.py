"""What could not be read: input problems and resources that were not collected.

A failed or forbidden collection must never look like a pass: the engine turns
every entry of :attr:`CollectionReport.unavailable` into UNKNOWN for the rules
that need that resource.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class InputIssue:
    """One problem with the input, shown as one line: ``file:line: message``."""

    message: str
    file: str | None = None
    line: int | None = None
    cluster: str | None = None
    resource: str | None = None  # e.g. "secrets" or "apps/v1 Deployment"
    level: str = "error"  # error | warning
    skipped: str | None = None  # what was not evaluated because of it

    def one_line(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        elif self.cluster:
            where = f"cluster {self.cluster}" + (f", {self.resource}" if self.resource else "") + ": "
        return f"{where}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(slots=True)
class CollectionReport:
    issues: list[InputIssue] = field(default_factory=list)
    # cluster -> kind (or "*" for the whole cluster, "cloud" for cloud settings) -> reason
    unavailable: dict[str, dict[str, str]] = field(default_factory=dict)
    files_read: int = 0
    documents: int = 0

    def add(self, issue: InputIssue) -> None:
        self.issues.append(issue)

    def mark_unavailable(self, cluster: str, kind: str, reason: str) -> None:
        self.unavailable.setdefault(cluster, {})[kind] = reason

    def merge(self, other: "CollectionReport") -> None:
        self.issues.extend(other.issues)
        for c, kinds in other.unavailable.items():
            self.unavailable.setdefault(c, {}).update(kinds)
        self.files_read += other.files_read
        self.documents += other.documents

    @property
    def errors(self) -> list[InputIssue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def complete(self) -> bool:
        return not self.errors and not any(self.unavailable.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "filesRead": self.files_read,
            "documents": self.documents,
            "issues": [i.to_dict() for i in self.issues],
            "unavailable": self.unavailable,
        }

    @staticmethod
    def from_dict(d: dict[str, Any]) -> "CollectionReport":
        return CollectionReport(
            issues=[InputIssue(**i) for i in d.get("issues", [])],
            unavailable={c: dict(k) for c, k in (d.get("unavailable") or {}).items()},
            files_read=int(d.get("filesRead", 0)),
            documents=int(d.get("documents", 0)),
        )

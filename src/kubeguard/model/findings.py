"""Findings, statuses and severities: what the engine produces and reports read."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .objects import K8sObject, ObjectRef, Path


class Status(str, Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    EXEMPT = "EXEMPT"
    UNKNOWN = "UNKNOWN"
    ERROR = "ERROR"
    MANUAL = "MANUAL"

    def __str__(self) -> str:
        return self.value


class Severity(str, Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __str__(self) -> str:
        return self.value

    @staticmethod
    def parse(text: str) -> "Severity":
        try:
            return Severity(text.strip().lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r}; expected one of {', '.join(s.value for s in Severity)}") from None


_RANK = {Severity.CRITICAL: 4, Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1, Severity.INFO: 0}


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule yields: one failing field of one object.

    ``obj`` is needed only for cluster-level rules (which object is at fault);
    workload and object rules get it filled in by the engine.  ``related`` lists
    other objects in the chain of evidence (a binding, a role, a policy...).
    """

    message: str
    path: Path = ()
    container: str | None = None
    obj: K8sObject | None = None
    related: tuple[ObjectRef, ...] = ()
    evidence: dict[str, Any] | None = None


class NotEvaluated(Exception):
    """Raised by a rule when the input it needs is absent: the engine records UNKNOWN with this reason.

    Use it for facts a collector could not provide (a cloud field missing from the
    exported JSON, a node file that needs node access), never for a pass.  A rule
    that already yielded failures for the same target keeps its FAIL.  For
    cluster-level rules the engine keeps those failures in ``partial`` (one node
    fails, another's configuration was not read: FAIL, and the reason names the
    node not evaluated).
    """

    partial: "tuple[Violation, ...]" = ()  # set by the engine on the instance


@dataclass(frozen=True, slots=True)
class Suppression:
    source: str  # ignore-file | annotation
    reason: str
    owner: str | None = None
    expires: str | None = None
    entry: str | None = None  # "path:line" of the ignore entry or the annotation key


@dataclass(slots=True)
class Finding:
    """One rule result on one object (or container), as stored in a ScanResult."""

    rule: str  # code, e.g. WL001
    slug: str
    title: str
    severity: str
    status: str
    cluster: str
    namespace: str | None
    kind: str
    api_version: str
    name: str
    message: str
    container: str | None = None
    path: str | None = None
    file: str | None = None
    line: int | None = None
    related: list[str] = field(default_factory=list)
    evidence: dict[str, Any] | None = None
    suppression: dict[str, Any] | None = None

    @property
    def resource(self) -> str:
        """``Kind/namespace/name``; kinds of non-Kubernetes API groups are shown as ``Kind.group``."""
        ns = f"{self.namespace}/" if self.namespace else ""
        group = self.api_version.rpartition("/")[0]
        kind = f"{self.kind}.{group}" if "." in group and not group.endswith(".k8s.io") else self.kind
        return f"{kind}/{ns}{self.name}"

    def to_dict(self) -> dict[str, Any]:
        d = {
            "rule": self.rule, "slug": self.slug, "title": self.title, "severity": self.severity,
            "status": self.status, "cluster": self.cluster, "namespace": self.namespace,
            "kind": self.kind, "apiVersion": self.api_version, "name": self.name,
            "container": self.container, "path": self.path, "file": self.file, "line": self.line,
            "message": self.message,
        }
        if self.related:
            d["related"] = self.related
        if self.evidence:
            d["evidence"] = self.evidence
        if self.suppression:
            d["suppression"] = self.suppression
        return d

    @staticmethod
    def from_dict(d: dict[str, Any]) -> "Finding":
        return Finding(
            rule=d["rule"], slug=d["slug"], title=d["title"], severity=d["severity"], status=d["status"],
            cluster=d["cluster"], namespace=d.get("namespace"), kind=d["kind"],
            api_version=d.get("apiVersion", ""), name=d["name"], message=d["message"],
            container=d.get("container"), path=d.get("path"), file=d.get("file"), line=d.get("line"),
            related=list(d.get("related") or []), evidence=d.get("evidence"), suppression=d.get("suppression"),
        )

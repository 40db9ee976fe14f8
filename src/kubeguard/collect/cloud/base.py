"""Data types shared by the cloud readers: one parsed document, and the documents of one cluster."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


class CloudError(Exception):
    """A cloud input that cannot be used: shown as one line, never a traceback."""


@contextmanager
def quiet_sdk(*loggers: str) -> Iterator[None]:
    """Keep an SDK's own warnings (multi-line credential reports) off stderr while it runs: the reader
    reports the failure itself, in one line."""
    saved = [(logging.getLogger(n), logging.getLogger(n).level) for n in loggers]
    for lg, _ in saved:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in saved:
            lg.setLevel(level)


@dataclass
class CloudDoc:
    """One recognised document: ``part`` says what it is (``cluster``, ``nodegroup``, ``diagnosticSettings``...)."""

    provider: str
    part: str
    data: Any
    file: str
    names: set[str | None] = field(default_factory=set)  # cluster names, ARNs, ids this document names
    account: str | None = None  # AWS account, to tie account-level documents to a cluster
    links: set[str | None] = field(default_factory=set)  # subnet / launch template ids it describes
    shared: bool = False  # valid for every cluster of its provider (e.g. describe-cluster-versions)

    @property
    def keys(self) -> set[str]:
        return {n.lower() for n in self.names if isinstance(n, str) and n}


@dataclass
class CloudGroup:
    """Every document about one cloud cluster."""

    provider: str
    name: str
    parts: dict[str, list[CloudDoc]] = field(default_factory=dict)

    def add(self, doc: CloudDoc) -> None:
        self.parts.setdefault(doc.part, []).append(doc)

    @property
    def cluster(self) -> dict[str, Any] | None:
        docs = self.parts.get("cluster")
        return docs[-1].data if docs else None

    @property
    def keys(self) -> set[str]:
        out: set[str] = {self.name.lower()}
        for d in self.parts.get("cluster", []):
            out |= d.keys
        return out

    @property
    def files(self) -> list[str]:
        return sorted({d.file for docs in self.parts.values() for d in docs})

    def base(self) -> dict[str, Any]:
        """Keys every provider's ``facts["cloud"]`` has."""
        files: dict[str, list[str]] = {}
        for part, docs in sorted(self.parts.items()):
            files[part] = sorted({d.file for d in docs})
        return {"provider": self.provider, "name": self.name, "cluster": self.cluster, "files": files}

"""Lazy, per-scan construction of graphs; each graph is built at most once per cluster.

Graph modules register a builder here (name -> function of a ClusterInventory);
rules ask ``ctx.graph("rbac")`` and never build graphs themselves.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from ..model.inventory import ClusterInventory

# name -> "module:function"; imported on first use so unused graphs cost nothing
BUILDERS: dict[str, str] = {
    "network": "kubeguard.graph.network:build",
    "rbac": "kubeguard.graph.rbac:build",
}


class GraphCache:
    __slots__ = ("_cluster", "_built", "_builders")

    def __init__(self, cluster: ClusterInventory, builders: dict[str, str] | None = None):
        self._cluster = cluster
        self._built: dict[str, Any] = {}
        self._builders = BUILDERS if builders is None else builders

    def get(self, name: str) -> Any:
        if name not in self._built:
            target = self._builders.get(name)
            if target is None:
                raise KeyError(f"no graph named {name!r}; known: {', '.join(sorted(self._builders)) or 'none'}")
            mod, _, fn = target.partition(":")
            builder: Callable[[ClusterInventory], Any] = getattr(importlib.import_module(mod), fn)
            self._built[name] = builder(self._cluster)
        return self._built[name]

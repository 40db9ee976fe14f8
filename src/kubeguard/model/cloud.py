"""Facts about a cluster as a whole: provider, version, nodes, CNI, admission, cloud settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROVIDERS = ("eks", "aks", "gke", "openshift", "k3s", "kind", "other")


@dataclass(slots=True)
class ClusterFacts:
    """What is known about one cluster besides its objects.

    ``facts`` is a JSON-able mapping filled by collectors: ``nodes``, ``cni``,
    ``admission``, ``cloud`` (the provider's cluster description), ``kubelet``...
    Collectors own its keys; rules read it through ``ctx.cluster.facts``.
    """

    name: str
    provider: str = "other"
    kubernetes_version: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    source: str = "manifests"  # manifests | snapshot | live | demo

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "provider": self.provider,
            "kubernetesVersion": self.kubernetes_version,
            "source": self.source,
            "facts": self.facts,
        }

    @staticmethod
    def from_dict(d: dict[str, Any]) -> "ClusterFacts":
        return ClusterFacts(
            name=str(d["name"]),
            provider=str(d.get("provider") or "other"),
            kubernetes_version=d.get("kubernetesVersion"),
            facts=dict(d.get("facts") or {}),
            source=str(d.get("source") or "snapshot"),
        )

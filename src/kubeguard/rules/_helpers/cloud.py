"""Reading ``facts["cloud"]`` in rules: provider field paths, absent-versus-false, evidence.

The shape is documented in ``kubeguard.collect.cloud``.  Every violation a cloud
rule yields names the provider's own field path (``cluster.resourcesVpcConfig.endpointPublicAccess``
for EKS, as ``aws eks describe-cluster`` prints it; AKS ``az aks show`` keys; GKE
``gcloud ... describe`` keys) and its value, in the message and in ``evidence``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Callable

import orjson

from kubeguard.model import NotEvaluated, Violation
from kubeguard.model.objects import render_path

from .imagesigning import verification

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()
PROVIDERS = ("eks", "aks", "gke")
_ROOT = {"eks": {"cluster": "cluster", "nodegroups": "nodegroup", "addons": "addon"}}


def show(value: Any) -> str:
    """A field value as the provider's JSON prints it (``absent`` when the field is not there)."""
    if value is MISSING:
        return "absent"
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = str(value)
    return text if len(text) <= 120 else text[:117] + "..."


class Cloud:
    """``facts["cloud"]`` of one cluster with helpers for paths, evidence and UNKNOWN."""

    def __init__(self, facts: dict[str, Any]):
        self.facts = facts
        self.provider: str = facts.get("provider", "")
        c = facts.get("cluster")
        self.cluster: dict[str, Any] = c if isinstance(c, dict) else {}
        self.described = isinstance(c, dict)

    # --- reading -------------------------------------------------------------------
    @staticmethod
    def at(doc: Any, path: Iterable[str | int]) -> Any:
        cur = doc
        for p in path:
            if isinstance(p, int):
                if not isinstance(cur, list) or p >= len(cur):
                    return MISSING
                cur = cur[p]
            elif isinstance(cur, dict) and p in cur:
                cur = cur[p]
            else:
                return MISSING
        return cur

    def get(self, *path: str | int) -> Any:
        """A field of the cluster description; MISSING when absent."""
        return self.at(self.cluster, path)

    def value(self, *path: str | int, default: Any = None) -> Any:
        """A field where absent and null mean the same (gcloud omits defaults, az prints null)."""
        v = self.get(*path)
        return default if v is MISSING or v is None else v

    def file(self, part: str = "cluster") -> str:
        files = (self.facts.get("files") or {}).get(part) or []
        return ", ".join(files) if files else f"no {part} file"

    def has(self, part: str) -> bool:
        return part in (self.facts.get("files") or {})

    # --- paths and evidence ------------------------------------------------------------
    def path(self, *path: str | int, root: str | None = "cluster") -> tuple[str | int, ...]:
        """The provider's field path: EKS documents keep their top-level key (``cluster.``, ``nodegroup.``)."""
        if self.provider == "eks" and root:
            return (root, *path)
        return tuple(path)

    def field(self, *path: str | int, root: str | None = "cluster") -> str:
        return render_path(self.path(*path, root=root))

    def fail(self, message: str, path: tuple[str | int, ...], value: Any, *, part: str = "cluster",
             root: str | None = "cluster", more: dict[str, Any] | None = None) -> Violation:
        """A cluster-level violation naming the provider field and its value."""
        full = self.path(*path, root=root)
        shown = render_path(full)
        raw = {shown: value}
        for k, v in (more or {}).items():
            raw.setdefault(k, v)
        fields = {k: None if v is MISSING else v for k, v in raw.items()}
        detail = ", ".join(f"{k} = {show(v)}" for k, v in raw.items())  # absent fields say so, as the main one
        return Violation(f"{message} ({detail})", full,
                         evidence={"provider": self.provider, "file": self.file(part), "fields": fields})

    def unknown(self, what: str, part: str = "cluster") -> NotEvaluated:
        """UNKNOWN: ``what`` (a field or a companion export) is not in the input."""
        where = self.file(part) if self.has(part) else f"the {self.provider} export (no {part} file given)"
        return NotEvaluated(f"{what} not in {where}")

    def require(self, *path: str | int) -> Any:
        """A cluster field that must be present to decide; raises UNKNOWN naming the field and file."""
        if not self.described:
            raise self.unknown("the cluster description")
        v = self.get(*path)
        if v is MISSING:
            raise self.unknown(self.field(*path))
        return v


def cloud_of(ctx) -> Cloud | None:
    facts = ctx.facts.get("cloud")
    return Cloud(facts) if isinstance(facts, dict) and facts.get("provider") in PROVIDERS else None


def applies_to(*providers: str) -> Callable[..., bool]:
    """``applies()`` for cloud rules: only clusters with cloud facts of these providers."""
    wanted = providers or PROVIDERS

    def applies(cluster, ctx) -> bool:
        c = cloud_of(ctx)
        return c is not None and c.provider in wanted

    return applies


def by_provider(**handlers: Callable[[Cloud, Any], Iterable[Violation]]) -> Callable[..., Iterator[Violation]]:
    """``evaluate()`` that hands the cluster's cloud facts to the handler of its provider."""

    def evaluate(cluster, ctx) -> Iterator[Violation]:
        c = cloud_of(ctx)
        if c is None or c.provider not in handlers:
            return
        yield from handlers[c.provider](c, ctx.params)

    return evaluate


def node_pools(c: Cloud) -> list[tuple[str, dict[str, Any], tuple[str | int, ...], str | None, str]]:
    """(pool name, pool, path prefix, root, part) for every node pool: EKS nodegroups, AKS agent pools, GKE node pools."""
    if c.provider == "eks":
        return [(str(ng.get("nodegroupName")), ng, (), "nodegroup", "nodegroup")
                for ng in c.facts.get("nodegroups") or []]
    key = "agentPoolProfiles" if c.provider == "aks" else "nodePools"
    pools = c.cluster.get(key) or []
    return [(str(p.get("name")), p, (key, i), None, "cluster") for i, p in enumerate(pools) if isinstance(p, dict)]


def eks_auto_mode(c: Cloud) -> bool:
    """EKS Auto Mode (``computeConfig.enabled``): AWS runs and upgrades the nodes, outside any node group."""
    return c.value("computeConfig", "enabled") is True


def eks_nodegroups(c: Cloud) -> list[dict[str, Any]]:
    """The EKS cluster's managed node groups, none in Auto Mode; UNKNOWN when they were not exported."""
    if eks_auto_mode(c):
        return []
    if not c.has("nodegroup"):
        raise c.unknown("node groups (aws eks describe-nodegroup)", "nodegroup")
    return c.facts.get("nodegroups") or []


def aks_linux_pools(c: Cloud) -> list[tuple[int, dict[str, Any]]]:
    """``(index, pool)`` of the AKS cluster's Linux agent pools; UNKNOWN without ``agentPoolProfiles``."""
    return [(i, p) for i, p in enumerate(c.require("agentPoolProfiles"))
            if isinstance(p, dict) and p.get("osType") != "Windows"]


def gke_autopilot(c: Cloud) -> bool:
    """GKE Autopilot: Google runs the nodes with a fixed hardened configuration."""
    return c.value("autopilot", "enabled") is True


def gke_standard_node_pools(c: Cloud) -> list[dict[str, Any]]:
    """The node pools of a described GKE cluster, none on Autopilot; UNKNOWN without the description."""
    c.require("name")
    return [] if gke_autopilot(c) else c.value("nodePools", default=[])


def public_endpoint(c: Cloud) -> tuple[bool | None, tuple[str | int, ...], Any, dict[str, Any]]:
    """Whether the API server has a public endpoint: (public?, deciding path, value, other fields).

    EKS ``resourcesVpcConfig.endpointPublicAccess``; AKS not ``enablePrivateCluster`` (or a
    public FQDN on a private cluster); GKE ``controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint``
    (falling back to the deprecated ``privateClusterConfig.enablePrivateEndpoint``) or a DNS
    endpoint that allows external traffic.  ``None`` when the description lacks the field.
    """
    if not c.described:
        return None, (), MISSING, {}
    if c.provider == "eks":
        path = ("resourcesVpcConfig", "endpointPublicAccess")
        v = c.get(*path)
        if v is MISSING:
            return None, path, v, {}
        return v is True, path, v, {c.field("resourcesVpcConfig", "endpointPrivateAccess"):
                                    c.get("resourcesVpcConfig", "endpointPrivateAccess")}
    if c.provider == "aks":
        path = ("apiServerAccessProfile", "enablePrivateCluster")
        private = c.value(*path)
        if private is not True:
            return True, path, None if c.get(*path) is MISSING else c.get(*path), {}
        fqdn = ("apiServerAccessProfile", "enablePrivateClusterPublicFqdn")
        if c.value(*fqdn) is True:
            return True, fqdn, True, {c.field(*path): True}
        return False, path, True, {}
    ip = ("controlPlaneEndpointsConfig", "ipEndpointsConfig")
    dns = ("controlPlaneEndpointsConfig", "dnsEndpointConfig", "allowExternalTraffic")
    if c.value(*dns) is True:
        return True, dns, True, {}
    if c.get(*ip, "enabled") is False:
        return False, (*ip, "enabled"), False, {}
    new = c.get(*ip, "enablePublicEndpoint")
    if new is not MISSING:
        return new is True, (*ip, "enablePublicEndpoint"), new, {}
    old = ("privateClusterConfig", "enablePrivateEndpoint")  # deprecated; absent means false
    if not c.described:
        return None, old, MISSING, {}
    return c.value(*old) is not True, old, c.get(*old), {}


RUNTIME_AGENTS = ("falco", "tetragon", "sysdig", "aws-guardduty-agent", "guardduty", "microsoft-defender",
                  "twistlock", "aqua-enforcer", "neuvector-enforcer", "crowdstrike", "falcon-sensor")


def image_signature_policies(cluster) -> list[str]:
    """Objects that configure image signature verification in the cluster, enforcing or not (see imagesigning)."""
    return sorted(str(o) for o in verification(cluster).found)


def runtime_agents(cluster) -> list[str]:
    """DaemonSets of known runtime threat-detection agents (by name or image)."""
    out = []
    for o in cluster.of_kind("DaemonSet"):
        images = " ".join(str(c.get("image", "")) for c in (o.get("spec", "template", "spec", "containers") or [])
                          if isinstance(c, dict))
        text = f"{o.name} {images}".lower()
        if any(a in text for a in RUNTIME_AGENTS):
            out.append(str(o))
    return sorted(out)


def full_inventory(cluster) -> bool:
    """True when the objects are a whole cluster (live or snapshot), so an absence is evidence."""
    return cluster.facts.source in ("live", "snapshot")

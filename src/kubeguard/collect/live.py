"""Read-only collection from live clusters, several at once.

For each cluster: configure the official client for its context, read
``/version``, discover every resource type (aggregated discovery, or the
per-group lists on older servers), list every listable type at its preferred
version (custom resources included) with our pager, bounded concurrency and a
QPS limit, read the kubelets' configuration through ``nodes/proxy/configz``
when allowed, and derive the cluster facts (:mod:`.facts`).

Secrets are listed as metadata only (``PartialObjectMetadataList``); if a
server ignores that and sends values, they are replaced the moment the page is
decoded.  ``managedFields`` are dropped from every object (bookkeeping, never
posture).

Whatever could not be read is a status, not a log line: a failed list marks
its kind unavailable for that cluster (rules needing it report UNKNOWN) with a
one-line :class:`InputIssue`; an unreachable cluster is unavailable as a whole
(``"*"``) and the other clusters go on.
"""

from __future__ import annotations

import gc
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote

from ..model.cloud import ClusterFacts
from ..model.collection import CollectionReport, InputIssue
from ..model.objects import K8sObject, Source
from .facts import derive_facts
from .files import ManifestSet
from .live_config import (ClientLogCapture, ConnectError, KubeConfig, LiveOptions, Target, build_api_client,
                          resolve_targets)
from .live_http import JSON, METADATA_ONLY, ApiError, Discovery, Http, Resource, discover, list_items
from .nodeconfig import redact_config
from .redact import redact_object

# Resource types skipped unless asked for with --include-kind: high volume, no posture in them.
NOISY = (
    "events", "events.events.k8s.io", "leases.coordination.k8s.io", "leasecandidates.coordination.k8s.io",
    "endpointslices.discovery.k8s.io", "controllerrevisions.apps", "componentstatuses", "*.metrics.k8s.io",
    "ciliumendpoints.cilium.io", "ciliumendpointslices.cilium.io", "ciliumidentities.cilium.io",
    "ipamblocks.crd.projectcalico.org", "blockaffinities.crd.projectcalico.org",
    "ipamhandles.crd.projectcalico.org", "policyendpoints.networking.k8s.aws",
)
LIVE_SOURCE = Source(origin="live")

# progress(cluster, state, total, advance, objects): state is a short word, None keeps the current one
Progress = Callable[[str, "str | None", "int | None", int, int], None]


def _matches(res: Resource, spec: str) -> bool:
    s = spec.strip().lower()
    if s.startswith("*."):
        return res.group == s[2:]
    return s in (res.kind.lower(), res.plural, res.name)


def selected(res: Resource, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> bool:
    """Whether a resource type is collected: --include-kind beats --exclude-kind beats the noisy list."""
    if any(_matches(res, s) for s in include):
        return True
    if any(_matches(res, s) for s in exclude):
        return False
    return not any(_matches(res, s) for s in NOISY)


def _skip_group(opts: LiveOptions) -> Callable[[str], bool]:
    """Groups not even discovered: whole noisy or excluded groups (``*.metrics.k8s.io``) unless included."""
    specs = [s.strip().lower() for s in NOISY + tuple(opts.exclude_kinds)]
    whole = {s[2:] for s in specs if s.startswith("*.")}
    wanted = [s.strip().lower() for s in opts.include_kinds]
    return lambda g: g in whole and not any(s == f"*.{g}" or s.endswith(f".{g}") for s in wanted)


@dataclass
class ClusterResult:
    """What one cluster gave: facts, raw objects (redacted), and what was not collected."""

    name: str
    facts: ClusterFacts
    objects: list[dict[str, Any]] = field(default_factory=list)
    report: CollectionReport = field(default_factory=CollectionReport)
    seconds: float = 0.0
    requests: int = 0
    bytes: int = 0
    resource_types: int = 0

    @property
    def reachable(self) -> bool:
        return "*" not in self.report.unavailable.get(self.name, {})


def collect(opts: LiveOptions, progress: Progress | None = None,
            environ: dict[str, str] | None = None) -> list[ClusterResult]:
    """Resolve the targets and collect them concurrently; raises ``LiveConfigError`` on usage problems."""
    targets, kc = resolve_targets(opts, environ)
    return collect_targets(targets, kc, opts, progress)


def collect_targets(targets: list[Target], kc: KubeConfig | None, opts: LiveOptions,
                    progress: Progress | None = None) -> list[ClusterResult]:
    results: dict[str, ClusterResult] = {}
    with paused_gc(), ClientLogCapture() as capture, ThreadPoolExecutor(max(1, opts.max_clusters),
                                                                        thread_name_prefix="kg-cluster") as pool:
        futures = {pool.submit(_collect_guarded, t, kc, opts, capture, progress): t for t in targets}
        for fut in as_completed(futures):
            r = fut.result()
            results[r.name] = r
    return [results[t.name] for t in targets]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic GC while building many small acyclic objects.

    Decoding a cluster creates millions of dicts that live until the scan
    ends; each automatic collection would walk all of them again (about half
    the time at 100k objects).  Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _collect_guarded(target: Target, kc: KubeConfig | None, opts: LiveOptions, capture: ClientLogCapture,
                     progress: Progress | None) -> ClusterResult:
    try:
        return ClusterCollector(target, kc, opts, capture, progress).run()
    except Exception as exc:  # noqa: BLE001 - one cluster's surprise must not stop the others
        result = ClusterResult(target.name, ClusterFacts(name=target.name, source="live"))
        _unreachable(result, f"internal error while collecting: {type(exc).__name__}: {str(exc)[:200]}")
        if progress is not None:
            progress(target.name, "failed", None, 0, 0)
        return result


def _unreachable(result: ClusterResult, reason: str) -> ClusterResult:
    result.report.mark_unavailable(result.name, "*", reason)
    result.report.add(InputIssue(f"not collected: {reason}", cluster=result.name))
    return result


class ClusterCollector:
    """Collects one cluster, in one thread that hands requests to the cluster's own pool."""

    def __init__(self, target: Target, kc: KubeConfig | None, opts: LiveOptions,
                 capture: ClientLogCapture | None = None, progress: Progress | None = None):
        self.target = target
        self.name = target.name
        self.kc = kc
        self.opts = opts
        self.capture = capture
        self.progress = progress or (lambda *a: None)
        self.result = ClusterResult(self.name, ClusterFacts(name=self.name, source="live"))

    # --- reporting helpers (called from the cluster's own thread only) ------------------
    def _issue(self, message: str, resource: str | None = None, level: str = "error") -> None:
        self.result.report.add(InputIssue(message, cluster=self.name, resource=resource, level=level))

    def _unavailable(self, kind: str, reason: str) -> None:
        self.result.report.mark_unavailable(self.name, kind, reason)

    def run(self) -> ClusterResult:
        start = time.monotonic()
        self.progress(self.name, "connecting", None, 0, 0)
        conn: dict[str, Any] = {"context": self.target.context} if self.target.context else {"inCluster": True}
        try:
            api, info, refresh = build_api_client(self.target, self.kc, self.opts, self.capture)
        except ConnectError as exc:
            self.progress(self.name, "failed", None, 0, 0)
            return _unreachable(self.result, str(exc))
        conn.update(info)
        self.result.facts.facts["connection"] = conn  # kept when the cluster turns out unreachable
        if info.get("insecureSkipTLSVerify"):
            self._issue("TLS verification is off for this cluster (insecure-skip-tls-verify)", level="warning")
        http = Http(api, self.opts.timeout, self.opts.qps, self.opts.burst, refresh)
        try:
            with ThreadPoolExecutor(max(1, self.opts.concurrency), thread_name_prefix=f"kg-{self.name}") as pool:
                self._collect(http, pool, conn)
        finally:
            api.close()
            self.result.seconds = time.monotonic() - start
            self.result.requests, self.result.bytes = http.requests, http.bytes
        return self.result

    def _collect(self, http: Http, pool: ThreadPoolExecutor, conn: dict[str, Any]) -> None:
        try:
            version = http.get_json("/version")
        except ApiError as exc:
            if exc.status in (403, 404):  # odd but survivable: go on without the version
                version = None
                self._issue(f"cannot read /version: {exc.reason}", resource="/version", level="warning")
            else:
                self.progress(self.name, "failed", None, 0, 0)
                _unreachable(self.result, exc.reason if exc.status is None else f"/version: {exc.reason}")
                return
        self.progress(self.name, "discovering", None, 0, 0)
        try:
            disc = discover(http, pool, _skip_group(self.opts))
        except ApiError as exc:
            self.progress(self.name, "failed", None, 0, 0)
            _unreachable(self.result, f"discovery failed: {exc.reason}")
            return
        conn["discovery"] = disc.mode
        for gv, reason in disc.problems:
            self._unavailable(f"discovery {gv}", reason)
            self._issue(f"cannot discover {gv}: {reason}; its resources were not collected", resource=gv)
        for gv in disc.stale:
            self._issue(f"discovery for {gv} is stale (its API service may be down)", resource=gv, level="warning")

        objects = self._list_all(http, pool, disc)
        extra: dict[str, Any] = {"connection": conn}
        if self.opts.kubelet_config:
            nodes = [o for o in objects if o.get("kind") == "Node" and o.get("apiVersion") == "v1"]
            if nodes:
                extra["kubelet"], unread = self._kubelet_configs(http, pool, nodes)
                if unread:
                    extra["kubeletUnread"] = unread
        self.result.objects = objects
        self.result.facts = derive_facts(self.name, objects, version if isinstance(version, dict) else None,
                                         disc.groups, "live", extra)
        self.progress(self.name, "done", None, 0, 0)

    # --- listing ---------------------------------------------------------------------
    def _list_all(self, http: Http, pool: ThreadPoolExecutor, disc: Discovery) -> list[dict[str, Any]]:
        opts = self.opts
        resources = [r for r in disc.resources
                     if "list" in r.verbs and selected(r, opts.include_kinds, opts.exclude_kinds)]
        tasks: list[tuple[Resource, str | None]] = []
        for r in resources:
            if r.namespaced and opts.namespaces:
                tasks.extend((r, ns) for ns in dict.fromkeys(opts.namespaces))
            else:
                tasks.append((r, None))
        self.result.resource_types = len(resources)
        self.progress(self.name, "listing", len(tasks), 0, 0)

        def run(task: tuple[Resource, str | None]) -> tuple[Resource, str | None, Any]:
            res, ns = task
            accept = METADATA_ONLY if res.name == "secrets" else JSON
            try:
                items = list_items(http, res.list_path(ns), opts.page_size, accept, self._taker(res),
                                   lambda n: self.progress(self.name, None, None, 0, n))
            except ApiError as exc:
                items = exc
            self.progress(self.name, None, None, 1, 0)
            return res, ns, items

        objects: list[dict[str, Any]] = []
        # resource -> reason -> the namespaces that failed with it (None: the list across namespaces)
        failed: dict[Resource, dict[str, list[str | None]]] = {}
        gone: dict[Resource, dict[str, list[str | None]]] = {}
        for res, ns, items in pool.map(run, tasks):
            if isinstance(items, ApiError):
                # 404: the type went away between discovery and list (CRD deleted)
                into = gone if items.status == 404 else failed
                into.setdefault(res, {}).setdefault(items.reason, []).append(ns)
                continue
            objects.extend(items)  # namespaces that succeeded keep their objects
        for res, reasons in gone.items():
            self._issue(f"cannot list {res.name}: {_where(reasons)}; skipped", resource=res.name, level="warning")
        for res, reasons in failed.items():
            reason = _where(reasons)
            self._unavailable(res.kind, reason)
            self._issue(f"cannot list {res.name}: {reason}", resource=res.name)
        return objects

    def _taker(self, res: Resource) -> Callable[[Any], dict[str, Any] | None]:
        """Per-item normalisation, run as each page is decoded."""
        api_version, kind = res.api_version, res.kind
        is_secret, is_namespace = res.name == "secrets", res.name == "namespaces"
        excluded = set(self.opts.exclude_namespaces)
        only = set(self.opts.namespaces)

        def take(item: Any) -> dict[str, Any] | None:
            if not isinstance(item, dict):
                return None
            meta = item.get("metadata")
            if isinstance(meta, dict):
                meta.pop("managedFields", None)
                if excluded and meta.get("namespace") in excluded:
                    return None
                if is_namespace and ((only and meta.get("name") not in only) or meta.get("name") in excluded):
                    return None
            # list items carry no apiVersion/kind (metadata-only items say PartialObjectMetadata)
            item["apiVersion"] = api_version
            item["kind"] = kind
            return redact_object(item) if is_secret else item

        return take

    # --- kubelet configuration ------------------------------------------------------------
    def _kubelet_configs(self, http: Http, pool: ThreadPoolExecutor,
                         nodes: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, str]]:
        """Each node's configz, and why the others could not be read.

        When no node could be read (or nodes/proxy is forbidden) ``kubelet`` is unavailable and
        the kubelet rules are UNKNOWN; when some were, the rules judge those and name the others.
        """
        names = sorted(str((n.get("metadata") or {}).get("name")) for n in nodes)
        self.progress(self.name, "kubelet config", len(names), 0, 0)
        denied = threading.Event()

        def fetch(node: str) -> tuple[str, Any]:
            if denied.is_set():
                return node, None
            try:
                doc = http.get_json(f"/api/v1/nodes/{quote(node, safe='')}/proxy/configz")
            except ApiError as exc:
                if exc.status in (401, 403):
                    denied.set()
                return node, exc
            finally:
                self.progress(self.name, None, None, 1, 0)
            cfg = doc.get("kubeletconfig") if isinstance(doc, dict) else None
            if not isinstance(cfg, dict):
                return node, ApiError("the response has no kubeletconfig")
            return node, redact_config(cfg)  # staticPodURLHeader values can carry credentials

        configs: dict[str, Any] = {}
        failed: dict[str, str] = {}
        # one node first: when nodes/proxy is not granted, one 403 says so for all of them
        for node, got in [fetch(names[0]), *pool.map(fetch, names[1:])]:
            if isinstance(got, dict):
                configs[node] = got
            elif isinstance(got, ApiError):
                failed[node] = got.reason
        if denied.is_set():
            reason = next(r for r in failed.values() if "(401)" in r or "(403)" in r) + " on nodes/proxy"
        elif failed:
            reason = f"{len(failed)} of {len(names)} nodes: {next(iter(failed.values()))}"
        else:
            return configs, {}
        unread = {n: failed.get(n, reason) for n in names if n not in configs}
        if configs:  # judge the nodes read; --strict still sees the scan as incomplete
            self._unavailable("kubelet (some nodes)", reason)
            self._issue(f"kubelet configuration not read on {', '.join(sorted(unread))}: {reason}",
                        resource="nodes/proxy", level="warning")
            return configs, unread
        self._unavailable("kubelet", reason)
        self._issue(f"kubelet configuration not read: {reason}", resource="nodes/proxy", level="warning")
        return configs, {}


def _where(reasons: dict[str, list[str | None]]) -> str:
    """``forbidden (403) in namespaces a, b; timed out after 5s in namespace c``: every failure, in task order."""
    parts = []
    for reason, namespaces in reasons.items():
        named = [ns for ns in namespaces if ns is not None]
        if not named:
            parts.append(reason)
        else:
            parts.append(f"{reason} in namespace{'s' if len(named) > 1 else ''} {', '.join(named)}")
    return "; ".join(parts)


# --- turning results into scan input and snapshots -----------------------------------------

def to_manifest_set(results: Iterable[ClusterResult]) -> ManifestSet:
    """The engine's input: objects frozen per cluster, facts, and what was not collected."""
    ms = ManifestSet()
    with paused_gc():
        for r in results:
            ms.clusters[r.name] = r.facts
            ms.report.merge(r.report)
            ms.report.documents += len(r.objects)
            # live objects carry their namespace; none means cluster-scoped
            ms.objects.extend(K8sObject.from_raw(o, r.name, LIVE_SOURCE, default_namespace=None) for o in r.objects)
    return ms


def write_fleet_snapshot(path: str | FsPath, results: Iterable[ClusterResult]) -> int:
    from .snapshot import SnapshotCluster, write_snapshot

    return write_snapshot(path, [SnapshotCluster(r.facts, r.objects, r.report.unavailable.get(r.name, {}),
                                                 r.report.issues) for r in results])

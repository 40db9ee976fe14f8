"""The fleet snapshot: one gzip-compressed JSON file holding one or more clusters.

Format (``formatVersion`` 1)::

    {
      "apiVersion": "kubeguard.dev/v1alpha1",
      "kind": "FleetSnapshot",
      "formatVersion": 1,
      "createdAt": "2026-12-01T10:00:00Z",
      "tool": {"name": "kubeguard", "version": "0.1.0"},
      "clusters": [
        {
          "name": "prod-eu",
          "provider": "eks",                  # eks aks gke openshift k3s kind other
          "kubernetesVersion": "v1.31.2",
          "source": "live",                   # live | manifests | demo
          "facts": {...},                     # nodes, cni, admission, cloud, kubelet ...
          "collection": {"unavailable": {"secrets": "forbidden (403)"}, "issues": [...]},
          "objects": [ {...raw Kubernetes object...}, ... ]
        }
      ]
    }

Secret values are never in a snapshot: objects pass :func:`redact_object`
when written and again when read.
"""

from __future__ import annotations

import gzip
from datetime import datetime, timezone
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, Iterable

import orjson

from .._version import __version__
from ..model.cloud import ClusterFacts
from ..model.collection import InputIssue
from ..model.objects import K8sObject, Source
from .redact import redact_object

if TYPE_CHECKING:
    from .files import ManifestSet

API_VERSION = "kubeguard.dev/v1alpha1"
KIND = "FleetSnapshot"
FORMAT_VERSION = 1


class SnapshotCluster:
    """One cluster to write: its facts, raw objects and what could not be collected."""

    def __init__(self, facts: ClusterFacts, objects: Iterable[dict[str, Any]],
                 unavailable: dict[str, str] | None = None, issues: list[InputIssue] | None = None):
        self.facts = facts
        self.objects = objects
        self.unavailable = unavailable or {}
        self.issues = issues or []


def snapshot_document(clusters: Iterable[SnapshotCluster], created: datetime | None = None) -> dict[str, Any]:
    created = created or datetime.now(timezone.utc)
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "formatVersion": FORMAT_VERSION,
        "createdAt": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tool": {"name": "kubeguard", "version": __version__},
        "clusters": [
            {
                **c.facts.to_dict(),
                "collection": {"unavailable": c.unavailable, "issues": [i.to_dict() for i in c.issues]},
                "objects": [redact_object(o) for o in c.objects],
            }
            for c in clusters
        ],
    }


def write_snapshot(path: str | FsPath, clusters: Iterable[SnapshotCluster], created: datetime | None = None) -> int:
    """Write the snapshot; returns the number of bytes written."""
    data = gzip.compress(orjson.dumps(snapshot_document(clusters, created)), compresslevel=6, mtime=0)
    FsPath(path).write_bytes(data)
    return len(data)


def read_snapshot(out: "ManifestSet", fp: FsPath) -> None:
    from .files import display_path

    shown = display_path(str(fp))
    try:
        raw = fp.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        doc = orjson.loads(raw)
        del raw  # the decompressed JSON is about as large as the objects built from it
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        out.report.add(InputIssue(f"cannot read snapshot: {exc}", file=shown))
        return
    except orjson.JSONDecodeError as exc:
        out.report.add(InputIssue(f"snapshot is not valid JSON: {str(exc).split(':')[0]}", file=shown))
        return
    if not isinstance(doc, dict) or doc.get("kind") != KIND or doc.get("apiVersion") != API_VERSION:
        out.report.add(InputIssue(f"not a kubeguard snapshot (expected apiVersion {API_VERSION}, kind {KIND})",
                                  file=shown))
        return
    version = doc.get("formatVersion")
    if version != FORMAT_VERSION:
        out.report.add(InputIssue(f"snapshot formatVersion {version!r} is not supported (this kubeguard reads "
                                  f"{FORMAT_VERSION})", file=shown))
        return
    clusters = doc.get("clusters")
    if not isinstance(clusters, list):
        out.report.add(InputIssue("snapshot has no clusters list", file=shown))
        return
    out.report.files_read += 1
    for ci, c in enumerate(clusters):
        if not isinstance(c, dict) or not isinstance(c.get("name"), str):
            out.report.add(InputIssue(f"clusters[{ci}] has no name; skipped", file=shown))
            continue
        facts = ClusterFacts.from_dict(c)
        if facts.name in out.clusters:
            out.report.add(InputIssue(f"cluster {facts.name!r} appears twice; later copy skipped", file=shown))
            continue
        out.clusters[facts.name] = facts
        coll = c.get("collection") or {}
        for kind, reason in (coll.get("unavailable") or {}).items():
            out.report.mark_unavailable(facts.name, kind, str(reason))
        for issue in coll.get("issues") or []:
            if isinstance(issue, dict) and "message" in issue:
                out.report.add(InputIssue(**{**issue, "cluster": facts.name}))
        objects = c.get("objects") or []
        for oi, o in enumerate(objects):
            if not isinstance(o, dict) or not isinstance(o.get("kind"), str):
                out.report.add(InputIssue(f"cluster {facts.name}: objects[{oi}] is not a Kubernetes object; skipped",
                                          file=shown, level="warning"))
                continue
            out.report.documents += 1
            # live objects carry their namespace; none means cluster-scoped
            out.objects.append(K8sObject.from_raw(redact_object(o), facts.name,
                                                  Source(None, None, oi, None, "snapshot"), default_namespace=None))

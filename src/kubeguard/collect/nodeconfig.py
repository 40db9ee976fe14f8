"""Node files given on the command line: kubelet configuration and flags, and the files kube-apiserver's
flags name -> cluster facts.

Inputs (``kubeguard scan --node-config SPEC``, repeatable)
----------------------------------------------------------
* ``FILE``: the node is named after the file (its name without extension);
* ``NODE=FILE`` names the node; ``CLUSTER/NODE=FILE`` also names the cluster, which a
  scan of several clusters needs (with one cluster, or none, the file belongs to it).

A file holds one of:

* a ``KubeletConfiguration`` (``kubelet.config.k8s.io/v1beta1``; YAML or JSON; in a
  multi-document file such as a kubeadm configuration, the one KubeletConfiguration
  document is used) or what ``kubectl get --raw /api/v1/nodes/NODE/proxy/configz`` prints
  (``{"kubeletconfig": {...}}``).  Several for the same node are merged in the order given,
  like the kubelet merges its ``--config-dir`` drop-ins (a JSON merge patch: mappings merge,
  lists and scalars are replaced);
* the kubelet's command line: its systemd unit or drop-in, an environment file
  (``kubeadm-flags.env``, ``/etc/default/kubelet``) or ``/proc/PID/cmdline``
  (:mod:`kubeguard.collect.kubelet_flags`); the rules merge it with the node's
  configuration as the kubelet does;
* a file a kube-apiserver flag names: ``EncryptionConfiguration``, audit ``Policy``,
  ``AdmissionConfiguration`` (:mod:`kubeguard.collect.apiserver_files`).  ``NODE`` is then the
  control-plane node whose API server reads it; without one it is every API server's.

A file that cannot be read or is none of these is one line naming it.

Facts written (:class:`ClusterFacts.facts`)
-------------------------------------------
``kubelet``
    node -> the configuration's fields with their v1beta1 JSON names, the same shape the
    live collector stores from configz (``apiVersion`` and ``kind`` dropped).
``kubeletUnread``
    (written by the live collector) node -> why its configz could not be read; a file given
    here for such a node takes it off the list.
``kubeletFiles``
    node -> ``{"file": the file(s) the configuration came from, "configz": true when they hold
    configz output}``: a KubeletConfiguration file has not been through the kubelet's defaulting
    (a zero ``streamingConnectionIdleTimeout`` there means the default), configz has.  Nodes
    read live have no entry.
``kubeletFlags``
    node -> ``{"args": the kubelet's flags, "file": the file(s), "complete": false for environment
    files alone (a part of the command line), "unresolved": variables the unit uses that no file
    defines}``.
``apiserverFiles``
    kube-apiserver flag (``encryption-provider-config``, ``audit-policy-file``,
    ``admission-control-config-file``) -> node (``""`` for every API server) -> ``{"file", "config"}``.

The secret-bearing fields, ``staticPodURLHeader`` (HTTP headers sent when fetching
static pods, often an ``Authorization`` token) and its flag ``--manifest-url-header``, keep
their header names with the marker ``"<present; value not kept>"`` instead of the values;
a password in ``staticPodURL`` (``--manifest-url``) is replaced by the same marker.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, Iterable

import orjson

from ..model.cloud import ClusterFacts
from ..model.collection import CollectionReport, InputIssue
from .apiserver_files import flag_of, keep, unsupported_version
from .files import display_path
from .kubelet_flags import FlagSource, combine, looks_like_flags, read_flag_source
from .yamlload import LoadError, load_all

API_VERSION = "kubelet.config.k8s.io/v1beta1"
KIND = "KubeletConfiguration"
REDACTED = "<present; value not kept>"
_EXPECTED = (f"not a node configuration file (expected a {KIND} ({API_VERSION}), the configz JSON "
             '{"kubeletconfig": {...}}, a kubelet command line, unit or environment file, or an '
             "EncryptionConfiguration, audit Policy or AdmissionConfiguration)")


class NodeConfigError(Exception):
    """A kubelet configuration input that cannot be used: one line naming the file (and line)."""

    def __init__(self, message: str, file: str, line: int | None = None):
        super().__init__(message)
        self.file = file
        self.line = line

    def issue(self) -> InputIssue:
        return InputIssue(str(self), file=self.file, line=self.line, resource="kubelet",
                          skipped="node configuration from this file")


def split_spec(spec: str) -> tuple[str | None, str | None, str]:
    """``[CLUSTER/]NODE=FILE`` -> (cluster, node, file); an existing path (even with '=') is a plain FILE."""
    if os.path.exists(spec) or "=" not in spec:
        return None, None, spec
    name, _, path = spec.partition("=")
    cluster, _, node = name.rpartition("/")
    if not node or not path:
        return None, None, spec
    return (cluster or None), node, path


def _read(path: str) -> tuple[str, bytes]:
    shown = display_path(path)
    try:
        return shown, FsPath(path).read_bytes()
    except OSError as exc:
        raise NodeConfigError(f"cannot read --node-config file: {exc.strerror}", shown) from None


def _documents(data: bytes, shown: str) -> list[Any]:
    if data.lstrip().startswith(b"{"):
        try:
            return [orjson.loads(data)]
        except orjson.JSONDecodeError as exc:
            raise NodeConfigError(f"invalid JSON: {str(exc).split(':')[0]}", shown) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NodeConfigError("not UTF-8 text", shown) from None
    docs: list[Any] = []
    for doc in load_all(text):
        if isinstance(doc, LoadError):
            raise NodeConfigError(doc.message, shown, doc.line)
        docs.append(doc.data)
    return docs


@dataclass(frozen=True)
class NodeFile:
    """One ``--node-config`` file: ``kind`` is ``kubelet`` (a configuration, ``effective`` for configz),
    ``flags`` (a kubelet command line, unit or environment file) or the kube-apiserver flag that reads it."""

    kind: str
    data: Any
    effective: bool = False


def read_node_file(path: str) -> NodeFile:
    """Read and classify one file; :class:`NodeConfigError` names the file (and line) when it is none of them."""
    shown, data = _read(path)
    if looks_like_flags(data):
        try:
            return NodeFile("flags", read_flag_source(data))
        except ValueError as exc:
            raise NodeConfigError(f"kubelet command line: {exc}", shown) from None
    docs = _documents(data, shown)
    kubelet = [d for d in docs
               if isinstance(d, dict) and (d.get("kind") == KIND or isinstance(d.get("kubeletconfig"), dict))]
    served = [(flag_of(d), d) for d in docs if flag_of(d)]
    if kubelet and served:
        raise NodeConfigError(f"a {KIND} and a {served[0][1]['kind']} in one file; give one per file", shown)
    if len(kubelet) > 1:
        raise NodeConfigError(f"{len(kubelet)} kubelet configurations in one file; give one per file", shown)
    if len(served) > 1:
        raise NodeConfigError(f"{len(served)} kube-apiserver configuration documents in one file; give one per file",
                              shown)
    if served:
        flag, doc = served[0]
        return NodeFile(str(flag), keep(str(flag), doc))
    if not kubelet:
        reason = next((r for r in map(unsupported_version, docs) if r), None)
        raise NodeConfigError(reason or _EXPECTED, shown)
    doc = kubelet[0]
    if isinstance(doc.get("kubeletconfig"), dict):
        return NodeFile("kubelet", redact_config(dict(doc["kubeletconfig"])), True)
    if doc.get("apiVersion") != API_VERSION:
        raise NodeConfigError(f"{KIND} apiVersion {doc.get('apiVersion')!r} is not supported "
                              f"(expected {API_VERSION})", shown)
    config = {k: v for k, v in doc.items() if k not in ("apiVersion", "kind")}
    return NodeFile("kubelet", redact_config(config))


def read_config(path: str) -> tuple[dict[str, Any], bool]:
    """The kubelet configuration fields in ``path`` (v1beta1 names), secrets stripped, and whether the
    file is configz output (the effective configuration, defaults already applied)."""
    got = read_node_file(path)
    if got.kind != "kubelet":
        raise NodeConfigError(_EXPECTED, display_path(path))
    return got.data, got.effective


def redact_config(config: dict[str, Any]) -> dict[str, Any]:
    """Keep the header names of ``staticPodURLHeader``, never their values, and no password in
    ``staticPodURL`` (usable on configz read live too)."""
    headers = config.get("staticPodURLHeader")
    if isinstance(headers, dict):
        config["staticPodURLHeader"] = {str(k): [REDACTED] for k in headers}
    elif headers is not None:
        config["staticPodURLHeader"] = REDACTED
    if isinstance(config.get("staticPodURL"), str):
        config["staticPodURL"] = redact_url(config["staticPodURL"])
    return config


def redact_url(url: str) -> str:
    """``https://user:password@host/x`` -> ``https://user:<present; value not kept>@host/x``."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.partition("@")
    if not sep or not at or "/" in userinfo or ":" not in userinfo:
        return url
    return f"{scheme}://{userinfo.split(':', 1)[0]}:{REDACTED}@{host}"


def redact_flags(words: list[str]) -> list[str]:
    """The kubelet's flags without secret values: ``--manifest-url-header`` keeps its header names (the
    flag form of staticPodURLHeader, often an Authorization token), ``--manifest-url`` drops a password."""
    out: list[str] = []
    pending = ""
    for w in words:
        if pending:
            out.append(_redact_flag(pending, w))
            pending = ""
            continue
        name, eq, value = w.partition("=")
        if name in ("--manifest-url-header", "--manifest-url") and not eq:
            pending = name
            out.append(w)
        elif name in ("--manifest-url-header", "--manifest-url"):
            out.append(f"{name}={_redact_flag(name, value)}")
        else:
            out.append(w)
    return out


def _redact_flag(name: str, value: str) -> str:
    if name == "--manifest-url":
        return redact_url(value)
    return ",".join(f"{h.split(':', 1)[0]}:{REDACTED}" for h in value.split(",") if h)


def merge_patch(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """RFC 7386 merge patch: mappings merge recursively, anything else replaces, null removes."""
    out = dict(base)
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge_patch(out[k], v)
        else:
            out[k] = v
    return out


def _node_name(path: str, taken: set[str]) -> str:
    stem = FsPath(path).name.split(".", 1)[0] or "node"
    name, n = stem, 2
    while name in taken:
        name, n = f"{stem}-{n}", n + 1
    return name


def attach_node_configs(specs: Iterable[str], clusters: dict[str, ClusterFacts], report: CollectionReport,
                        default_cluster: str) -> dict[str, ClusterFacts]:
    """Read every spec; return the clusters whose facts gained node configuration (new objects).

    ``clusters`` are the scanned clusters by name.  With none, the files make a cluster
    named ``default_cluster`` (a scan of node configuration only).
    """
    got: dict[str, _Given] = {}
    for spec in specs:
        cluster, node, path = split_spec(spec)
        shown = display_path(path)
        if cluster is None:
            if len(clusters) > 1:
                report.add(InputIssue(f"{len(clusters)} clusters are scanned ({', '.join(sorted(clusters))}); "
                                      "name this file's cluster with --node-config CLUSTER/NODE=FILE",
                                      file=shown, resource="kubelet", skipped="node configuration from this file"))
                continue
            cluster = next(iter(clusters), default_cluster)
        elif clusters and cluster not in clusters:
            report.add(InputIssue(f"cluster {cluster!r} is not scanned (scanned: {', '.join(sorted(clusters))})",
                                  file=shown, resource="kubelet", skipped="node configuration from this file"))
            continue
        try:
            nf = read_node_file(path)
        except NodeConfigError as exc:
            report.add(exc.issue())
            continue
        g = got.setdefault(cluster, _Given())
        if nf.kind not in ("kubelet", "flags"):  # a kube-apiserver file: for the API server on NODE, or every one
            per_flag = g.apiserver.setdefault(nf.kind, {})
            if (node or "") in per_flag:
                report.add(InputIssue(f"a second --{nf.kind} file for {('node ' + node) if node else 'the cluster'}"
                                      f" replaces {per_flag[node or '']['file']}", file=shown, cluster=cluster,
                                      resource="kube-apiserver", level="warning"))
            per_flag[node or ""] = {"file": shown, "config": nf.data}
            continue
        if node is None:  # named after the file; two unnamed files never merge
            node = _node_name(path, set(g.configs) | set(g.flags))
        if nf.kind == "flags":
            g.flags.setdefault(node, []).append(nf.data)
            g.flag_files.setdefault(node, []).append(shown)
            continue
        g.configs[node] = merge_patch(g.configs[node], nf.data) if node in g.configs else nf.data
        g.files.setdefault(node, []).append(shown)
        g.configz[node] = g.configz.get(node, True) and nf.effective
    out: dict[str, ClusterFacts] = {}
    for cluster, g in got.items():
        old = clusters.get(cluster) or ClusterFacts(name=cluster, source="manifests")
        facts = dict(old.facts)
        if g.configs:
            _add_configs(facts, g, cluster, report)
        if g.flags:
            flags = dict(facts.get("kubeletFlags") or {})
            for node, sources in g.flags.items():
                words, unresolved, complete = combine(sources)
                flags[node] = {"args": redact_flags(words), "file": ", ".join(g.flag_files[node]), "complete": complete,
                               **({"unresolved": unresolved} if unresolved else {})}
            facts["kubeletFlags"] = flags
        if g.apiserver:
            given = {k: dict(v) for k, v in (facts.get("apiserverFiles") or {}).items()}
            for flag, per_node in g.apiserver.items():
                given.setdefault(flag, {}).update(per_node)
            facts["apiserverFiles"] = given
        out[cluster] = ClusterFacts(name=cluster, provider=old.provider, kubernetes_version=old.kubernetes_version,
                                    facts=facts, source=old.source)
    return out


@dataclass
class _Given:
    """What the files of one cluster gave, per node."""

    configs: dict[str, dict[str, Any]] = field(default_factory=dict)
    configz: dict[str, bool] = field(default_factory=dict)  # every configuration file of the node was configz
    files: dict[str, list[str]] = field(default_factory=dict)  # configuration files
    flags: dict[str, list[FlagSource]] = field(default_factory=dict)
    flag_files: dict[str, list[str]] = field(default_factory=dict)
    apiserver: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # flag -> node ("" all) -> file


def _add_configs(facts: dict[str, Any], g: _Given, cluster: str, report: CollectionReport) -> None:
    live = facts.get("kubelet") if isinstance(facts.get("kubelet"), dict) else {}
    for node in sorted(set(g.configs) & set(live)):
        report.add(InputIssue(f"node {node}: the configuration given with --node-config replaces the one read "
                              "from configz", cluster=cluster, resource="kubelet", level="warning"))
    given = dict(facts.get("kubeletFiles") or {})
    given.update({n: {"file": ", ".join(g.files[n]), "configz": g.configz[n]} for n in g.configs})
    facts["kubelet"] = {**live, **g.configs}
    facts["kubeletFiles"] = given
    unread = facts.get("kubeletUnread")
    if isinstance(unread, dict) and set(unread) & set(g.configs):  # a node whose configz was not read, given here
        facts["kubeletUnread"] = {n: why for n, why in unread.items() if n not in g.configs}

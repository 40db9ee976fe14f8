"""Kubernetes objects as kubeguard sees them: raw JSON plus identity and source.

Objects are frozen; their ``raw`` mapping is shared and must never be written to
(a contract test scans twice and compares).  Field paths are tuples of keys and
list indexes, rendered as ``spec.template.spec.containers[0].image``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Any, Iterable, Mapping, Sequence

Path = tuple[str | int, ...]

# Kinds whose objects are cluster-scoped in upstream Kubernetes.  Anything else
# with no namespace in a manifest is treated as namespaced in the default one.
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding",
        "CustomResourceDefinition", "StorageClass", "PriorityClass", "RuntimeClass",
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
        "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
        "APIService", "CertificateSigningRequest", "IngressClass", "CSIDriver", "CSINode",
        "VolumeAttachment", "PodSecurityPolicy", "ClusterIssuer", "GatewayClass",
        "AdminNetworkPolicy", "BaselineAdminNetworkPolicy", "ClusterPolicy",
        "ClusterPolicyReport", "GlobalNetworkPolicy", "CiliumClusterwideNetworkPolicy",
        "ComponentStatus", "FlowSchema", "PriorityLevelConfiguration",
        "ConstraintTemplate", "VolumeSnapshotClass",
        "SecurityContextConstraints", "ClusterImagePolicy",
    }
)


_SIMPLE_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")


_RENDERED: dict[tuple[Any, ...], str] = {}  # findings repeat a few hundred paths; bounded memo of a pure function


def render_path(path: Sequence[str | int]) -> str:
    """``("spec", "containers", 0, "image")`` -> ``spec.containers[0].image``."""
    if type(path) is tuple:
        text = _RENDERED.get(path)
        if text is None:
            text = _render_path(path)
            if len(_RENDERED) < 65536:
                _RENDERED[path] = text
        return text
    return _render_path(path)


def _render_path(path: Sequence[str | int]) -> str:
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            s = str(part)
            if not _SIMPLE_KEY.match(s):
                out.append(f'["{s}"]')
            else:
                out.append(("." if out else "") + s)
    return "".join(out)


def parse_path(text: str) -> Path:
    """Inverse of :func:`render_path` for the forms it writes."""
    parts: list[str | int] = []
    i, n = 0, len(text)
    buf = ""
    while i < n:
        ch = text[i]
        if ch == ".":
            if buf:
                parts.append(buf)
                buf = ""
            i += 1
        elif ch == "[":
            if buf:
                parts.append(buf)
                buf = ""
            end = text.index("]", i)
            inner = text[i + 1 : end]
            if inner.startswith('"'):
                parts.append(inner.strip('"'))
            else:
                parts.append(int(inner))
            i = end + 1
        else:
            buf += ch
            i += 1
    if buf:
        parts.append(buf)
    return tuple(parts)


def get_path(doc: Any, path: Iterable[str | int], default: Any = None) -> Any:
    """Follow ``path`` through nested dicts/lists; ``default`` when any step is missing."""
    cur = doc
    for part in path:
        if isinstance(part, int):
            if isinstance(cur, list) and -len(cur) <= part < len(cur):
                cur = cur[part]
            else:
                return default
        elif isinstance(cur, dict):
            if part not in cur:
                return default
            cur = cur[part]
        else:
            return default
    return cur


@dataclass(frozen=True, slots=True)
class Source:
    """Where an object came from: a document in a file (or rendered text) or a cluster.

    ``text_key`` names the text the document was read from (a file path, ``-``
    for stdin, or a rendered chart) so that field lines can be looked up later;
    ``prefix`` is the object's path inside that document (``("items", 3)`` for
    the fourth item of a ``kind: List``).
    """

    file: str | None = None  # path shown in reports (repo-relative when possible)
    line: int | None = None  # line of the document start, 1-based; None when unknown
    doc: int = 0  # index of the document in the file
    span: tuple[int, int] | None = None  # character range of the document in the text
    origin: str = "file"  # file | stdin | helm | kustomize | snapshot | live | demo
    text_key: str | None = None
    prefix: Path = ()


@dataclass(frozen=True, slots=True)
class ObjectRef:
    cluster: str
    api_version: str
    kind: str
    namespace: str | None
    name: str

    def __str__(self) -> str:
        ns = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind}/{ns}{self.name}"

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0] if "/" in self.api_version else ""


@dataclass(frozen=True, slots=True, eq=False)
class K8sObject:
    """One Kubernetes object.  ``raw`` is the object as JSON; treat it as read-only."""

    cluster: str
    api_version: str
    kind: str
    namespace: str | None
    name: str
    raw: dict[str, Any] = field(repr=False)
    source: Source = field(default_factory=Source, repr=False)

    @staticmethod
    def from_raw(raw: dict[str, Any], cluster: str, source: Source | None = None,
                 default_namespace: str | None = "default") -> "K8sObject":
        meta = raw.get("metadata")
        if not isinstance(meta, dict):
            meta = {}
        kind = raw.get("kind")
        api_version = raw.get("apiVersion")
        ns = meta.get("namespace")
        if kind in CLUSTER_SCOPED_KINDS:
            ns = None
        elif not ns:
            ns = default_namespace
        name = meta.get("name") or meta.get("generateName") or ""
        return K8sObject(
            cluster=cluster,
            api_version=str(api_version),
            kind=str(kind),
            namespace=str(ns) if ns is not None else None,
            name=str(name),
            raw=raw,
            source=source or Source(),
        )

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.cluster, self.api_version, self.kind, self.namespace, self.name)

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0] if "/" in self.api_version else ""

    @property
    def metadata(self) -> dict[str, Any]:
        m = self.raw.get("metadata")
        return m if isinstance(m, dict) else {}

    @property
    def labels(self) -> Mapping[str, str]:
        v = self.metadata.get("labels")
        return v if isinstance(v, dict) else {}

    @property
    def annotations(self) -> Mapping[str, str]:
        v = self.metadata.get("annotations")
        return v if isinstance(v, dict) else {}

    @property
    def uid(self) -> str | None:
        return self.metadata.get("uid")

    @property
    def owner_references(self) -> list[dict[str, Any]]:
        v = self.metadata.get("ownerReferences")
        return [o for o in v if isinstance(o, dict)] if isinstance(v, list) else []

    @property
    def spec(self) -> dict[str, Any]:
        v = self.raw.get("spec")
        return v if isinstance(v, dict) else {}

    def get(self, *path: str | int, default: Any = None) -> Any:
        return get_path(self.raw, path, default)

    def __str__(self) -> str:
        return str(self.ref)

"""Manifests from files, directories, stdin, Helm charts and Kustomize directories.

Every object keeps its source: the file shown in reports, the document, and the
text it was read from, so that :class:`SourceTexts` can give the line of any
field later.  Problems become one-line :class:`InputIssue` entries; reading goes
on with the next document or file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, Callable, Iterable

import orjson

from ..model.cloud import ClusterFacts
from ..model.collection import CollectionReport, InputIssue
from ..model.objects import K8sObject, Path, Source
from .redact import redact_object
from .yamlload import LoadError, compose_document, load_all, node_line

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__", ".terraform"}
# Files that look like YAML but are tool configuration, not Kubernetes objects.
SKIP_FILES = {".kubeguard.yaml", ".kubeguardignore.yaml", "Chart.yaml", "Chart.lock", "values.yaml",
              ".pre-commit-config.yaml", "skaffold.yaml", "kind-config.yaml"}
RENDER_TIMEOUT_S = 120


@dataclass
class ManifestSet:
    """What reading manifests produced: objects, a report, and the texts for line lookup."""

    objects: list[K8sObject] = field(default_factory=list)
    report: CollectionReport = field(default_factory=CollectionReport)
    texts: dict[str, str] = field(default_factory=dict)
    clusters: dict[str, ClusterFacts] = field(default_factory=dict)  # facts from snapshots


class SourceTexts:
    """Finds the line of a field in the text an object was read from (pure, cached)."""

    def __init__(self, texts: dict[str, str] | None = None):
        self._texts = texts or {}
        self._nodes: dict[tuple[str, int], tuple[Any, int]] = {}
        self._breaks: dict[str, tuple[int, int]] = {}  # text key -> (position, line breaks before it)

    def add(self, texts: dict[str, str]) -> None:
        self._texts.update(texts)

    def line_of(self, obj: K8sObject, path: Path) -> int | None:
        src = obj.source
        if src.text_key is None or src.span is None:
            return src.line
        text = self._texts.get(src.text_key)
        if text is None:
            return src.line
        key = (src.text_key, src.span[0])
        cached = self._nodes.get(key)
        if cached is None:
            if len(self._nodes) > 4096:
                self._nodes.clear()
            cached = compose_document(text, src.span, self._breaks_before(src.text_key, text, src.span[0]))
            self._nodes[key] = cached
        node, offset = cached
        line = node_line(node, tuple(src.prefix) + tuple(path), offset)
        return line if line is not None else src.line

    def _breaks_before(self, key: str, text: str, pos: int) -> int:
        """Line breaks in ``text`` before ``pos``, counted on from the previous lookup in that text
        (lookups in document order count each large file once)."""
        last_pos, count = self._breaks.get(key, (0, 0))
        if pos < last_pos:
            last_pos, count = 0, 0
        count += text.count("\n", last_pos, pos)
        self._breaks[key] = (pos, count)
        return count


def display_path(p: str) -> str:
    """Repo-relative path when ``p`` is under the working directory, else as given."""
    try:
        rel = os.path.relpath(p)
    except ValueError:
        return p
    return p if rel.startswith("..") else rel.replace(os.sep, "/")


def read_paths(paths: Iterable[str], cluster: str, stdin_text: str | None = None,
               parallel: bool = True, on_progress: Callable[[int, int], None] | None = None) -> ManifestSet:
    """Read every path: files, directories (recursive), ``-`` for stdin, charts, kustomizations.

    Inputs are listed first and read in that order; with ``parallel``, plain files
    may be parsed ahead on a second core (:mod:`.parallel`), with the same result.
    ``on_progress(files done, files)`` is called as files are read.
    """
    steps: list[tuple[str, Any]] = []
    for p in paths:
        if p == "-":
            steps.append(("stdin", None))
            continue
        fp = FsPath(p)
        if not fp.exists():
            steps.append(("issue", InputIssue(f"no such file or directory: {p}", file=p)))
        elif fp.is_dir():
            _plan_dir(steps, fp)
        else:
            steps.append(("file", fp))
    total = sum(1 for kind, _ in steps if kind == "file")
    done = 0  # files read, as last reported
    ahead: dict[FsPath, ManifestSet] = {}
    if parallel:
        from .parallel import read_ahead

        def read_one_more(n: int) -> None:
            nonlocal done
            done = n
            on_progress(n, total)

        plain = [fp for kind, fp in steps if kind == "file" and not _is_snapshot(fp)]
        ahead = read_ahead(plain, lambda fp: _read_one(fp, cluster), read_one_more if on_progress else None)
    out = ManifestSet()
    merged = 0
    for kind, arg in steps:
        if kind == "stdin":
            text = stdin_text if stdin_text is not None else sys.stdin.read()
            _read_text(out, text, "-", "<stdin>", cluster, "stdin")
        elif kind == "issue":
            out.report.add(arg)
        elif kind == "helm":
            render_helm(out, arg, cluster)
        elif kind == "kustomize":
            render_kustomize(out, arg, cluster)
        elif arg in ahead:
            part = ahead.pop(arg)
            out.objects.extend(part.objects)
            out.texts.update(part.texts)
            out.report.merge(part.report)
        else:
            _read_file(out, arg, cluster)
        if kind == "file" and on_progress is not None:
            merged += 1
            if merged > done:  # files read ahead were reported already
                done = merged
                on_progress(done, total)
    return out


def _plan_dir(steps: list[tuple[str, Any]], root: FsPath) -> None:
    if (root / "Chart.yaml").is_file():
        steps.append(("helm", root))
        return
    if any((root / k).is_file() for k in KUSTOMIZATION_FILES):
        steps.append(("kustomize", root))
        return
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        steps.append(("issue", InputIssue(f"cannot read directory: {exc.strerror}", file=display_path(str(root)))))
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                _plan_dir(steps, FsPath(entry.path))
        elif entry.name.endswith(YAML_SUFFIXES + JSON_SUFFIXES) and entry.name not in SKIP_FILES:
            steps.append(("file", FsPath(entry.path)))


def _read_one(fp: FsPath, cluster: str) -> ManifestSet:
    part = ManifestSet()
    _read_file(part, fp, cluster)
    return part


def _is_snapshot(fp: FsPath) -> bool:
    return fp.name.endswith((".json.gz", ".snapshot.json")) or _is_gzip(fp)


def _read_file(out: ManifestSet, fp: FsPath, cluster: str) -> None:
    shown = display_path(str(fp))
    if _is_snapshot(fp):
        from .snapshot import read_snapshot  # local import: snapshot imports this module

        read_snapshot(out, fp)
        return
    try:
        data = fp.read_bytes()
    except OSError as exc:
        out.report.add(InputIssue(f"cannot read file: {exc.strerror}", file=shown))
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        out.report.add(InputIssue(f"not UTF-8 text (byte {exc.start}); file skipped", file=shown))
        return
    out.report.files_read += 1
    _read_text(out, text, str(fp), shown, cluster, "file")


def _is_gzip(fp: FsPath) -> bool:
    try:
        with fp.open("rb") as fh:
            return fh.read(2) == b"\x1f\x8b"
    except OSError:
        return False


def _read_text(out: ManifestSet, text: str, key: str, shown: str, cluster: str, origin: str,
               source_of: Any = None) -> None:
    """Parse ``text`` (YAML or JSON) and add its objects.

    ``source_of(span) -> (file, line|None)`` lets rendered output (Helm) point each
    document at its template instead of at the rendered text.
    """
    out.texts[key] = text
    if text.lstrip().startswith(("{", "[")):
        try:
            doc = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            if shown.endswith(JSON_SUFFIXES):
                out.report.add(InputIssue(f"invalid JSON: {str(exc).split(':')[0]}", file=shown,
                                          line=_json_error_line(text, exc)))
                return
            # not JSON after all: flow-style YAML, parsed below
        else:
            out.report.documents += 1
            _add_doc(out, doc, 0, 1, (0, len(text)), key, shown, cluster, origin)
            return
    for i, item in enumerate(load_all(text)):
        if isinstance(item, LoadError):
            file, line = (shown, item.line) if source_of is None else (shown, None)
            out.report.add(InputIssue(item.message, file=file, line=line,
                                      skipped="the rest of this document"))
            continue
        if item.data is None:
            continue
        out.report.documents += 1
        file, line = (shown, item.line)
        if source_of is not None:
            file, line = source_of(item.span)
        _add_doc(out, item.data, i, line, item.span, key, file, cluster, origin,
                 keep_lines=source_of is None)


def _json_error_line(text: str, exc: orjson.JSONDecodeError) -> int | None:
    pos = getattr(exc, "pos", None)
    return text.count("\n", 0, pos) + 1 if isinstance(pos, int) else None


def _add_doc(out: ManifestSet, doc: Any, index: int, line: int | None, span: tuple[int, int], key: str,
             shown: str, cluster: str, origin: str, keep_lines: bool = True) -> None:
    if not isinstance(doc, dict):
        out.report.add(InputIssue(f"document {index + 1} is a {type(doc).__name__}, not a Kubernetes object; skipped",
                                  file=shown, line=line, level="warning"))
        return
    kind = doc.get("kind")
    items = doc.get("items")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list) and "apiVersion" in doc:
        for j, item in enumerate(items):
            _add_object(out, item, Source(shown, line, index, span if keep_lines else None, origin,
                                          key if keep_lines else None, ("items", j)), cluster)
        return
    _add_object(out, doc, Source(shown, line, index, span if keep_lines else None, origin,
                                 key if keep_lines else None), cluster)


def _add_object(out: ManifestSet, raw: Any, src: Source, cluster: str) -> None:
    where = f"document {src.doc + 1}" + (f" item {src.prefix[1]}" if src.prefix else "")
    if not isinstance(raw, dict):
        out.report.add(InputIssue(f"{where} is not a mapping; skipped", file=src.file, line=src.line,
                                  level="warning"))
        return
    api_version, kind = raw.get("apiVersion"), raw.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str) or not kind:
        missing = "apiVersion" if not isinstance(api_version, str) else "kind"
        out.report.add(InputIssue(f"{where} has no {missing}; not a Kubernetes object, skipped",
                                  file=src.file, line=src.line, level="warning"))
        return
    meta = raw.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        out.report.add(InputIssue(f"{kind}: metadata must be a mapping, got {type(meta).__name__}; skipped",
                                  file=src.file, line=src.line))
        return
    out.objects.append(K8sObject.from_raw(redact_object(raw), cluster, src))


# --- rendering ---------------------------------------------------------------------

def _run_renderer(argv: list[str], what: str, shown: str, out: ManifestSet) -> str | None:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        out.report.add(InputIssue(f"{what} timed out after {RENDER_TIMEOUT_S}s; not scanned", file=shown))
        return None
    except OSError as exc:
        out.report.add(InputIssue(f"cannot run {argv[0]}: {exc.strerror}; not scanned", file=shown))
        return None
    if proc.returncode != 0:
        err = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        out.report.add(InputIssue(f"{what} failed: {err}", file=shown))
        return None
    return proc.stdout


def render_helm(out: ManifestSet, chart: FsPath, cluster: str, values: list[str] | None = None) -> None:
    shown = display_path(str(chart))
    helm = shutil.which("helm")
    if helm is None:
        out.report.add(InputIssue("Helm chart found but no 'helm' binary on PATH; install Helm 3 or render it "
                                  "yourself (helm template ... | kubeguard scan -); chart not scanned", file=shown))
        return
    argv = [helm, "template", "kubeguard-scan", str(chart)]
    for v in values or []:
        argv += ["--values", v]
    text = _run_renderer(argv, "helm template", shown, out)
    if text is None:
        return
    parent = chart.parent

    def source_of(span: tuple[int, int]) -> tuple[str, int | None]:
        # helm writes "# Source: <chart>/templates/x.yaml" at the top of each document
        idx = text.find("# Source: ", span[0], span[1])
        if idx < 0:
            idx = text.rfind("# Source: ", 0, span[0])
        if idx >= 0:
            rel = text[idx + 10:].split("\n", 1)[0].strip()
            return display_path(str(parent / rel)), None
        return shown, None

    _read_text(out, text, f"helm:{chart}", shown, cluster, "helm", source_of=source_of)


def render_kustomize(out: ManifestSet, root: FsPath, cluster: str) -> None:
    shown = display_path(str(root))
    kubectl, kustomize = shutil.which("kubectl"), shutil.which("kustomize")
    if kustomize:
        argv = [kustomize, "build", str(root)]
    elif kubectl:
        argv = [kubectl, "kustomize", str(root)]
    else:
        out.report.add(InputIssue("Kustomize directory found but neither 'kustomize' nor 'kubectl' is on PATH; "
                                  "install one or render it yourself (kustomize build ... | kubeguard scan -); "
                                  "not scanned", file=shown))
        return
    text = _run_renderer(argv, "kustomize build", shown, out)
    if text is None:
        return
    _read_text(out, text, f"kustomize:{root}", shown, cluster, "kustomize",
               source_of=lambda span: (shown, None))

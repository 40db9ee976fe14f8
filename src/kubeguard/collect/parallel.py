"""Parse manifest files on two cores: a forked helper reads half of them.

The helper (:mod:`kubeguard._fork`) parses the second half of the files by
size with the very same reader and sends back plain data with ``marshal``
(objects' JSON, their sources, input issues, texts), which the parent turns
back into :class:`K8sObject` values.  Results are identical to reading in one
process: the caller merges each file's outcome in the original order.  When
the helper fails, its files are read again in the parent.  Used only with at
least :data:`MIN_BYTES` of input, where the second core pays for the copying.
"""

from __future__ import annotations

import marshal
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .._fork import Helper, helper_usable
from ..model.collection import InputIssue
from ..model.objects import K8sObject, Source

if TYPE_CHECKING:
    from .files import ManifestSet

MIN_BYTES = 4_000_000  # below this, forking and merging cost more than the second core saves

_SOURCE_FIELDS = Source.__slots__
_ISSUE_FIELDS = InputIssue.__slots__


def read_ahead(files: Sequence[FsPath], read_one: Callable[[FsPath], "ManifestSet"],
               on_read: Callable[[int], None] | None = None) -> dict[FsPath, "ManifestSet"]:
    """Each file's :class:`ManifestSet`, read with ``read_one``; the second half by size in a helper.

    Returns an empty mapping when splitting does not pay; the caller then reads
    every file itself.  Files missing from the result must be read by the caller.
    ``on_read(n)`` is called in this process only, after each of its own files.
    """
    sizes = [_size(f) for f in files]
    total = sum(sizes)
    if len(files) < 2 or total < MIN_BYTES or not helper_usable():
        return {}
    acc, cut = 0, len(files)
    for i, s in enumerate(sizes):
        acc += s
        if acc * 2 >= total:
            cut = i + 1
            break
    mine, theirs = files[:cut], files[cut:]
    if not theirs:
        return {}
    try:
        helper = Helper(lambda: marshal.dumps([_pack(read_one(f)) for f in theirs]))
    except OSError:  # no process to be had: the caller reads every file
        return {}
    try:
        out = {}
        for n, f in enumerate(mine, 1):
            out[f] = read_one(f)
            if on_read is not None:
                on_read(n)
        payload = helper.result()
    finally:
        helper.stop()
    if payload is not None:
        for f, packed in zip(theirs, marshal.loads(payload)):
            out[f] = _unpack(packed)
    return out


def _size(f: FsPath) -> int:
    try:
        return f.stat().st_size
    except OSError:
        return 0


def _pack(ms: "ManifestSet") -> tuple[Any, ...]:
    objects = [(o.cluster, o.api_version, o.kind, o.namespace, o.name, o.raw,
                tuple(getattr(o.source, k) for k in _SOURCE_FIELDS)) for o in ms.objects]
    issues = [tuple(getattr(i, k) for k in _ISSUE_FIELDS) for i in ms.report.issues]
    return objects, issues, ms.report.files_read, ms.report.documents, ms.texts


def _unpack(packed: tuple[Any, ...]) -> "ManifestSet":
    from .files import ManifestSet

    objects, issues, files_read, documents, texts = packed
    ms = ManifestSet(texts=texts)
    ms.objects = [K8sObject(cluster, api_version, kind, namespace, name, raw, Source(*source))
                  for cluster, api_version, kind, namespace, name, raw, source in objects]
    ms.report.issues = [InputIssue(*i) for i in issues]
    ms.report.files_read, ms.report.documents = files_read, documents
    return ms

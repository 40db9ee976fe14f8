"""Fast YAML loading on PyYAML's C parser, with document spans for line lookup.

``yaml.load_all(..., CSafeLoader)`` composes a node tree and then constructs
Python objects from it in pure Python.  We build plain dicts and lists straight
from the C parser's event stream instead, which is about twice as fast, and we
remember where each document starts and ends.  Lines of individual fields are
resolved later, only for the documents that have findings, by reading that
document's events again into a small line tree (:func:`compose_document`).

Scalars follow YAML 1.1 as PyYAML's SafeLoader resolves them (the Kubernetes
YAML decoder agrees on the forms seen in manifests), except that timestamps
stay strings (they are strings in the Kubernetes JSON) and mapping keys are
always strings (as sigs.k8s.io/yaml converts them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

import yaml
from yaml import events as E

try:  # pragma: no cover - depends on the wheel
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_CONVERT = {
    _INT: _CONSTRUCTOR.construct_yaml_int,
    _FLOAT: _CONSTRUCTOR.construct_yaml_float,
    _BOOL: _CONSTRUCTOR.construct_yaml_bool,
    _NULL: lambda node: None,
}
_plain_cache: dict[str, Any] = {}
_DOC_SEPARATOR = re.compile(r"^---(?:[ \t].*)?$|^\.\.\.[ \t]*$", re.M)


def _plain(value: str) -> Any:
    """Resolve a plain (unquoted, untagged) scalar; results are cached per text."""
    try:
        return _plain_cache[value]
    except KeyError:
        pass
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    conv = _CONVERT.get(tag)
    result = conv(yaml.ScalarNode(tag, value)) if conv is not None else value
    if len(_plain_cache) < 200_000:
        _plain_cache[value] = result
    return result


def _tagged(tag: str, value: str) -> Any:
    if tag.startswith("!!"):
        tag = "tag:yaml.org,2002:" + tag[2:]
    conv = _CONVERT.get(tag)
    if conv is None:
        return value  # str, timestamp, binary and unknown local tags stay text
    try:
        return conv(yaml.ScalarNode(tag, value))
    except (ValueError, yaml.YAMLError):
        return value


@dataclass(frozen=True, slots=True)
class LoadedDoc:
    data: Any
    line: int  # 1-based line where the document starts
    span: tuple[int, int]  # character range in the text


@dataclass(frozen=True, slots=True)
class LoadError:
    message: str
    line: int  # 1-based


def load_all(text: str) -> Iterator[LoadedDoc | LoadError]:
    """Yield every document of ``text``; on a syntax error yield a :class:`LoadError`
    and go on from the next document separator, so one bad document does not hide
    the rest of the file."""
    offset = 0
    while True:
        chunk = text[offset:] if offset else text
        base_line = text.count("\n", 0, offset) if offset else 0
        try:
            for doc in _load_events(chunk):
                yield LoadedDoc(doc.data, doc.line + base_line,
                                (doc.span[0] + offset, doc.span[1] + offset))
            return
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            err_index = (mark.index if mark is not None else 0) + offset
            err_line = (mark.line + 1 if mark is not None else 1) + base_line
            problem = exc.problem or exc.context or "invalid YAML"
            yield LoadError(f"YAML syntax error: {problem}", err_line)
            line_start = text.rfind("\n", 0, err_index) + 1
            nxt = _DOC_SEPARATOR.search(text, max(line_start, offset + 1))
            if nxt is None:
                return
            offset = nxt.start()
        except yaml.YAMLError as exc:  # reader errors (bad characters)
            yield LoadError(f"YAML error: {str(exc).splitlines()[0]}", base_line + 1)
            return


def _load_events(text: str) -> Iterator[LoadedDoc]:
    loader = _Loader(text)
    get = loader.get_event
    ScalarEvent, MappingStartEvent, MappingEndEvent = E.ScalarEvent, E.MappingStartEvent, E.MappingEndEvent
    SequenceStartEvent, SequenceEndEvent, AliasEvent = E.SequenceStartEvent, E.SequenceEndEvent, E.AliasEvent
    DocumentStartEvent, DocumentEndEvent, StreamEndEvent = E.DocumentStartEvent, E.DocumentEndEvent, E.StreamEndEvent
    plain = _plain
    try:
        anchors: dict[str, Any] = {}
        # stack entries: [container, pending key or _NOKEY, merge sources or None]
        stack: list[list[Any]] = []
        root: Any = None
        doc_start = 0
        doc_line = 1
        while True:
            ev = get()
            t = type(ev)
            if t is ScalarEvent:
                if stack and type(stack[-1][0]) is dict and stack[-1][1] is _NOKEY:
                    # a mapping key: keep the text, except for the merge key
                    top = stack[-1]
                    if ev.value == "<<" and (ev.implicit[0] or ev.tag == _MERGE):
                        top[1] = _MERGE_KEY
                    else:
                        top[1] = ev.value
                    continue
                if ev.implicit[0]:  # plain and untagged (CParser reports style '' for plain)
                    val = plain(ev.value)
                elif ev.tag is not None and ev.tag != "!":
                    val = _tagged(ev.tag, ev.value)
                else:
                    val = ev.value
                if ev.anchor:
                    anchors[ev.anchor] = val
            elif t is MappingStartEvent:
                val = {}
                if ev.anchor:
                    anchors[ev.anchor] = val
                stack.append([val, _NOKEY, None])
                continue
            elif t is SequenceStartEvent:
                val = []
                if ev.anchor:
                    anchors[ev.anchor] = val
                stack.append([val, _NOKEY, None])
                continue
            elif t is MappingEndEvent:
                entry = stack.pop()
                val = entry[0]
                if entry[2]:
                    _apply_merges(val, entry[2])
            elif t is SequenceEndEvent:
                val = stack.pop()[0]
            elif t is AliasEvent:
                if ev.anchor not in anchors:
                    raise yaml.composer.ComposerError(None, None, f"found undefined alias {ev.anchor!r}", ev.start_mark)
                val = anchors[ev.anchor]
            elif t is DocumentStartEvent:
                anchors = {}
                root = None
                doc_start = ev.start_mark.index
                doc_line = ev.start_mark.line + 1
                continue
            elif t is DocumentEndEvent:
                yield LoadedDoc(root, doc_line, (doc_start, ev.end_mark.index))
                continue
            elif t is StreamEndEvent:
                return
            else:
                continue
            if not stack:
                root = val
                continue
            top = stack[-1]
            container = top[0]
            if type(container) is list:
                container.append(val)
            else:
                key = top[1]
                if key is _NOKEY:  # a complex (non-scalar) key: use its text form
                    top[1] = str(val)
                    continue
                if key is _MERGE_KEY:
                    top[2] = (top[2] or []) + ([val] if isinstance(val, dict) else [v for v in val if isinstance(v, dict)] if isinstance(val, list) else [])
                else:
                    container[key] = val
                top[1] = _NOKEY
    finally:
        loader.dispose()


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


_NOKEY = _Marker("<no key>")
_MERGE_KEY = _Marker("<<")


def _apply_merges(target: dict[str, Any], sources: list[dict[str, Any]]) -> None:
    # explicit keys win; among merged mappings the earlier one wins
    for src in sources:
        for k, v in src.items():
            if k not in target:
                target[k] = v


# --- line lookup -----------------------------------------------------------------
#
# A line tree mirrors a document with only what the lookup needs: each node is
# ``(line, children, value)`` where children is a dict (mapping: key text ->
# (key line, node)), a list (sequence) or None (scalar, whose text is value).
# Built from the C parser's events, it costs about a third of ``yaml.compose``
# and answers exactly as a walk over the composed node tree would: the first of
# duplicate keys wins, aliases lead to the anchored node, merge keys are plain
# keys, and a document the composer rejects has no tree.

LineNode = tuple  # (line: int, children: dict | list | None, value: str | None)
_COMPLEX = _Marker("<complex key>")
_LEAF: LineNode = (0, None, None)  # a plain scalar mapping value


def compose_document(text: str, span: tuple[int, int], offset: int | None = None) -> tuple[LineNode | None, int]:
    """The line tree of the document at ``span``; returns (root, line offset).

    ``offset``, the number of line breaks before ``span[0]``, saves counting
    them again in a large file when the caller already knows it.
    """
    start = text.rfind("\n", 0, span[0]) + 1
    if offset is None:
        offset = text.count("\n", 0, start)
    try:
        return _line_tree(text[start:span[1]]), offset
    except yaml.YAMLError:
        return None, offset


def _line_tree(chunk: str) -> LineNode | None:
    loader = _Loader(chunk)
    get = loader.get_event
    ScalarEvent, MappingStartEvent, MappingEndEvent = E.ScalarEvent, E.MappingStartEvent, E.MappingEndEvent
    SequenceStartEvent, SequenceEndEvent, AliasEvent = E.SequenceStartEvent, E.SequenceEndEvent, E.AliasEvent
    DocumentEndEvent, StreamEndEvent = E.DocumentEndEvent, E.StreamEndEvent
    try:
        anchors: dict[str, LineNode] = {}
        stack: list[Any] = []  # the enclosing collections' entries
        top: list[Any] | None = None  # innermost collection: [children, key | _NOKEY | _COMPLEX, key line, node]
        root: LineNode | None = None
        documents = 0
        while True:
            ev = get()
            t = type(ev)
            if t is ScalarEvent:
                if top is not None and type(top[0]) is dict:
                    if top[1] is _NOKEY:  # a key
                        if ev.anchor:
                            _anchor(anchors, ev, (ev.start_mark.line, None, ev.value))
                        top[1] = ev.value
                        top[2] = ev.start_mark.line
                        continue
                    # a mapping value: lookups use its key's line, so plain values share one leaf
                    node = (ev.start_mark.line, None, ev.value) if ev.anchor else _LEAF
                else:
                    node = (ev.start_mark.line, None, ev.value)
                if ev.anchor:
                    _anchor(anchors, ev, node)
            elif t is MappingStartEvent or t is SequenceStartEvent:
                node = (ev.start_mark.line, {} if t is MappingStartEvent else [], None)
                if ev.anchor:
                    _anchor(anchors, ev, node)
                stack.append(top)
                top = [node[1], _NOKEY, 0, node]
                continue
            elif t is MappingEndEvent or t is SequenceEndEvent:
                node = top[3]
                top = stack.pop()
            elif t is AliasEvent:
                node = anchors.get(ev.anchor)
                if node is None:
                    raise yaml.composer.ComposerError(None, None, f"found undefined alias {ev.anchor!r}",
                                                      ev.start_mark)
                if top is not None and top[1] is _NOKEY and type(top[0]) is dict:
                    top[1], top[2] = (node[2], node[0]) if node[1] is None else (_COMPLEX, 0)
                    continue
            elif t is DocumentEndEvent:
                documents += 1
                continue
            elif t is StreamEndEvent:
                return root
            else:
                if documents:  # a second document: the composer wants exactly one
                    raise yaml.composer.ComposerError(None, None, "expected a single document in the stream",
                                                      ev.start_mark)
                continue
            if top is None:
                root = node
                continue
            children = top[0]
            if type(children) is list:
                children.append(node)
            elif top[1] is _NOKEY:  # the node just closed was a complex key; its value follows
                top[1] = _COMPLEX
            else:
                key = top[1]
                if key is not _COMPLEX and key not in children:
                    children[key] = (top[2], node)
                top[1] = _NOKEY
    finally:
        loader.dispose()


def _anchor(anchors: dict[str, LineNode], ev: Any, node: LineNode) -> None:
    if ev.anchor in anchors:
        raise yaml.composer.ComposerError("found duplicate anchor", None, "second occurrence", ev.start_mark)
    anchors[ev.anchor] = node


def node_line(root: LineNode | None, path: tuple[str | int, ...], offset: int) -> int | None:
    """1-based line of the deepest node along ``path`` (the key's line for mapping entries)."""
    if root is None:
        return None
    node = root
    line = node[0]
    for part in path:
        children = node[1]
        if type(children) is dict:
            entry = children.get(part) if type(part) is str else None
            if entry is None:
                break
            line, node = entry
        elif type(children) is list and isinstance(part, int) and 0 <= part < len(children):
            node = children[part]
            line = node[0]
        else:
            break
    return line + 1 + offset

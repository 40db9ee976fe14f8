"""Field lines from the event-built line tree agree with a walk over ``yaml.compose``'s node tree."""

from __future__ import annotations

import pytest
import yaml

from kubeguard.collect.yamlload import LoadedDoc, compose_document, load_all, node_line

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def composed_line(text: str, span: tuple[int, int], path: tuple) -> int | None:
    """The reference: compose the document and walk its nodes (first duplicate key wins)."""
    start = text.rfind("\n", 0, span[0]) + 1
    try:
        node = yaml.compose(text[start:span[1]], Loader=Loader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == part:
                    line, node = k.start_mark.line, v
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line
        else:
            break
    return line + 1 + text.count("\n", 0, start)


def all_paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from all_paths(v, prefix + (k,))
        yield prefix + ("missing",)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from all_paths(v, prefix + (i,))
        yield prefix + (len(data),)


CASES = {
    "block": "a: 1\n---\nspec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    securityContext:\n"
             "      privileged: true\n",
    "flow": "spec: {containers: [{name: a, image: x}, {name: b,\n  ports: [{containerPort: 80}]}]}\n",
    "aliases and merge keys": "base: &b\n  x: 1\n  y: [1, 2]\nuse:\n  <<: *b\n  y: 3\nagain: *b\nlist:\n- *b\n",
    "duplicate keys: the first wins": "a:\n  b: 1\na:\n  c: 2\n",
    "complex keys": "? [k1, k2]\n: v\n? {a: 1}\n: [x, y]\nafter: 1\n",
    "alias keys": "k: &k name\nm:\n  *k : y\n  z: 1\n",
    "json": '{\n  "kind": "Pod",\n  "spec": {"containers": [\n    {"name": "a"}\n  ]}\n}\n',
    "comments and explicit ends": "# head\n---\na:\n  # note\n  b: 1\n...\n---\nc: [1,\n  2]\n",
    "duplicate anchors are rejected": "a: &x 1\nb: &x 2\nc:\n  d: 3\n",
    "integer-looking keys": "80: http\n'1': one\nlist: [a, b]\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_every_path_matches_the_composed_tree(text):
    docs = [d for d in load_all(text) if isinstance(d, LoadedDoc)]
    assert docs
    for doc in docs:
        tree, offset = compose_document(text, doc.span)
        for path in all_paths(doc.data):
            assert node_line(tree, path, offset) == composed_line(text, doc.span, path), path


def test_known_offset_gives_the_same_lines():
    text = CASES["block"]
    doc = [d for d in load_all(text)][1]
    counted = compose_document(text, doc.span)
    given = compose_document(text, doc.span, offset=text.count("\n", 0, doc.span[0]))
    assert counted[1] == given[1] == 1
    assert node_line(counted[0], ("spec", "containers", 1, "securityContext"), counted[1]) == 8

from __future__ import annotations

import yaml

from kubeguard.collect.yamlload import LoadError, LoadedDoc, compose_document, load_all, node_line


def _docs(text):
    return [d for d in load_all(text)]


def test_scalars_follow_safe_loader():
    text = "a: 1\nb: '1'\nc: yes\nd: null\ne: ~\nf: 1.5\ng: 0x1f\nh: 2020-01-01\ni: !!str 5\nj: .inf\nk: 010\nl:\n"
    [doc] = _docs(text)
    expected = yaml.safe_load(text)
    expected["h"] = "2020-01-01"  # timestamps stay strings, as in the Kubernetes JSON
    assert doc.data == expected


def test_keys_are_strings_and_merge_keys_apply():
    [doc] = _docs("base: &b {x: 1, y: 2}\nobj:\n  <<: *b\n  y: 3\n80: http\ntrue: t\n")
    assert doc.data["obj"] == {"x": 1, "y": 3}
    assert doc.data["80"] == "http" and doc.data["true"] == "t"


def test_multi_document_lines_and_spans():
    text = "a: 1\n---\n# comment\nb: 2\n---\n---\nc: 3\n"
    docs = _docs(text)
    assert [d.data for d in docs] == [{"a": 1}, {"b": 2}, None, {"c": 3}]
    assert docs[1].line == 2
    assert text[docs[3].span[0]:docs[3].span[1]].strip().endswith("c: 3")


def test_syntax_error_reports_line_and_recovers_next_documents():
    text = "a: 1\n---\nb: [unclosed\nc: 2\n---\nd: 4\n"
    out = _docs(text)
    assert isinstance(out[0], LoadedDoc) and out[0].data == {"a": 1}
    err = next(o for o in out if isinstance(o, LoadError))
    assert err.line in (4, 5) and "YAML syntax error" in err.message
    assert out[-1].data == {"d": 4}


def test_undefined_alias_is_an_error_not_a_crash():
    out = _docs("a: *nope\n")
    assert isinstance(out[0], LoadError)


def test_node_line_follows_paths_and_stops_at_missing_fields():
    text = "x: 0\n---\nspec:\n  containers:\n  - name: a\n    image: nginx\n  - name: b\n    securityContext:\n      privileged: true\n"
    doc = _docs(text)[1]
    node, off = compose_document(text, doc.span)
    assert node_line(node, ("spec", "containers", 1, "securityContext", "privileged"), off) == 9
    assert node_line(node, ("spec", "containers", 0, "image"), off) == 6
    # missing field: the deepest existing node's line
    assert node_line(node, ("spec", "containers", 0, "securityContext", "runAsNonRoot"), off) == 5

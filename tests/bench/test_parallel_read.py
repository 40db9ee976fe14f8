"""Reading with a forked helper gives exactly what reading in one process gives."""

from __future__ import annotations

import orjson
import pytest

from kubeguard.collect import parallel
from kubeguard.collect.files import read_paths


def _as_data(ms):
    return {
        "objects": [(o.cluster, o.api_version, o.kind, o.namespace, o.name, o.raw,
                     [getattr(o.source, k) for k in o.source.__slots__]) for o in ms.objects],
        "issues": [i.to_dict() for i in ms.report.issues],
        "counts": (ms.report.files_read, ms.report.documents),
        "texts": ms.texts,
    }


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_BYTES", 1)
    monkeypatch.setattr(parallel, "helper_usable", lambda: True)


def test_parallel_read_equals_sequential(tmp_path, small_threshold, monkeypatch):
    unpacked = []
    real_unpack = parallel._unpack
    monkeypatch.setattr(parallel, "_unpack", lambda packed: unpacked.append(1) or real_unpack(packed))
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1'}\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "bad.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: [\n---\nkind: x\n")
    (tmp_path / "b" / "list.json").write_text(orjson.dumps({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "n"},
         "stringData": {"k": "never-shown"}}]}).decode())
    (tmp_path / "c.yaml").write_bytes(b"\xff\xfe not utf-8")
    (tmp_path / "d.yml").write_text("x: .inf\ny: 123456789012345678901234567890\nkind: Weird\napiVersion: a/b\n"
                                     "metadata: {name: d}\nanchors: {a: &x [1, 2], b: *x}\n")
    seq = read_paths([str(tmp_path), str(tmp_path / "missing")], "c", parallel=False)
    par = read_paths([str(tmp_path), str(tmp_path / "missing")], "c", parallel=True)
    assert len(seq.objects) == 3 and len(seq.report.issues) >= 4
    assert _as_data(par) == _as_data(seq)
    assert len(unpacked) >= 2  # the helper really read some of the files
    assert "never-shown" not in repr(_as_data(par)["objects"])


def test_parallel_read_of_the_corpus_equals_sequential(corpus, small_threshold):
    seq = read_paths([str(corpus)], "c", parallel=False)
    par = read_paths([str(corpus)], "c", parallel=True)
    assert len(seq.objects) > 3000
    assert _as_data(par) == _as_data(seq)


def test_a_failing_helper_falls_back_to_reading_in_the_parent(tmp_path, small_threshold, monkeypatch):
    for i in range(4):
        (tmp_path / f"f{i}.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n")
    monkeypatch.setattr(parallel, "_pack", lambda ms: (_ for _ in ()).throw(RuntimeError("boom")))
    ms = read_paths([str(tmp_path)], "c", parallel=True)
    assert [o.name for o in ms.objects] == ["c0", "c1", "c2", "c3"] and not ms.report.issues


def test_no_process_to_be_had_means_reading_in_one_process(tmp_path, small_threshold, monkeypatch):
    import os

    for i in range(3):
        (tmp_path / f"f{i}.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n")
    monkeypatch.setattr(os, "fork", lambda: (_ for _ in ()).throw(OSError(11, "no processes")))
    ms = read_paths([str(tmp_path)], "c", parallel=True)
    assert [o.name for o in ms.objects] == ["c0", "c1", "c2"] and not ms.report.issues


@pytest.mark.parametrize("parallel_read", [False, True])
def test_progress_counts_files_up_to_the_total(tmp_path, small_threshold, parallel_read):
    for i in range(6):
        (tmp_path / f"f{i}.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\n")
    (tmp_path / "notes.txt").write_text("not a manifest")
    seen: list[tuple[int, int]] = []
    ms = read_paths([str(tmp_path)], "c", parallel=parallel_read, on_progress=lambda d, t: seen.append((d, t)))
    assert len(ms.objects) == 6
    assert seen[-1] == (6, 6) and all(t == 6 for _, t in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)  # never goes back

"""One measured step of the benchmark, run in its own process by ``bench/run.py``.

    python bench/_worker.py parse PATH RESULT    PyYAML's C loader over every YAML/JSON file under PATH
    python bench/_worker.py fleet FLEET RESULT   kubeguard over a fleet file (as ``kubeguard demo`` does),
                                                 writing the JSON report to RESULT

``parse`` writes a small JSON summary (seconds spent parsing, files, documents)
to RESULT.  Wall time and peak memory are measured by the parent.
"""

from __future__ import annotations

import json
import os
import sys
import time


def parse_floor(root: str) -> dict:
    """``yaml.load_all`` with ``CSafeLoader`` over the same files ``kubeguard scan`` reads.

    A constructor for the YAML 1.1 ``value`` tag is registered, as in the baseline
    measurement, so that a bare ``=`` loads as a string instead of failing the file.
    """
    import yaml

    class Loader(yaml.CSafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        files.extend(os.path.join(d, n) for n in sorted(names) if n.endswith((".yaml", ".yml", ".json")))
    docs = failed = 0
    start = time.perf_counter()
    for f in files:
        try:
            with open(f, encoding="utf-8") as fh:
                docs += sum(1 for _ in yaml.load_all(fh, Loader=Loader))
        except (yaml.YAMLError, UnicodeDecodeError):
            failed += 1
    return {"seconds": time.perf_counter() - start, "files": len(files), "documents": docs, "failed": failed}


def scan_fleet(fleet: str, result: str) -> int:
    import gc
    from pathlib import Path

    gc.disable()  # as kubeguard's command runner does (cli/main.py _run)

    from kubeguard.cli.pipeline import OutputSpec, ScanOptions, execute
    from kubeguard.collect.fleet import read_fleet

    ms = read_fleet(Path(fleet))
    opts = ScanOptions(outputs=[OutputSpec("json", result)], progress=False, inputs={"mode": "manifests"})
    return execute(ms, "bench", opts)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("parse", "fleet"):
        print("usage: _worker.py parse|fleet PATH RESULT", file=sys.stderr)
        return 2
    mode, path, result = argv
    if mode == "parse":
        with open(result, "w", encoding="utf-8") as fh:
            json.dump(parse_floor(path), fh)
        return 0
    return scan_fleet(path, result)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

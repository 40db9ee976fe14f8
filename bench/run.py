"""kubeguard benchmark: throughput and peak memory, next to the YAML parse floor and Checkov.

Runs each step in its own process (so peak memory is per run, read with
``wait4``) and prints one table:

  corpus      ``kubeguard scan`` over the whole shared corpus with every rule
  fleet-yaml  a generated fleet (default 3 clusters, ~15k objects) as manifests
  fleet-snap  the same fleet as a ``.snapshot.json.gz``

Each scan writes its JSON report (the real output path) to a temporary file,
which also gives the object and rule counts.  The parse floor is PyYAML's C
loader (``yaml.load_all`` with ``CSafeLoader``) over the same files, timed
inside its own process.  Checkov 3.3.30 needs 82.6 s for the corpus
(shared/docs/baseline-checkov.md), about 50 resources/s.

    ./dev bench                       # corpus + 15k-object fleet
    ./dev bench --objects 100k        # a 100k-object fleet
    ./dev bench --repeat 3 --only corpus
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402

WORKER = Path(__file__).resolve().parent / "_worker.py"
CACHE = Path(__file__).resolve().parent / ".out"
CHECKOV_CORPUS_S = 82.6  # Checkov 3.3.30, whole corpus, median of 3 (baseline-checkov.md)
CHECKOV_RES_PER_S = 50.0  # its throughput in resources/s on the same run
TARGET_CHECKOV_X = 20.0
TARGET_FLOOR_X = 1.3
TARGET_RSS_MB = 300.0


@dataclass
class Measure:
    wall: float  # seconds, whole process
    cpu: float  # user + system seconds, helpers included
    rss_mb: float  # peak resident set size of the largest single process (wait4)
    tree_mb: float  # peak proportional set size of the scan and its helpers together (sampled)
    code: int


@dataclass
class Row:
    name: str
    what: str
    objects: int = 0
    rules: int = 0
    findings: int = 0
    walls: list[float] = field(default_factory=list)
    cpu: float = 0.0
    rss_mb: float = 0.0
    tree_mb: float = 0.0
    floor_s: float | None = None  # parse-only seconds for the same files
    floor_wall: float | None = None  # the parse-floor process, start to end
    checkov_s: float | None = None  # Checkov's measured time for the same input, when known

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def per_s(self) -> float:
        return self.objects / self.wall if self.wall else 0.0

    @property
    def vs_floor(self) -> float | None:
        return self.wall / self.floor_s if self.floor_s else None

    @property
    def vs_checkov(self) -> float:
        if self.checkov_s is not None:
            return self.checkov_s / self.wall
        return self.per_s / CHECKOV_RES_PER_S


def measure(argv: list[str], log: Path) -> Measure:
    """Run ``argv`` to completion: wall time, CPU time and peak memory of that process and its helpers."""
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=ROOT, env={**os.environ, "NO_COLOR": "1"})
        peak = [0]
        stop = threading.Event()
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, peak, stop), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        stop.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 1024, proc.returncode)


def _sample_tree(pid: int, peak: list[int], stop: threading.Event, every: float = 0.1) -> None:
    """Peak of the summed PSS (kB) of ``pid`` and its children; PSS splits shared copy-on-write pages fairly."""
    while not stop.wait(every):
        total = 0
        for p in [pid, *_children(pid)]:
            try:
                with open(f"/proc/{p}/smaps_rollup", encoding="ascii") as fh:
                    total += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
            except (OSError, StopIteration, ValueError):
                continue
        peak[0] = max(peak[0], total)


def _children(pid: int) -> list[int]:
    out = []
    try:
        entries = list(os.scandir("/proc"))
    except OSError:  # no /proc (not Linux): the largest-process RSS is all there is
        return out
    for entry in entries:
        if entry.name.isdigit() and int(entry.name) > pid:
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def fail(msg: str) -> None:
    Console(stderr=True).print(f"[red]error:[/red] {msg}", highlight=False)
    sys.exit(2)


def parse_size(text: str) -> int:
    t = text.strip().lower().replace("_", "")
    mult = 1_000 if t.endswith("k") else 1_000_000 if t.endswith("m") else 1
    try:
        return int(float(t.rstrip("km")) * mult)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


class Bench:
    def __init__(self, args: argparse.Namespace, console: Console):
        self.args = args
        self.console = console
        self.tmp = Path(tempfile.mkdtemp(prefix="kubeguard-bench-"))
        self.python = sys.executable

    def step(self, label: str, argv: list[str], ok_codes: tuple[int, ...] = (0, 1)) -> Measure:
        log = self.tmp / "step.log"
        with self.console.status(label, spinner="dots"):
            m = measure(argv, log)
        if m.code not in ok_codes:
            tail = log.read_text(errors="replace").strip().splitlines()[-5:]
            fail(f"{label} exited {m.code}:\n  " + "\n  ".join(tail))
        self.console.print(f"  {label}: {m.wall:.2f} s, {m.cpu:.2f} s CPU, {m.rss_mb:.0f} MB RSS, "
                           f"{m.tree_mb:.0f} MB PSS with helpers", highlight=False)
        return m

    def floor(self, row: Row, path: Path) -> None:
        out = self.tmp / "floor.json"
        floors, walls = [], []
        for i in range(self.args.repeat):
            m = self.step(f"{row.name}: C loader parse {i + 1}/{self.args.repeat}",
                          [self.python, str(WORKER), "parse", str(path), str(out)], ok_codes=(0,))
            floors.append(orjson.loads(out.read_bytes())["seconds"])
            walls.append(m.wall)
        row.floor_s, row.floor_wall = statistics.median(floors), statistics.median(walls)

    def scan(self, row: Row, argv_for: "callable[[Path], list[str]]") -> None:
        report = self.tmp / "report.json"
        rss = tree = cpu = 0.0
        for i in range(self.args.repeat):
            m = self.step(f"{row.name}: scan {i + 1}/{self.args.repeat}", argv_for(report))
            row.walls.append(m.wall)
            rss, tree, cpu = max(rss, m.rss_mb), max(tree, m.tree_mb), cpu + m.cpu
        row.rss_mb, row.tree_mb, row.cpu = rss, tree, cpu / self.args.repeat
        doc = orjson.loads(report.read_bytes())
        row.objects = sum(c["summary"]["objects"] for c in doc["clusters"])
        row.rules = len(doc["rules"])
        row.findings = sum(1 for f in doc["findings"] if f["status"] == "FAIL")

    def kubeguard(self, target: Path) -> "callable[[Path], list[str]]":
        return lambda report: [self.python, "-m", "kubeguard", "scan", str(target), "-f", "json", "-o", str(report),
                               "--no-progress"]

    def fleet(self, need_manifests: bool, need_snapshot: bool) -> tuple[Path, Path]:
        """The generated fleet as manifests and/or as a snapshot, cached under bench/.out."""
        a = self.args
        key = f"fleet-c{a.clusters}-o{a.objects}-s{a.seed}-v{generate.GENERATOR_VERSION}"
        manifests, snapshot = CACHE / key, CACHE / f"{key}.snapshot.json.gz"
        write_manifests = need_manifests and (a.fresh or not (manifests / "fleet.yaml").is_file())
        write_snapshot = need_snapshot and (a.fresh or not snapshot.is_file())
        if not write_manifests and not write_snapshot:
            return manifests, snapshot
        start = time.perf_counter()
        with self.console.status(f"generating {a.objects:,} objects in {a.clusters} clusters (seed {a.seed})"):
            try:
                fleet = generate.generate(a.clusters, a.objects, a.seed)
            except ValueError as exc:
                fail(str(exc))
            total = sum(len(c.objects) for c in fleet)
        if write_manifests:
            from rich.progress import Progress

            shutil.rmtree(manifests, ignore_errors=True)
            with Progress(console=self.console, transient=True) as progress:
                task = progress.add_task("writing manifests", total=total)
                generate.write_manifests(fleet, manifests, lambda n: progress.advance(task, n))
        if write_snapshot:
            generate.write_snapshot(fleet, snapshot)
        self.console.print(f"  generated {total:,} objects in {time.perf_counter() - start:.1f} s -> {CACHE / key}",
                           highlight=False)
        return manifests, snapshot

    def run(self) -> list[Row]:
        rows: list[Row] = []
        only = set(self.args.only)
        try:
            if "corpus" in only:
                corpus = Path(self.args.corpus)
                if not corpus.is_dir():
                    fail(f"corpus not found at {corpus}; give --corpus PATH or --only fleet")
                row = Row("corpus", f"{corpus.name}/ (real manifests)", checkov_s=CHECKOV_CORPUS_S)
                self.floor(row, corpus)
                self.scan(row, self.kubeguard(corpus))
                rows.append(row)
            if only & {"fleet", "snapshot"}:
                manifests, snapshot = self.fleet("fleet" in only, "snapshot" in only)
                shape = f"{self.args.clusters} clusters, seed {self.args.seed}"
                if "fleet" in only:
                    row = Row("fleet-yaml", f"generated manifests, {shape}")
                    self.floor(row, manifests)
                    self.scan(row, lambda report: [self.python, str(WORKER), "fleet", str(manifests / "fleet.yaml"),
                                                   str(report)])
                    rows.append(row)
                if "snapshot" in only:
                    row = Row("fleet-snap", f"same fleet as .snapshot.json.gz")
                    self.scan(row, self.kubeguard(snapshot))
                    rows.append(row)
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return rows


def table(rows: list[Row]) -> Table:
    t = Table(title="kubeguard benchmark", title_justify="left")
    for col in ("run", "objects", "rules", "fails", "wall s", "CPU s", "objects/s", "RSS MB", "all MB", "parse s",
                "× parse", "× Checkov"):
        t.add_column(col, justify="left" if col == "run" else "right")
    for r in rows:
        t.add_row(r.name, f"{r.objects:,}", str(r.rules), f"{r.findings:,}", f"{r.wall:.2f}", f"{r.cpu:.2f}",
                  f"{r.per_s:,.0f}", f"{r.rss_mb:.0f}", f"{r.tree_mb:.0f}", f"{r.floor_s:.2f}" if r.floor_s else "-",
                  f"{r.vs_floor:.2f}" if r.vs_floor else "-", f"{r.vs_checkov:.0f}")
    return t


def targets(row: Row) -> list[tuple[str, bool]]:
    return [
        (f"≥{TARGET_CHECKOV_X:.0f}× Checkov's throughput: {row.vs_checkov:.0f}×", row.vs_checkov >= TARGET_CHECKOV_X),
        (f"≤{TARGET_FLOOR_X}× the C loader's parse time: {row.vs_floor:.2f}× "
         f"({row.wall:.2f} s against {row.floor_s:.2f} s)", (row.vs_floor or 99) <= TARGET_FLOOR_X),
        (f"peak memory <{TARGET_RSS_MB:.0f} MB: {row.tree_mb:.0f} MB with helpers (largest process {row.rss_mb:.0f} MB)",
         max(row.tree_mb, row.rss_mb) < TARGET_RSS_MB),
    ]


def main(argv: list[str] | None = None) -> int:
    shared = ROOT.parent / "shared"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(Path(os.environ.get("KUBEGUARD_SHARED", shared)) / "corpus"),
                    help="folder of real manifests (default: ../shared/corpus)")
    ap.add_argument("--clusters", type=int, default=3, help="clusters in the generated fleet (default 3)")
    ap.add_argument("--objects", type=parse_size, default=15_000,
                    help="objects in the generated fleet, e.g. 15000 or 100k (default 15k)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per step; the median wall time is shown")
    ap.add_argument("--only", default="corpus,fleet,snapshot",
                    type=lambda s: [x.strip() for x in s.split(",") if x.strip()],
                    help="steps to run: corpus, fleet, snapshot (comma list; default all)")
    ap.add_argument("--fresh", action="store_true", help="regenerate the fleet even when bench/.out has it")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    bad = set(args.only) - {"corpus", "fleet", "snapshot"}
    if bad or not args.only:
        fail(f"--only takes corpus, fleet, snapshot; got {', '.join(sorted(bad)) or 'nothing'}")
    if args.repeat < 1 or args.clusters < 1:
        fail("--repeat and --clusters must be at least 1")

    err = Console(stderr=True, highlight=False)
    rows = Bench(args, err).run()
    out = Console(highlight=False)
    if not out.is_terminal:
        out.width = max(out.width, 120)
    out.print(table(rows))
    for r in rows:
        out.print(f"  {r.name}: {r.what}")
    out.print(f"wall s: whole process, median of {args.repeat}; CPU s: with helper processes; fails: FAIL findings; "
              f"RSS MB: largest single process; all MB: peak PSS of the scan and its helpers together; parse s: "
              f"PyYAML CSafeLoader alone on the same files; × parse = wall ÷ parse s; × Checkov = "
              f"{CHECKOV_CORPUS_S} s ÷ wall on the corpus, else objects/s ÷ {CHECKOV_RES_PER_S:.0f}.")
    corpus = next((r for r in rows if r.name == "corpus"), None)
    if corpus is not None:
        out.print("Targets on the corpus (issue 2 §12):")
        for text, ok in targets(corpus):
            out.print(f"  [{'green' if ok else 'red'}]{'ok ' if ok else 'MISS'}[/] {text}")
    if args.json:
        doc = [{**asdict(r), "wall": r.wall, "objects_per_s": r.per_s, "vs_floor": r.vs_floor,
                "vs_checkov": r.vs_checkov} for r in rows]
        Path(args.json).write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Per-rule cost of the object-level library (reliability, tenancy, secrets, supply chain, storage).

Builds a synthetic live-shaped fleet in memory (``bench/generate.py``; default 3 clusters,
15k objects), then runs each rule of those domains alone through ``run_scan`` and prints
one table: wall time per rule, the number of targets it saw and microseconds per target,
slowest first, with the total next to the time of all of them in one scan.  Rules are
evaluated for every pod spec of every cluster, so a slow one shows up here first.

    python bench/object_rules_bench.py
    python bench/object_rules_bench.py --objects 100000 --top 15
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from kubeguard.engine.run import ScanInput, run_scan  # noqa: E402
from kubeguard.model import ClusterFacts, Inventory, K8sObject  # noqa: E402
from kubeguard.model.objects import Source  # noqa: E402
from kubeguard.model.settings import Settings  # noqa: E402
from kubeguard.rules._registry import default_registry  # noqa: E402

DOMAINS = ("reliability", "tenancy", "secrets", "supplychain", "storage")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clusters", type=int, default=3)
    ap.add_argument("--objects", type=int, default=15_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--top", type=int, default=0, help="show only the N slowest rules (default: all)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    fleet = generate(args.clusters, args.objects, args.seed)
    facts = [ClusterFacts(c.name, c.cloud.provider, c.cloud.version, c.facts, "live") for c in fleet]
    objects = [K8sObject.from_raw(raw, c.name, Source(origin="live")) for c in fleet for raw in c.objects]
    inventory = Inventory.build(facts, objects)
    for cluster in inventory.clusters:
        cluster.workloads()  # index pod specs once, as a scan does before the first workload rule
    build = time.perf_counter() - t0

    registry = default_registry()
    rules = [r for r in registry if r.domain in DOMAINS]
    rows = []
    for rule in rules:
        start = time.perf_counter()
        result = run_scan(ScanInput(inventory), registry, Settings(include=(rule.code,)))
        elapsed = time.perf_counter() - start
        targets = sum(rr.passed + rr.failed + rr.exempt + rr.errors for rr in result.rule_results)
        failed = sum(rr.failed for rr in result.rule_results)
        rows.append((elapsed, rule.code, rule.slug, targets, failed))
    start = time.perf_counter()
    run_scan(ScanInput(inventory), registry, Settings(include=tuple(r.code for r in rules)))
    together = time.perf_counter() - start

    rows.sort(reverse=True)
    table = Table(title=f"{len(rules)} object-level rules on {len(objects):,} objects "
                        f"({args.clusters} clusters; fleet built in {build:.1f} s)")
    for col in ("rule", "slug", "ms", "targets", "µs/target", "failed"):
        table.add_column(col, justify="right" if col not in ("rule", "slug") else "left")
    for elapsed, code, slug, targets, failed in rows[: args.top or None]:
        table.add_row(code, slug, f"{elapsed * 1000:.1f}", f"{targets:,}",
                      f"{elapsed * 1e6 / targets:.1f}" if targets else "-", f"{failed:,}")
    console = Console()
    console.print(table)
    total = sum(r[0] for r in rows)
    console.print(f"sum of single-rule scans {total:.2f} s; all {len(rules)} rules in one scan {together:.2f} s "
                  f"({len(objects) / together:,.0f} objects/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

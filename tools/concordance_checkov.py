#!/usr/bin/env python3
"""Concordance with Checkov (issue 3 §6): per equivalent check, the objects one tool flags and the other does not.

Checkov is not a dependency of kubeguard: install it in a venv of its own, outside the repository, and
point this script at the executable::

    python3 -m venv /tmp/checkov-venv && /tmp/checkov-venv/bin/pip install 'checkov>=3,<4'
    .venv/bin/python tools/concordance_checkov.py --checkov /tmp/checkov-venv/bin/checkov

(or set ``$CHECKOV``).  Equivalences come from our rules' ``peers.checkov`` metadata: for each Checkov id,
the union of our rules that list it.  An object counts as flagged by kubeguard when any of those rules
fails on it, and as evaluated when any of them looked at it.  Objects are matched by file (relative to the
corpus), kind, namespace (``default`` when unset, as Checkov prints it) and name.  Each difference is split
into "the other tool passed it" (a real disagreement) and "the other tool did not evaluate it" (scope:
kinds, ``*List`` items, files it could not parse).

``--checkov-json FILE`` reuses a saved Checkov report (``--save-checkov FILE`` writes one), so the slow
Checkov run is needed once.  ``--json OUT`` writes every difference for review.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import orjson  # noqa: E402

from kubeguard._version import __version__  # noqa: E402
from kubeguard.collect.files import read_paths  # noqa: E402
from kubeguard.engine.peers import normalise  # noqa: E402
from kubeguard.engine.run import ScanInput, run_scan  # noqa: E402
from kubeguard.model import ClusterFacts, Inventory  # noqa: E402
from kubeguard.model.settings import Settings  # noqa: E402
from kubeguard.rules._registry import default_registry  # noqa: E402

Key = tuple[str, str, str, str]  # (file relative to the corpus, kind, namespace, name)
INSTALL_HINT = ("install it in its own venv, outside the repository:\n"
                "  python3 -m venv /tmp/checkov-venv && /tmp/checkov-venv/bin/pip install 'checkov>=3,<4'\n"
                "then pass --checkov /tmp/checkov-venv/bin/checkov or set CHECKOV")


@dataclass
class Verdicts:
    failed: set[Key] = field(default_factory=set)
    evaluated: set[Key] = field(default_factory=set)


def default_corpus() -> Path:
    shared = ROOT.parent / "shared"
    if not shared.is_dir():
        shared = Path(os.environ.get("KUBEGUARD_SHARED", "/work/shared"))
    return shared / "corpus"


def find_checkov(explicit: str | None) -> str | None:
    cand = explicit or os.environ.get("CHECKOV") or shutil.which("checkov")
    if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
        return cand
    return None


def equivalences(registry) -> dict[str, list[str]]:
    """Checkov id -> our rule codes (every rule whose peers.checkov lists it)."""
    out: dict[str, list[str]] = defaultdict(list)
    for rule in registry:
        for cid in rule.meta.peers.get("checkov", ()):
            out[cid.strip().upper()].append(rule.code)
    return dict(sorted(out.items(), key=lambda kv: normalise(kv[0])))


def run_checkov(exe: str, corpus: Path, checks: list[str], timeout: int) -> bytes:
    argv = [exe, "-d", str(corpus), "--framework", "kubernetes", "-o", "json", "--compact", "--skip-download",
            "--check", ",".join(checks)]
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        sys.exit(f"error: checkov did not finish within {timeout} s (raise --timeout)")
    except OSError as exc:
        sys.exit(f"error: cannot run {exe}: {exc.strerror}")
    if proc.returncode not in (0, 1) or not proc.stdout.strip():  # 1 = some checks failed
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        sys.exit(f"error: checkov exited with {proc.returncode}: {tail[0]}")
    return proc.stdout


def checkov_verdicts(report: bytes, wanted: set[str]) -> tuple[dict[str, Verdicts], set[Key], str]:
    doc = orjson.loads(report)
    runs = doc if isinstance(doc, list) else [doc]
    run = next((r for r in runs if r.get("check_type") == "kubernetes"), None)
    if run is None:
        sys.exit("error: the Checkov report has no kubernetes results")
    out: dict[str, Verdicts] = defaultdict(Verdicts)
    seen: set[Key] = set()
    for bucket, failed in (("failed_checks", True), ("passed_checks", False), ("skipped_checks", False)):
        for item in run.get("results", {}).get(bucket, []):
            key = _checkov_key(item)
            if key is None:
                continue
            seen.add(key)
            cid = item["check_id"].upper()
            if cid not in wanted:
                continue
            v = out[cid]
            v.evaluated.add(key)
            if failed:
                v.failed.add(key)
    return out, seen, run.get("summary", {}).get("checkov_version", "?")


def _checkov_key(item: dict) -> Key | None:
    kind, _, rest = item.get("resource", "").partition(".")
    ns, _, name = rest.partition(".")
    if not kind or not name:
        return None
    return item["file_path"].lstrip("/"), kind, ns or "default", name


def kubeguard_verdicts(corpus: Path, eq: dict[str, list[str]]) -> tuple[dict[str, Verdicts], int, float]:
    """Scan the corpus, one cluster per top-level folder (so one project's RoleBinding never resolves to another
    project's Role), and collect per rule the objects it failed and the objects it evaluated.

    A cluster-level rule (RBAC, network) looks at every object of its cluster, so all of them count as
    evaluated when it reached a verdict there; its findings also flag the objects in their evidence chain
    (the Role behind a RoleBinding), since Checkov reports the Role where we report the binding."""
    registry = default_registry()
    codes = sorted({c for codes in eq.values() for c in codes})
    started = time.perf_counter()
    objects, facts = [], []
    for sub in sorted(corpus.iterdir()):
        if sub.is_dir() or sub.suffix in (".yaml", ".yml", ".json"):
            ms = read_paths([str(sub)], sub.name)
            objects += ms.objects
            facts.append(ClusterFacts(name=sub.name))
    inv = Inventory.build(facts, objects)
    result = run_scan(ScanInput(inv), registry, Settings(include=tuple(codes), include_passed=True))
    elapsed = time.perf_counter() - started

    def key(obj_file: str, kind: str, ns: str | None, name: str) -> Key:
        return _relative(obj_file, corpus), kind, ns or "default", name

    by_ref: dict[tuple[str, str], list[Key]] = defaultdict(list)  # (cluster, "Kind/ns/name") -> keys
    all_keys: dict[str, set[Key]] = defaultdict(set)
    for o in objects:
        if o.source.file:
            k = key(o.source.file, o.kind, o.namespace, o.name)
            by_ref[(o.cluster, f"{o.kind}/{o.namespace}/{o.name}" if o.namespace else f"{o.kind}/{o.name}")].append(k)
            all_keys[o.cluster].add(k)
    per_rule: dict[str, Verdicts] = defaultdict(Verdicts)
    for rr in result.rule_results:
        if registry.get(rr.rule).meta.target == "cluster" and rr.status in ("PASS", "FAIL", "EXEMPT"):
            per_rule[rr.rule].evaluated |= all_keys[rr.cluster]
    for f in result.findings:
        if f.file is None:
            continue
        v = per_rule[f.rule]
        k = key(f.file, f.kind, f.namespace, f.name)
        v.evaluated.add(k)
        if f.status in ("FAIL", "EXEMPT"):
            v.failed.add(k)
            for ref in f.related:
                v.failed.update(by_ref.get((f.cluster, ref), ()))
    out = {}
    for cid, rules in eq.items():
        v = Verdicts()
        for code in rules:
            v.failed |= per_rule[code].failed
            v.evaluated |= per_rule[code].evaluated
        out[cid] = v
    return out, len(objects), elapsed


def _relative(file: str, corpus: Path) -> str:
    p = Path(file)
    try:
        return str(p.resolve().relative_to(corpus.resolve()))
    except ValueError:
        return file


def compare(eq, ck: dict[str, Verdicts], kg: dict[str, Verdicts], ck_seen: set[Key]) -> list[dict]:
    rows = []
    for cid, rules in eq.items():
        c, k = ck.get(cid, Verdicts()), kg[cid]
        only_ck, only_kg = c.failed - k.failed, k.failed - c.failed
        rows.append({
            "checkov": cid, "rules": rules, "both": len(c.failed & k.failed),
            "checkovFailed": len(c.failed), "kubeguardFailed": len(k.failed),
            "onlyCheckov": {"kubeguardPassed": sorted(only_ck & k.evaluated),
                            "kubeguardDidNotEvaluate": sorted(only_ck - k.evaluated)},
            "onlyKubeguard": {"checkovPassed": sorted(only_kg & c.evaluated),
                              # Checkov saw the object under other checks, but this check never ran on it
                              "checkovSkippedObject": sorted((only_kg - c.evaluated) & ck_seen),
                              "checkovNeverSawObject": sorted(only_kg - c.evaluated - ck_seen)},
        })
    rows.sort(key=lambda r: -(len(r["onlyCheckov"]["kubeguardPassed"]) + len(r["onlyKubeguard"]["checkovPassed"])))
    return rows


def _fmt(key) -> str:
    file, kind, ns, name = key
    return f"{file}  {kind}/{ns}/{name}"


def print_report(rows: list[dict], registry, examples: int) -> None:
    for r in rows:
        slugs = ", ".join(f"{c} {registry.get(c).slug}" for c in r["rules"])
        oc, ok = r["onlyCheckov"], r["onlyKubeguard"]
        print(f"\n{r['checkov']} <-> {slugs}")
        only_ck = len(oc["kubeguardPassed"]) + len(oc["kubeguardDidNotEvaluate"])
        print(f"  both flag {r['both']} · only Checkov {only_ck} "
              f"(kubeguard passed {len(oc['kubeguardPassed'])}, not evaluated {len(oc['kubeguardDidNotEvaluate'])}) · "
              f"only kubeguard {sum(len(v) for v in ok.values())} (Checkov passed {len(ok['checkovPassed'])}, "
              f"check not run on it {len(ok['checkovSkippedObject'])}, object never seen "
              f"{len(ok['checkovNeverSawObject'])})")
        for label, keys in (("only Checkov flags, kubeguard passes", oc["kubeguardPassed"]),
                            ("only Checkov flags, kubeguard did not evaluate", oc["kubeguardDidNotEvaluate"]),
                            ("only kubeguard flags, Checkov passes", ok["checkovPassed"]),
                            ("only kubeguard flags, Checkov did not run this check on it", ok["checkovSkippedObject"]),
                            ("only kubeguard flags, Checkov never saw the object", ok["checkovNeverSawObject"])):
            if keys:
                print(f"    {label}:")
                for key in keys[:examples]:
                    print(f"      {_fmt(key)}")
                if len(keys) > examples:
                    print(f"      ... {len(keys) - examples} more")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkov", help="Checkov executable (default: $CHECKOV, then PATH)")
    ap.add_argument("--corpus", type=Path, default=default_corpus(), help="manifest folder (default: shared corpus)")
    ap.add_argument("--checkov-json", type=Path, help="reuse a saved Checkov JSON report instead of running Checkov")
    ap.add_argument("--save-checkov", type=Path, help="write Checkov's JSON report here")
    ap.add_argument("--json", type=Path, help="write every difference as JSON")
    ap.add_argument("--examples", type=int, default=5, help="objects listed per difference (default 5)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds Checkov may run (default 1800)")
    args = ap.parse_args(argv)

    if not args.corpus.is_dir():
        print(f"error: corpus {args.corpus} is not a directory", file=sys.stderr)
        return 2
    registry = default_registry()
    eq = equivalences(registry)
    if not eq:
        print("error: no rule lists a checkov equivalent (peers.checkov)", file=sys.stderr)
        return 2
    if args.checkov_json:
        try:
            report = args.checkov_json.read_bytes()
        except OSError as exc:
            print(f"error: cannot read {args.checkov_json}: {exc.strerror}", file=sys.stderr)
            return 2
        ck_seconds = None
    else:
        exe = find_checkov(args.checkov)
        if exe is None:
            where = args.checkov or os.environ.get("CHECKOV")
            print(f"error: checkov not found{f' at {where}' if where else ''}; {INSTALL_HINT}", file=sys.stderr)
            return 2
        started = time.perf_counter()
        report = run_checkov(exe, args.corpus, list(eq), args.timeout)
        ck_seconds = time.perf_counter() - started
        if args.save_checkov:
            args.save_checkov.write_bytes(report)
    ck, ck_seen, ck_version = checkov_verdicts(report, set(eq))
    kg, objects, kg_seconds = kubeguard_verdicts(args.corpus, eq)
    rows = compare(eq, ck, kg, ck_seen)

    print(f"Checkov {ck_version} vs kubeguard {__version__} on {args.corpus}: {objects} objects read by kubeguard, "
          f"{len(ck_seen)} resources with Checkov results, {len(eq)} equivalent checks")
    print(f"time: kubeguard read+scan {kg_seconds:.1f} s" + (f", Checkov {ck_seconds:.1f} s" if ck_seconds else ""))
    print_report(rows, registry, args.examples)
    agree = sum(1 for r in rows if not r["onlyCheckov"]["kubeguardPassed"] and not r["onlyKubeguard"]["checkovPassed"])
    print(f"\n{agree} of {len(rows)} equivalent checks have no verdict disagreement on objects both tools evaluated.")
    if args.json:
        args.json.write_bytes(orjson.dumps({"checkov": ck_version, "kubeguard": __version__, "checks": rows},
                                           option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

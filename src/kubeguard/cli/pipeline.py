"""Wiring for scan-like commands: read config and exceptions, collect, run, write outputs, exit code.

Exit codes: 0 ok (or findings below ``--fail-on``), 1 ``--fail-on`` tripped,
2 usage or configuration error, 3 scan incomplete (nothing could be read, or
any input problem under ``--strict``).
"""

from __future__ import annotations

import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Callable, Iterator

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..collect.cloud_identity import attach_identity_facts
from ..collect.files import ManifestSet, SourceTexts
from ..engine.config import ConfigFileError, FileConfig, parse_config
from ..engine.exemptions import ExemptionError, IgnoreEntry, parse_ignore_file, rule_resolver
from ..engine.run import ConfigError, ScanInput, run_scan
from ..model.cloud import ClusterFacts
from ..model.findings import Severity, Status
from ..model.inventory import Inventory
from ..model.result import ScanResult
from ..model.settings import Settings
from ..report import FORMATS, render
from ..rules._registry import default_registry

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3
DEFAULT_CONFIG = ".kubeguard.yaml"
DEFAULT_IGNORE = ".kubeguardignore.yaml"


class UsageError(Exception):
    """A usage or configuration problem: printed as one line, exit code 2."""


def err_console() -> Console:
    # soft_wrap: a one-line error stays one line whatever the terminal width
    return Console(stderr=True, highlight=False, soft_wrap=True, no_color=_no_color(sys.stderr))


def _no_color(stream) -> bool:
    return bool(os.environ.get("NO_COLOR")) or not getattr(stream, "isatty", lambda: False)()


@dataclass
class OutputSpec:
    fmt: str
    file: str | None = None


def parse_outputs(formats: list[str], output: str | None) -> list[OutputSpec]:
    specs = []
    for f in formats or ["table"]:
        fmt, _, file = f.partition("=")
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(sorted(FORMATS))}")
        specs.append(OutputSpec(fmt, file or None))
    if output:
        unnamed = [s for s in specs if s.file is None]
        if len(unnamed) != 1:
            raise UsageError("-o/--output names the file for a single -f FORMAT; use -f FORMAT=FILE for several")
        unnamed[0].file = output
    stdout = [s for s in specs if s.file is None]
    if len(stdout) > 1:
        raise UsageError("only one format can go to standard output; give the others a file with -f FORMAT=FILE")
    return specs


@dataclass
class ScanOptions:
    outputs: list[OutputSpec] = field(default_factory=lambda: [OutputSpec("table")])
    fail_on: str | None = None
    strict: bool = False
    config: str | None = None
    ignore_file: str | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    severity: list[str] = field(default_factory=list)
    include_passed: bool = False
    show_exempt: bool = False
    progress: bool = True
    color: str = "auto"
    max_findings: int | None = None
    frameworks: list[str] = field(default_factory=list)
    inputs: dict = field(default_factory=dict)
    cloud: list[str] = field(default_factory=list)  # --cloud FILE | CLUSTER=FILE | eks:// gke:// aks:// URIs
    node_configs: list[str] = field(default_factory=list)  # --node-config FILE | [CLUSTER/]NODE=FILE
    kubernetes_version: str | None = None  # --kubernetes-version for clusters read from manifests
    peer_annotations: bool = False  # --peer-annotations: honour checkov/kube-linter/polaris skip annotations


def load_config(path: str | None) -> FileConfig:
    if path is None:
        if not os.path.isfile(DEFAULT_CONFIG):
            return FileConfig()
        path = DEFAULT_CONFIG
    try:
        text = FsPath(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read config {path}: {exc.strerror}") from None
    try:
        return parse_config(text, path)
    except ConfigFileError as exc:
        raise UsageError(str(exc)) from None


def load_ignores(path: str | None) -> list[IgnoreEntry]:
    explicit = path is not None
    path = path or _find_upwards(DEFAULT_IGNORE)
    if path is None:
        return []
    try:
        text = FsPath(path).read_text(encoding="utf-8")
    except OSError as exc:
        if explicit:
            raise UsageError(f"cannot read ignore file {path}: {exc.strerror}") from None
        return []
    try:
        return parse_ignore_file(text, os.path.relpath(path), rule_resolver(default_registry()))
    except ExemptionError as exc:
        raise UsageError(str(exc)) from None


def _find_upwards(name: str) -> str | None:
    cur = FsPath.cwd()
    for d in (cur, *cur.parents):
        p = d / name
        if p.is_file():
            return str(p)
        if (d / ".git").exists():
            break
    return None


def build_settings(opts: ScanOptions, cfg: FileConfig) -> Settings:
    return Settings(
        include=tuple(opts.include or cfg.include),
        exclude=tuple(opts.exclude) + tuple(cfg.exclude),
        params=cfg.params,
        include_passed=opts.include_passed or bool(cfg.scan.get("include-passed")),
        frameworks=tuple(opts.frameworks or cfg.scan.get("frameworks") or ()),
        peer_annotations=opts.peer_annotations or bool(cfg.scan.get("peer-annotations")),
    )


@contextmanager
def reading_progress(opts: ScanOptions) -> Iterator[Callable[[int, int], None] | None]:
    """A "Reading manifests" bar on stderr (interactive only), fed by ``read_paths(on_progress=...)``.

    Redrawn on each update rather than by a timer thread, so the reader may fork a helper.
    """
    if not (opts.progress and sys.stderr.isatty()):
        yield None
        return
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console(), transient=True, auto_refresh=False) as progress:
        task = progress.add_task("Reading manifests", total=None)
        last = [0.0]

        def update(done: int, total: int) -> None:  # at most ~10 redraws a second: files can be tiny
            now = time.monotonic()
            if now - last[0] >= 0.1 or done == total:
                last[0] = now
                progress.update(task, completed=done, total=total, refresh=True)

        yield update


def execute(ms: ManifestSet, default_cluster: str, opts: ScanOptions,
            extra_facts: dict[str, ClusterFacts] | None = None,
            finish: Callable[[ScanResult], None] | None = None) -> int:
    """Run the engine over what was collected and write every output; returns the exit code."""
    console = err_console()
    cfg = load_config(opts.config)
    if opts.fail_on is None and cfg.scan.get("fail-on"):
        opts.fail_on = str(cfg.scan["fail-on"])
    opts.strict = opts.strict or bool(cfg.scan.get("strict"))
    ignores = load_ignores(opts.ignore_file or cfg.scan.get("ignore-file"))
    fail_on = None
    if opts.fail_on and opts.fail_on.lower() != "none":
        try:
            fail_on = Severity.parse(opts.fail_on)
        except ValueError as exc:
            raise UsageError(f"--fail-on: {exc}") from None
    try:
        severities = {Severity.parse(s).value for part in opts.severity for s in part.split(",") if s.strip()}
    except ValueError as exc:
        raise UsageError(f"--severity: {exc}") from None

    facts = dict(ms.clusters)
    facts.update(extra_facts or {})
    for o in ms.objects:
        if o.cluster not in facts:
            facts[o.cluster] = ClusterFacts(name=o.cluster, source="manifests")
    if opts.cloud:
        from ..collect.cloud import attach_cloud

        facts.update(attach_cloud(opts.cloud, facts, ms.report, create=not facts))
    if opts.node_configs:
        from ..collect.nodeconfig import attach_node_configs

        facts.update(attach_node_configs(opts.node_configs, facts, ms.report, default_cluster))
    if not facts:
        facts[default_cluster] = ClusterFacts(name=default_cluster, source="manifests")
    _complete_manifest_facts(facts, ms, opts.kubernetes_version)
    attach_identity_facts(facts, ms.objects, ms.report)
    inventory = Inventory.build(facts.values(), ms.objects)
    settings = build_settings(opts, cfg)
    registry = default_registry()
    locate = SourceTexts(ms.texts).line_of
    show_progress = opts.progress and sys.stderr.isatty()
    try:
        # redrawn on each update, not by a timer thread: the engine may fork a helper, which needs one thread
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True, disable=not show_progress,
                      auto_refresh=False) as progress:
            task = progress.add_task("Evaluating rules", total=None)
            result = run_scan(
                ScanInput(inventory, ms.report, locate, opts.inputs), registry, settings, ignores,
                on_progress=lambda done, total: progress.update(task, completed=done, total=total, refresh=True),
            )
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    if finish is not None:
        finish(result)

    shown = result
    if severities:
        shown = _filter_severity(result, severities)
    for spec in opts.outputs:
        _write(shown, spec, opts)

    errors = ms.report.errors
    for issue in errors[:20]:
        console.print(f"[red]error:[/red] {escape(issue.one_line())}", markup=True, highlight=False)
    if len(errors) > 20:
        console.print(f"[red]error:[/red] ... and {len(errors) - 20} more input errors (see the JSON report)")
    if not ms.objects and errors:
        console.print("[red]nothing could be read; scan incomplete[/red]")
        return EXIT_INCOMPLETE
    incomplete = bool(errors) or any(result.collection.unavailable.values())
    if opts.strict and incomplete:
        console.print("[yellow]scan incomplete (--strict): some inputs could not be read or collected[/yellow]")
        return EXIT_INCOMPLETE
    if fail_on is not None and result.failures(fail_on):
        return EXIT_FINDINGS
    return EXIT_OK


_K8S_VERSION = re.compile(r"^v?\d+\.\d+(\.\d+)?([-+][0-9A-Za-z.+-]+)?$")


def _complete_manifest_facts(facts: dict[str, ClusterFacts], ms: ManifestSet, version: str | None = None) -> None:
    """Live and snapshot clusters carry detected facts; give manifest and demo clusters the same.

    ``version`` (``--kubernetes-version``) is the version manifests are meant for; a version a
    fleet file or cloud description states wins over it.
    """
    from ..collect.facts import complete_facts

    if version is not None and not _K8S_VERSION.match(version):
        raise UsageError(f"--kubernetes-version: {version!r} is not a Kubernetes version like 1.31 or v1.31.2")
    raws: dict[str, list[dict]] = {}
    for o in ms.objects:
        raws.setdefault(o.cluster, []).append(o.raw)
    for name, f in list(facts.items()):
        if f.source in ("manifests", "demo"):
            if version is not None and f.kubernetes_version is None:
                f.kubernetes_version = version if version.startswith("v") else f"v{version}"
            facts[name] = complete_facts(f, raws.get(name, []))


def _filter_severity(result: ScanResult, severities: set[str]) -> ScanResult:
    from dataclasses import replace

    keep = [f for f in result.findings if f.status not in (Status.FAIL.value, Status.EXEMPT.value)
            or f.severity in severities]
    return replace(result, findings=keep)


def _write(result: ScanResult, spec: OutputSpec, opts: ScanOptions) -> None:
    if spec.fmt == "table":
        to_tty = spec.file is None and sys.stdout.isatty()
        color = opts.color == "always" or (opts.color == "auto" and to_tty and not os.environ.get("NO_COLOR"))
        width = os.get_terminal_size().columns if to_tty else 160
        data = render(result, "table", color=color, width=width, max_findings=opts.max_findings,
                      show_exempt=opts.show_exempt)
    else:
        data = render(result, spec.fmt)
    if spec.file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            FsPath(spec.file).write_bytes(data)
        except OSError as exc:
            raise UsageError(f"cannot write {spec.file}: {exc.strerror}") from None

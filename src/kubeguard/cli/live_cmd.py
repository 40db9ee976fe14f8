"""Live clusters on the command line: the ``collect`` command and the live path of ``scan``.

Wiring only: targets and collection live in :mod:`kubeguard.collect.live`.
"""

from __future__ import annotations

import sys
import threading
from typing import Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .pipeline import EXIT_INCOMPLETE, EXIT_OK, ScanOptions, UsageError, err_console, execute

# Options shared by `scan` (no PATH) and `collect` -------------------------------------------
KubeconfigOpt = typer.Option(None, "--kubeconfig", help="Kubeconfig file (default: $KUBECONFIG, merged as kubectl "
                                                         "merges it, then ~/.kube/config).")
ContextOpt = typer.Option([], "--context", help="Kubeconfig context to read; repeatable (default: the current one).")
AllContextsOpt = typer.Option(False, "--all-contexts", help="Read every context of the kubeconfig, concurrently.")
InClusterOpt = typer.Option(False, "--in-cluster", help="Use the pod's service account (automatic in a pod "
                                                        "without a kubeconfig).")
NamespaceOpt = typer.Option([], "-n", "--namespace", help="Only these namespaces (cluster-scoped objects are still "
                                                          "read); repeatable.")
ExcludeNsOpt = typer.Option([], "--exclude-namespace", help="Skip objects in this namespace; repeatable.")
IncludeKindOpt = typer.Option([], "--include-kind", metavar="KIND",
                              help="Also read a type skipped by default (Event, Lease, EndpointSlice, "
                                   "ControllerRevision, ...): Kind, plural or plural.group; repeatable.")
ExcludeKindOpt = typer.Option([], "--exclude-kind", metavar="KIND",
                              help="Do not read this type: Kind, plural, plural.group or *.group; repeatable.")
TimeoutOpt = typer.Option(30.0, "--request-timeout", metavar="SECONDS", help="Timeout of each API request.")
QpsOpt = typer.Option(50.0, "--qps", help="API requests per second per cluster (0: no limit).")
ConcurrencyOpt = typer.Option(8, "--concurrency", help="API requests in flight per cluster.")
KubeletOpt = typer.Option(True, "--kubelet-config/--no-kubelet-config",
                          help="Read each node's kubelet configuration (needs get on nodes/proxy).")


def live_options(kubeconfig, contexts, all_contexts, in_cluster, namespaces, exclude_namespaces, include_kinds,
                 exclude_kinds, timeout, qps, concurrency, kubelet_config, cluster_name=None):
    """Check the flags and build ``LiveOptions`` (no I/O, no kubernetes import)."""
    from ..collect.live_config import LiveOptions

    if timeout <= 0:
        raise UsageError("--request-timeout must be more than 0 seconds")
    if qps < 0:
        raise UsageError("--qps must be 0 (no limit) or more")
    if concurrency < 1:
        raise UsageError("--concurrency must be at least 1")
    return LiveOptions(
        kubeconfig=kubeconfig, contexts=list(contexts or []), all_contexts=all_contexts, in_cluster=in_cluster,
        cluster_name=cluster_name, namespaces=list(namespaces or []),
        exclude_namespaces=list(exclude_namespaces or []), include_kinds=list(include_kinds or []),
        exclude_kinds=list(exclude_kinds or []), timeout=float(timeout), qps=float(qps),
        burst=max(1, int(qps * 2)), concurrency=int(concurrency), kubelet_config=kubelet_config,
    )


def collect_with_progress(live, show_progress: bool, summary: bool = True):
    """Resolve targets and collect them under one progress display on stderr; one summary line per cluster
    (unless ``summary`` is off: the caller reports what was not collected)."""
    from ..collect.live import collect_targets
    from ..collect.live_config import LiveConfigError, resolve_targets

    try:
        targets, kc = resolve_targets(live)
    except LiveConfigError as exc:
        raise UsageError(str(exc)) from None
    console = err_console()
    show = show_progress and sys.stderr.isatty()
    with Progress(TextColumn("{task.description}"), TextColumn("[dim]{task.fields[state]}"), BarColumn(),
                  MofNCompleteColumn(), TextColumn("{task.fields[objects]:>9,} objects"), TimeElapsedColumn(),
                  console=console, transient=True, disable=not show) as bar:
        tasks = {t.name: bar.add_task(t.name, total=None, state="waiting", objects=0) for t in targets}
        objects_seen = dict.fromkeys(tasks, 0)
        steps_done = dict.fromkeys(tasks, 0)
        lock = threading.Lock()

        def progress(cluster: str, state: Optional[str], total: Optional[int], advance: int, objects: int) -> None:
            with lock:
                task = tasks[cluster]
                objects_seen[cluster] += objects
                if total is not None:  # a new phase (listing, kubelet config) with its own count
                    bar.reset(task, total=total, start=True)
                    steps_done[cluster] = 0
                steps_done[cluster] += advance
                fields = {"objects": objects_seen[cluster]}
                if state is not None:
                    fields["state"] = state
                bar.update(task, advance=advance, **fields)
                if state in ("done", "failed"):  # a full bar instead of an endless pulse
                    n = max(steps_done[cluster], 1)
                    bar.update(task, total=n, completed=n)

        results = collect_targets(targets, kc, live, progress)
    for r in results if summary else ():
        if r.reachable:
            problems = len(r.report.unavailable.get(r.name, {}))
            console.print(f"[green]collected[/green] {r.name}: {len(r.objects):,} objects from {r.resource_types} "
                          f"resource types in {r.seconds:.1f}s ({r.requests:,} requests)"
                          + (f"; [yellow]{problems} not collected[/yellow]" if problems else ""),
                          highlight=False, soft_wrap=True)
        else:
            console.print(f"[red]not collected[/red] {r.name}: {r.report.unavailable[r.name]['*']}",
                          highlight=False, soft_wrap=True)
    return results


def run_live_scan(live, opts: ScanOptions) -> int:
    """``kubeguard scan`` without PATHs: collect the clusters, then evaluate like any other input."""
    from ..collect.live import to_manifest_set

    results = collect_with_progress(live, opts.progress)
    opts.inputs = {"mode": "live", "clusters": [r.name for r in results]}
    if live.namespaces:
        opts.inputs["namespaces"] = list(live.namespaces)
    if live.exclude_namespaces:
        opts.inputs["excludeNamespaces"] = list(live.exclude_namespaces)
    return execute(to_manifest_set(results), results[0].name, opts)


def collect_command(
    output: str = typer.Option(..., "-o", "--output", help="Snapshot file to write, e.g. fleet.snapshot.json.gz."),
    kubeconfig: Optional[str] = KubeconfigOpt, context: list[str] = ContextOpt, all_contexts: bool = AllContextsOpt,
    in_cluster: bool = InClusterOpt, namespace: list[str] = NamespaceOpt, exclude_namespace: list[str] = ExcludeNsOpt,
    include_kind: list[str] = IncludeKindOpt, exclude_kind: list[str] = ExcludeKindOpt,
    request_timeout: float = TimeoutOpt, qps: float = QpsOpt, concurrency: int = ConcurrencyOpt,
    kubelet_config: bool = KubeletOpt,
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Cluster name for --in-cluster (default in-cluster)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 3 when anything could not be collected."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress display on stderr."),
) -> None:
    """Read live clusters into a fleet snapshot; 'kubeguard scan SNAPSHOT' evaluates it later, offline."""
    from .main import _run

    def body() -> int:
        from ..collect.live import write_fleet_snapshot

        live = live_options(kubeconfig, context, all_contexts, in_cluster, namespace, exclude_namespace,
                            include_kind, exclude_kind, request_timeout, qps, concurrency, kubelet_config, cluster)
        results = collect_with_progress(live, progress)
        console = err_console()
        reachable = [r for r in results if r.reachable]
        if not reachable:
            console.print("[red]no cluster could be collected; no snapshot written[/red]")
            return EXIT_INCOMPLETE
        try:
            size = write_fleet_snapshot(output, results)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None
        objects = sum(len(r.objects) for r in results)
        console.print(f"wrote {output}: {len(results)} cluster(s), {objects:,} objects, {size / 1e6:.1f} MB",
                      highlight=False)
        errors = [i for r in results for i in r.report.errors]
        for issue in errors[:20]:
            console.print(f"[red]error:[/red] {issue.one_line()}", highlight=False)
        if len(errors) > 20:
            console.print(f"[red]error:[/red] ... and {len(errors) - 20} more (kept in the snapshot)")
        incomplete = any(r.report.unavailable.get(r.name) for r in results) or bool(errors)
        if strict and incomplete:
            console.print("[yellow]collection incomplete (--strict)[/yellow]")
            return EXIT_INCOMPLETE
        return EXIT_OK

    _run(body)

"""``kubeguard netpol``: can-reach, matrix, diff and suggest over manifests, snapshots or a live cluster."""

from __future__ import annotations

import os
import sys
from pathlib import Path as FsPath
from typing import Optional

import typer

from .pipeline import EXIT_INCOMPLETE, EXIT_USAGE, UsageError, err_console

netpol_app = typer.Typer(
    help="NetworkPolicy reachability: who can reach whom, why, what changed, and policies to start from.",
    no_args_is_help=True, add_completion=False, context_settings={"help_option_names": ["-h", "--help"]})

PathsArg = typer.Argument(None, help="Manifests, folders, charts, kustomizations or snapshots; none: the current "
                                     "kubeconfig context.")
CniOpt = typer.Option(None, "--cni", metavar="NAME",
                      help="CNI enforcing the policies (calico, cilium, azure-npm, aws-vpc-cni, gke-dataplane-v2, "
                           "flannel, ...); default: the cluster facts, else upstream semantics.")
ClusterOpt = typer.Option(None, "--cluster", help="Cluster to use when the input holds several.")
ContextOpt = typer.Option(None, "--context", help="Kubeconfig context for a live cluster (no PATH given).")
OutputOpt = typer.Option(None, "-o", "--output", help="Write to this file instead of standard output.")
ColorOpt = typer.Option("auto", "--color", help="auto, always or never (NO_COLOR is honoured).")


class _Input:
    """One cluster's inventory, its network graph and the line finder for explanations."""

    def __init__(self, paths: list[str] | None, cluster: str | None, cni: str | None, context: str | None,
                 label: str = ""):
        from ..collect.files import SourceTexts, read_paths
        from ..graph.network import build
        from ..graph.network_cni import get_profile
        from ..model import ClusterFacts, Inventory

        console = err_console()
        if paths:
            ms = read_paths(paths, cluster or "manifests")
        else:
            ms = _live(context, cluster)
        for issue in ms.report.issues:
            level = "error" if issue.level == "error" else "warning"
            console.print(f"[{'red' if level == 'error' else 'yellow'}]{level}:[/] {label}{issue.one_line()}",
                          highlight=False, soft_wrap=True)
        names = sorted({o.cluster for o in ms.objects} | set(ms.clusters))
        if not names:
            raise UsageError(f"{label}nothing could be read")
        if cluster is None:
            if len(names) > 1:
                raise UsageError(f"{label}the input holds several clusters ({', '.join(names)}); pick one with --cluster")
            cluster = names[0]
        elif cluster not in names:
            raise UsageError(f"{label}no cluster {cluster!r} in the input; it holds {', '.join(names)}")
        unavailable = ms.report.unavailable.get(cluster, {})
        for key in ("*", "NetworkPolicy", "networkpolicies", "Pod", "pods"):
            if key in unavailable:
                what = "the cluster" if key == "*" else key
                raise _Unknown(f"{label}{what} could not be collected in cluster {cluster} ({unavailable[key]}); "
                               f"reachability is unknown")
        facts = ms.clusters.get(cluster) or ClusterFacts(name=cluster)
        inv = Inventory.build([facts], [o for o in ms.objects if o.cluster == cluster])
        self.cluster = inv.cluster(cluster)
        try:
            profile = get_profile(cni, kubernetes_version=facts.kubernetes_version) if cni else None
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
        self.graph = build(self.cluster, profile)
        self.locate = SourceTexts(ms.texts).line_of
        if not self.graph.pods:
            console.print(f"[yellow]warning:[/] {label}no pods or workloads in cluster {cluster}: there is nothing to "
                          f"connect (policies alone do not make a matrix)", highlight=False, soft_wrap=True)
        for p in self.graph.problems():
            if p.severity == "error":
                src = p.policy.obj.source
                where = f"{src.file}:{self.locate(p.policy.obj, p.path) or src.line or '?'}: " if src.file else ""
                console.print(f"[yellow]warning:[/] {label}{where}{p.policy.ref} {_path(p.path)}: {p.message}; "
                              f"the API server would reject this policy, so it is not evaluated",
                              highlight=False, soft_wrap=True)


class _Unknown(Exception):
    pass


def _path(path) -> str:
    from ..model.objects import render_path

    return render_path(path)


def _live(context: str | None, cluster: str | None):
    from ..collect.live import to_manifest_set
    from .live_cmd import collect_with_progress, live_options

    live = live_options(None, [context] if context else [], False, False, [], [], [], [], 30.0, 50.0, 8, False,
                        cluster)
    return to_manifest_set(collect_with_progress(live, sys.stderr.isatty()))


def _color(color: str, to_file: bool) -> bool:
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color must be auto, always or never, not {color!r}")
    if color == "always":
        return True
    return color == "auto" and not to_file and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _width(to_file: bool) -> int:
    try:
        return os.get_terminal_size().columns if not to_file and sys.stdout.isatty() else 160
    except OSError:
        return 160


def _emit(data: bytes, output: str | None) -> None:
    if output:
        try:
            FsPath(output).write_bytes(data)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _run(fn) -> None:
    try:
        code = fn()
    except UsageError as exc:
        err_console().print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    except _Unknown as exc:
        err_console().print(f"[red]unknown:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_INCOMPLETE) from None
    raise typer.Exit(code or 0)


@netpol_app.command("can-reach")
def can_reach(
    src: str = typer.Argument(..., help="NS/POD, NS/KIND/NAME, node:NAME, an IP address or 'internet'."),
    dst: str = typer.Argument(..., help="NS/POD, NS/KIND/NAME, node:NAME, an IP address or 'internet'."),
    paths: list[str] = PathsArg,
    port: Optional[str] = typer.Option(None, "--port", "-p", help="Destination port number or name (default: any)."),
    protocol: str = typer.Option("TCP", "--protocol", help="TCP, UDP or SCTP."),
    fmt: str = typer.Option("text", "-f", "--format", help="text or json."),
    cni: Optional[str] = CniOpt, cluster: Optional[str] = ClusterOpt, context: Optional[str] = ContextOpt,
    color: str = ColorOpt,
) -> None:
    """Can SRC open a connection to DST?  Exit 0 when reachable, 1 when not, 3 when it cannot be told; says which
    policies and rules decide."""

    def body() -> int:
        from ..graph.network_explain import explain, query_ports
        from ..report.netpol_matrix import render_verdict

        proto = protocol.upper()
        if proto not in ("TCP", "UDP", "SCTP"):
            raise UsageError(f"--protocol must be TCP, UDP or SCTP, not {protocol!r}")
        if fmt not in ("text", "json"):
            raise UsageError(f"--format must be text or json, not {fmt!r}")
        inp = _Input(paths, cluster, cni, context)
        g = inp.graph
        try:
            a, b = g.endpoint(src), g.endpoint(dst)
            _, what = query_ports(b, proto, port)
            v = explain(g, a, b, proto, port, inp.locate)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        _emit(render_verdict(v, a.id, b.id, what, "json" if fmt == "json" else "table", _color(color, False),
                             _width(False)), None)
        return EXIT_INCOMPLETE if v.undecided else 0 if v.allowed else 1

    _run(body)


@netpol_app.command()
def matrix(
    paths: list[str] = PathsArg,
    level: str = typer.Option("pod", "--level", help="pod, workload or namespace."),
    fmt: str = typer.Option("table", "-f", "--format", help="table, csv, json, md, dot or html."),
    output: Optional[str] = OutputOpt,
    protocol: list[str] = typer.Option([], "--protocol", help="Only these protocols in json/csv rows; repeatable."),
    spec: bool = typer.Option(False, "--spec", help="The policies as written, not what the CNI enforces."),
    cni: Optional[str] = CniOpt, cluster: Optional[str] = ClusterOpt, context: Optional[str] = ContextOpt,
    color: str = ColorOpt,
) -> None:
    """Who can reach whom: every pair of pods (or workloads, or namespaces) with the ports allowed."""

    def body() -> int:
        from ..graph.network_matrix import LEVELS, build_matrix
        from ..graph.network_sets import PROTOCOLS
        from ..report.netpol_matrix import MATRIX_FORMATS, render_matrix

        if level not in LEVELS:
            raise UsageError(f"--level must be one of {', '.join(LEVELS)}, not {level!r}")
        if fmt not in MATRIX_FORMATS:
            raise UsageError(f"--format must be one of {', '.join(MATRIX_FORMATS)}, not {fmt!r}")
        protos = tuple(p.upper() for p in protocol) or PROTOCOLS
        bad = [p for p in protos if p not in PROTOCOLS]
        if bad:
            raise UsageError(f"--protocol must be TCP, UDP or SCTP, not {bad[0]!r}")
        inp = _Input(paths, cluster, cni, context)
        m = build_matrix(inp.graph, level, practice=not spec)
        _emit(render_matrix(m, fmt, _color(color, bool(output)), _width(bool(output)), protos), output)
        return 0

    _run(body)


@netpol_app.command()
def diff(
    old: str = typer.Argument(..., help="The earlier manifests folder, file or snapshot."),
    new: str = typer.Argument(..., help="The later manifests folder, file or snapshot."),
    level: str = typer.Option("workload", "--level", help="pod, workload or namespace."),
    fmt: str = typer.Option("table", "-f", "--format", help="table, json, md or csv."),
    output: Optional[str] = OutputOpt,
    cni: Optional[str] = CniOpt, cluster: Optional[str] = ClusterOpt, color: str = ColorOpt,
) -> None:
    """Connections gained and lost between two policy sets or snapshots.  Exit 0 when nothing changed, 1 otherwise."""

    def body() -> int:
        from ..graph.network_matrix import LEVELS, build_matrix, diff_matrices
        from ..report.netpol_matrix import DIFF_FORMATS, render_diff

        if level not in LEVELS:
            raise UsageError(f"--level must be one of {', '.join(LEVELS)}, not {level!r}")
        if fmt not in DIFF_FORMATS:
            raise UsageError(f"--format must be one of {', '.join(DIFF_FORMATS)}, not {fmt!r}")
        a = _Input([old], cluster, cni, None, label="OLD: ")
        b = _Input([new], cluster, cni, None, label="NEW: ")
        d = diff_matrices(build_matrix(a.graph, level), build_matrix(b.graph, level))
        _emit(render_diff(d, fmt, _color(color, bool(output)), _width(bool(output))), output)
        return 1 if d.changes else 0

    _run(body)


@netpol_app.command()
def suggest(
    paths: list[str] = PathsArg,
    output: Optional[str] = OutputOpt,
    include_system: bool = typer.Option(False, "--include-system", help="Also kube-system, kube-public, "
                                                                          "kube-node-lease."),
    cluster: Optional[str] = ClusterOpt, context: Optional[str] = ContextOpt,
) -> None:
    """Least-privilege NetworkPolicies (YAML): default deny per namespace, DNS, Services' target ports, ingress
    controllers."""

    def body() -> int:
        import yaml

        from ..graph.network_suggest import suggest as make

        inp = _Input(paths, cluster, None, context)
        docs = make(inp.cluster, inp.graph, include_system)
        if not docs:
            raise UsageError("no pods found: nothing to suggest")
        head = (f"# NetworkPolicies suggested by kubeguard for cluster {inp.graph.cluster}.\n"
                "# Sources of Service traffic are not in the manifests, so any pod may call a Service on its\n"
                "# target ports; narrow the 'from' of allow-<service> policies to the real clients.\n"
                "# Egress to the internet and to the Kubernetes API is denied: add what your workloads need.\n")
        _emit((head + yaml.safe_dump_all(docs, sort_keys=False, width=120)).encode(), output)
        return 0

    _run(body)

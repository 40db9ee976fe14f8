"""The ``kubeguard`` command: argument parsing and wiring only."""

from __future__ import annotations

import gc
import sys
from pathlib import Path as FsPath
from typing import Optional

import typer
from rich.markup import escape

from .._version import __version__
from .pipeline import EXIT_USAGE, ScanOptions, UsageError, err_console, execute, parse_outputs
from . import live_cmd

app = typer.Typer(
    name="kubeguard",
    help="Kubernetes security posture across clusters and clouds: manifests, snapshots and live clusters.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kubeguard {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """kubeguard: one consistent posture view over EKS, AKS, GKE and on-prem clusters."""


# Options shared by scan and demo -----------------------------------------------------
FormatOpt = typer.Option([], "-f", "--format", metavar="FMT[=FILE]",
                         help="Output format (table, json, sarif, junit, ...); repeat with =FILE for several.")
OutputOpt = typer.Option(None, "-o", "--output", help="File for the single -f format (default: stdout).")
FailOnOpt = typer.Option(None, "--fail-on", metavar="SEVERITY",
                         help="Exit 1 when a finding at or above SEVERITY is not exempt (critical..info, none).")
StrictOpt = typer.Option(False, "--strict", help="Exit 3 when any input could not be read or collected.")
ConfigOpt = typer.Option(None, "--config", help="Config file (default: ./.kubeguard.yaml).")
IgnoreOpt = typer.Option(None, "--ignore-file", help="Exceptions file (default: .kubeguardignore.yaml, searched upwards).")
RulesOpt = typer.Option([], "--rules", help="Only these rules (code, slug, domain/*, tag:NAME); repeatable.")
SkipOpt = typer.Option([], "--skip-rules", help="Skip these rules; repeatable.")
SeverityOpt = typer.Option([], "-s", "--severity", help="Show only findings of these severities (comma list).")
PassedOpt = typer.Option(False, "--include-passed", help="Also emit a PASS finding per object and rule.")
ExemptOpt = typer.Option(False, "--show-exempt", help="List exempt findings in the table.")
ProgressOpt = typer.Option(True, "--progress/--no-progress", help="Progress display on stderr.")
ColorOpt = typer.Option("auto", "--color", help="auto, always or never (NO_COLOR is honoured).")
MaxOpt = typer.Option(None, "--max-findings",
                      help="Table only: detailed rows for the N most severe findings (default 100; 0 shows all).")
FrameworkOpt = typer.Option([], "--framework", help="Report compliance with a framework (see 'kubeguard frameworks').")


def _options(formats, output, fail_on, strict, config, ignore_file, rules, skip, severity, include_passed,
             show_exempt, progress, color, max_findings, frameworks, inputs) -> ScanOptions:
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color must be auto, always or never, not {color!r}")
    return ScanOptions(
        outputs=parse_outputs(formats, output), fail_on=fail_on, strict=strict, config=config,
        ignore_file=ignore_file, include=list(rules), exclude=list(skip), severity=list(severity),
        include_passed=include_passed, show_exempt=show_exempt, progress=progress, color=color,
        max_findings=max_findings, frameworks=list(frameworks), inputs=inputs,
    )


def _run(fn) -> None:
    """Run a command body; usage errors are one line and exit 2, never a traceback."""
    # A one-shot command builds a large, long-lived and almost acyclic heap (the inventory);
    # cyclic collections would traverse it again and again: 25-35% of a scan's CPU, for ~2% memory.
    gc.disable()
    try:
        code = fn()
    except UsageError as exc:
        err_console().print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        err_console().print("interrupted")
        raise typer.Exit(130) from None
    raise typer.Exit(code or 0)


@app.command()
def scan(
    paths: list[str] = typer.Argument(None, help="Files, directories, charts, kustomizations, snapshots, '-' for stdin. "
                                                 "None: the current kubeconfig context."),
    cluster: str = typer.Option("manifests", "--cluster", help="Cluster name for manifests given as PATHs."),
    cloud: list[str] = typer.Option([], "--cloud", metavar="FILE|CLUSTER=FILE|URI",
                                    help="Cloud cluster settings: JSON of aws eks describe-cluster (and companions), "
                                         "az aks show or gcloud container clusters describe; or eks://REGION/NAME, "
                                         "gke://PROJECT/LOCATION/NAME, aks://SUBSCRIPTION/GROUP/NAME (live, needs "
                                         "the aws/gcp/azure extra). Repeatable."),
    peer_annotations: bool = typer.Option(
        False, "--peer-annotations",
        help="Honour other tools' skip annotations (checkov.io/skipN, ignore-check.kube-linter.io/CHECK, "
             "polaris.fairwinds.com/CHECK-exempt) for the rules that list the skipped check as equivalent."),
    kubernetes_version: Optional[str] = typer.Option(
        None, "--kubernetes-version", metavar="VERSION",
        help="Kubernetes version the manifests are for (e.g. 1.31): Pod Security definitions, API deprecations "
             "and version-dependent defaults follow it. Default: the newest definitions."),
    node_config: list[str] = typer.Option([], "--node-config", metavar="FILE|[CLUSTER/]NODE=FILE",
                                          help="Kubelet configuration of a node: a KubeletConfiguration file or the "
                                               "JSON of /api/v1/nodes/NODE/proxy/configz; its flags (systemd unit, "
                                               "kubeadm-flags.env, /proc/PID/cmdline); or a file a kube-apiserver flag "
                                               "names (EncryptionConfiguration, audit Policy, AdmissionConfiguration). "
                                               "Repeatable."),
    formats: list[str] = FormatOpt, output: Optional[str] = OutputOpt, fail_on: Optional[str] = FailOnOpt,
    strict: bool = StrictOpt, config: Optional[str] = ConfigOpt, ignore_file: Optional[str] = IgnoreOpt,
    rules: list[str] = RulesOpt, skip_rules: list[str] = SkipOpt, severity: list[str] = SeverityOpt,
    include_passed: bool = PassedOpt, show_exempt: bool = ExemptOpt, progress: bool = ProgressOpt,
    color: str = ColorOpt, max_findings: Optional[int] = MaxOpt, framework: list[str] = FrameworkOpt,
    kubeconfig: Optional[str] = live_cmd.KubeconfigOpt, context: list[str] = live_cmd.ContextOpt,
    all_contexts: bool = live_cmd.AllContextsOpt, in_cluster: bool = live_cmd.InClusterOpt,
    namespace: list[str] = live_cmd.NamespaceOpt, exclude_namespace: list[str] = live_cmd.ExcludeNsOpt,
    include_kind: list[str] = live_cmd.IncludeKindOpt, exclude_kind: list[str] = live_cmd.ExcludeKindOpt,
    request_timeout: float = live_cmd.TimeoutOpt, qps: float = live_cmd.QpsOpt,
    concurrency: int = live_cmd.ConcurrencyOpt, kubelet_config: bool = live_cmd.KubeletOpt,
) -> None:
    """Scan manifests, Helm charts, Kustomize folders, snapshots, or live clusters."""

    def body() -> int:
        opts = _options(formats, output, fail_on, strict, config, ignore_file, rules, skip_rules, severity,
                        include_passed, show_exempt, progress, color, max_findings, framework,
                        {"mode": "manifests", "paths": list(paths or [])})
        opts.cloud = list(cloud)
        opts.node_configs = list(node_config)
        opts.kubernetes_version = kubernetes_version
        opts.peer_annotations = peer_annotations
        live = live_cmd.live_options(kubeconfig, context, all_contexts, in_cluster, namespace, exclude_namespace,
                                     include_kind, exclude_kind, request_timeout, qps, concurrency, kubelet_config,
                                     cluster if cluster != "manifests" else None)
        if not paths and (cloud or node_config) and not live.wants_live:
            from ..collect.files import ManifestSet

            opts.inputs["mode"] = "cloud" if cloud else "node-config"
            return execute(ManifestSet(), cluster, opts)  # cloud settings or node configuration only
        if not paths:
            return live_cmd.run_live_scan(live, opts)
        if live.wants_live:
            raise UsageError("--kubeconfig, --context, --all-contexts, --in-cluster and -n/--exclude-namespace "
                             "read live clusters; do not give PATHs with them")
        from ..collect.files import read_paths
        from .pipeline import reading_progress

        with reading_progress(opts) as on_progress:
            ms = read_paths(paths, cluster, on_progress=on_progress)
        if any(o.source.origin == "snapshot" for o in ms.objects) or ms.clusters:
            opts.inputs["mode"] = "snapshot" if all(o.source.origin == "snapshot" for o in ms.objects) else "mixed"
        return execute(ms, cluster, opts)

    _run(body)


DEMO_TABLE_FINDINGS = 30


@app.command()
def demo(
    formats: list[str] = FormatOpt, output: Optional[str] = OutputOpt, fail_on: Optional[str] = FailOnOpt,
    rules: list[str] = RulesOpt, skip_rules: list[str] = SkipOpt, severity: list[str] = SeverityOpt,
    show_exempt: bool = ExemptOpt, progress: bool = ProgressOpt, color: str = ColorOpt,
    max_findings: Optional[int] = MaxOpt, framework: list[str] = FrameworkOpt,
) -> None:
    """Scan the bundled demo fleet (EKS, AKS and GKE shaped clusters); no cluster or network needed."""

    def body() -> int:
        from ..collect.fleet import DEMO_FLEET, read_fleet

        # the demo fleet fails hundreds of checks: the table shows the most severe (-f json has them all)
        opts = _options(formats, output, fail_on, False, None, None, rules, skip_rules, severity, False,
                        show_exempt, progress, color, DEMO_TABLE_FINDINGS if max_findings is None else max_findings,
                        framework, {"mode": "demo", "paths": ["kubeguard/demo/fleet.yaml"]})
        ms = read_fleet(DEMO_FLEET, source="demo")
        opts.ignore_file = str(DEMO_FLEET.parent / ".kubeguardignore.yaml") if (
            DEMO_FLEET.parent / ".kubeguardignore.yaml").is_file() else None
        return execute(ms, "demo", opts)

    _run(body)


@app.command()
def report(
    result_file: str = typer.Argument(..., help="A ScanResult JSON written by 'kubeguard scan -f json'."),
    formats: list[str] = FormatOpt, output: Optional[str] = OutputOpt, color: str = ColorOpt,
    max_findings: Optional[int] = MaxOpt, show_exempt: bool = ExemptOpt,
) -> None:
    """Render a saved ScanResult in other formats without scanning again."""

    def body() -> int:
        import orjson

        from ..model.result import ScanResult
        from .pipeline import _write

        try:
            result = ScanResult.from_dict(orjson.loads(FsPath(result_file).read_bytes()))
        except OSError as exc:
            raise UsageError(f"cannot read {result_file}: {exc.strerror}") from None
        except (orjson.JSONDecodeError, ValueError, KeyError) as exc:
            raise UsageError(f"{result_file}: {exc}") from None
        opts = ScanOptions(outputs=parse_outputs(formats, output), color=color, max_findings=max_findings,
                           show_exempt=show_exempt)
        for spec in opts.outputs:
            _write(result, spec, opts)
        return 0

    _run(body)


from .rules_cmd import rules_app  # noqa: E402

app.add_typer(rules_app, name="rules")
app.command(name="collect")(live_cmd.collect_command)
from .frameworks_cmd import frameworks_app  # noqa: E402
app.add_typer(frameworks_app, name="frameworks")
from .docs_cmd import docs_app  # noqa: E402
app.add_typer(docs_app, name="docs")
from .netpol_cmd import netpol_app  # noqa: E402
app.add_typer(netpol_app, name="netpol")
from .rbac_cmd import rbac_app  # noqa: E402
app.add_typer(rbac_app, name="rbac")


def main() -> None:
    try:
        app(prog_name="kubeguard")
    except BrokenPipeError:  # e.g. kubeguard rules | head
        sys.stderr.close()
        sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    main()

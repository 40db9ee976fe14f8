"""``kubeguard rbac``: who-can, can, graph — RBAC answers from manifests, snapshots or a live cluster.

Inputs are the same as ``scan``: PATHs (files, folders, charts, kustomizations,
snapshots); with no PATH, ``--snapshot FILE`` or the live cluster of the current
kubeconfig context (``--context`` to choose).  ``--cloud FILE`` adds exported cloud JSON
(EKS access entries and policies, pod identity associations, cluster descriptions) so
cloud principals appear in the answers.  For manifests, the upstream default
ClusterRoles (cluster-admin, admin, edit, view and the discovery roles) are resolved
when referenced; ``--assume-defaults`` also adds upstream's default bindings
(cluster-admin to system:masters, discovery roles to system:authenticated ...).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path as FsPath
from typing import Any, Optional

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .pipeline import EXIT_INCOMPLETE, UsageError, err_console

rbac_app = typer.Typer(help="RBAC analysis: who can do what, what a subject can do, and the picture.",
                       no_args_is_help=True)

PathsArg = typer.Argument(None, help="Manifests, folders, charts, kustomizations or snapshots. None: --snapshot, "
                                     "or the live cluster of the kubeconfig context.")
SnapshotOpt = typer.Option(None, "--snapshot", help="A fleet snapshot written by 'kubeguard collect'.")
ClusterOpt = typer.Option(None, "--cluster", help="Which cluster, when the input holds several (manifests: the name).")
CloudOpt = typer.Option([], "--cloud", metavar="FILE", help="Cloud JSON as for 'scan --cloud': cluster description, "
                                                            "EKS access entries and policies, pod identity "
                                                            "associations. Repeatable.")
DefaultsOpt = typer.Option(False, "--assume-defaults", help="Manifests only: add upstream's default bindings "
                                                           "(cluster-admin to system:masters, discovery roles).")
FormatOpt = typer.Option("table", "-f", "--format", help="table or json.")
ContextOpt = typer.Option([], "--context", help="Live: kubeconfig context (default: the current one).")
KubeconfigOpt = typer.Option(None, "--kubeconfig", help="Live: kubeconfig file.")
ColorOpt = typer.Option("auto", "--color", help="auto, always or never (NO_COLOR is honoured).")
RBAC_KINDS = ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
RBAC_GROUP = "rbac.authorization.k8s.io"
RBAC_RESOURCES = {k: f"{k.lower()}s.{RBAC_GROUP}" for k in RBAC_KINDS}  # as live collection names them


class Loaded:
    def __init__(self, graph: Any, cluster: Any, incomplete: list[str]):
        self.graph = graph
        self.cluster = cluster
        self.incomplete = incomplete


def load(paths: list[str] | None, snapshot: str | None, cluster: str | None, cloud: list[str],
         assume_defaults: bool, contexts: list[str], kubeconfig: str | None) -> Loaded:
    """Read the input, pick one cluster, attach identity facts, build its RBAC graph."""
    from ..collect.cloud_identity import attach_identity_facts
    from ..collect.files import read_paths
    from ..graph.rbac import build
    from ..model.cloud import ClusterFacts
    from ..model.inventory import Inventory

    console = err_console()
    sources = list(paths or []) + ([snapshot] if snapshot else [])
    if sources:
        if contexts or kubeconfig:
            raise UsageError("--context/--kubeconfig read a live cluster; do not give PATHs or --snapshot with them")
        ms = read_paths(sources, cluster or "manifests")
    else:
        ms = _live(contexts, kubeconfig)
    names = sorted(set(ms.clusters) | {o.cluster for o in ms.objects})
    if not names:
        _print_issues(console, ms.report.issues)
        raise _Incomplete("nothing could be read")
    if cluster is None:
        if len(names) > 1:
            raise UsageError(f"the input holds {len(names)} clusters ({', '.join(names)}); choose one with --cluster")
        cluster = names[0]
    elif cluster not in names:
        raise UsageError(f"no cluster {cluster!r} in the input; it holds {', '.join(names)}")
    unavailable = ms.report.unavailable.get(cluster, {})
    gaps = rbac_gaps(unavailable)
    # each problem once: what the incomplete line (or the not-collected error) says is not repeated
    said = {RBAC_RESOURCES[k] for k in gaps if k in RBAC_RESOURCES} | {k[len("discovery "):] for k in gaps
                                                                     if k.startswith("discovery ")}
    _print_issues(console, [i for i in ms.report.issues if (i.cluster is None or i.cluster == cluster)
                            and not (i.cluster and i.resource in said)
                            and not ("*" in unavailable and i.message == f"not collected: {unavailable['*']}")])
    if "*" in unavailable:
        raise _Incomplete(f"cluster {cluster}: not collected: {unavailable['*']}")
    facts = dict(ms.clusters)
    facts.setdefault(cluster, ClusterFacts(name=cluster, source="manifests"))
    only = {cluster: facts[cluster]}
    if cloud:
        from ..collect.cloud import attach_cloud

        seen = len(ms.report.issues)
        only.update(attach_cloud(cloud, only, ms.report))
        _print_issues(console, ms.report.issues[seen:])
    seen = len(ms.report.issues)
    attach_identity_facts(only, ms.objects, ms.report)
    _print_issues(console, ms.report.issues[seen:])
    inv = Inventory.build(only.values(), [o for o in ms.objects if o.cluster == cluster])
    ci = inv.cluster(cluster)
    incomplete = [f"{k} ({unavailable[k]})" for k in gaps]
    if incomplete:
        console.print(f"[yellow]incomplete:[/yellow] {escape(f'cluster {cluster}: not collected: ')}"
                      f"{escape(', '.join(incomplete))}; the answer is a lower bound", highlight=False)
    return Loaded(build(ci, assume_defaults=assume_defaults), ci, incomplete)


def rbac_gaps(unavailable: dict[str, str]) -> list[str]:
    """The keys of ``unavailable`` that leave RBAC answers incomplete, in a stable order.

    Roles and bindings that could not be listed, and discovery that failed for the
    groups (``/apis`` or the RBAC group), so that the RBAC types were never listed.
    """
    gaps = [k for k in RBAC_KINDS if k in unavailable]
    gaps += sorted(k for k in unavailable if k in ("discovery /apis",) or k.startswith(f"discovery {RBAC_GROUP}/"))
    return gaps


def _print_issues(console: Console, issues) -> None:
    for issue in issues[:20]:
        level = "[red]error:[/red]" if issue.level == "error" else "[yellow]warning:[/yellow]"
        console.print(f"{level} {escape(issue.one_line())}", highlight=False)
    if len(issues) > 20:
        console.print(f"... and {len(issues) - 20} more input problems")


class _Incomplete(UsageError):
    pass


def _live(contexts: list[str], kubeconfig: str | None):
    try:
        from . import live_cmd
        from ..collect.live import to_manifest_set
    except ImportError:  # pragma: no cover - live collection not built in
        raise UsageError("no PATH given and live collection is not available; give manifests or --snapshot") from None
    live = live_cmd.live_options(kubeconfig, contexts, False, False, [], [], [], [], 30.0, 50.0, 8, False)
    results = live_cmd.collect_with_progress(live, True, summary=False)  # load() says what was not read
    if len(results) != 1:
        raise UsageError("choose one cluster with --context")
    return to_manifest_set(results)


def _run(body) -> None:
    try:
        code = body()
    except _Incomplete as exc:
        err_console().print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(EXIT_INCOMPLETE) from None
    except UsageError as exc:
        err_console().print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    raise typer.Exit(code or 0)


def _console(color: str) -> Console:
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color must be auto, always or never, not {color!r}")
    tty = sys.stdout.isatty()
    no_color = color == "never" or (color == "auto" and (not tty or bool(os.environ.get("NO_COLOR"))))
    return Console(no_color=no_color, highlight=False, width=None if tty else 160, force_terminal=color == "always")


def _check_format(fmt: str, allowed: tuple[str, ...]) -> str:
    fmt = fmt.lower()
    if fmt not in allowed:
        raise UsageError(f"unknown format {fmt!r}; expected {' or '.join(allowed)}")
    return fmt


def _rule_text(rule: dict[str, Any]) -> str:
    if "nonResourceURLs" in rule and "resources" not in rule:
        return f"{','.join(rule.get('verbs', []))} {','.join(rule['nonResourceURLs'])}"
    groups = ",".join(g or "core" for g in rule.get("apiGroups", [])) or "-"
    names = f" names={','.join(rule['resourceNames'])}" if rule.get("resourceNames") else ""
    return f"{','.join(rule.get('verbs', []))} {','.join(rule.get('resources', []))} [{groups}]{names}"


def _emit_json(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


# --------------------------------------------------------------------------- who-can
@rbac_app.command("who-can")
def who_can(
    verb: str = typer.Argument(..., help="get, list, create, update, patch, delete, impersonate, bind, escalate, ..."),
    resource: str = typer.Argument(..., help="RESOURCE[.GROUP][/SUBRESOURCE] (pods/exec, deployments.apps) or a "
                                             "non-resource URL (/metrics)."),
    paths: list[str] = PathsArg,
    namespace: Optional[str] = typer.Option(None, "-n", "--namespace", help="Only grants that reach this namespace "
                                                                            "(default: any namespace)."),
    name: Optional[str] = typer.Option(None, "--name", help="Object name (default: any object, so rules with "
                                                           "resourceNames count, shown with their names)."),
    snapshot: Optional[str] = SnapshotOpt, cluster: Optional[str] = ClusterOpt, cloud: list[str] = CloudOpt,
    assume_defaults: bool = DefaultsOpt, fmt: str = FormatOpt, context: list[str] = ContextOpt,
    kubeconfig: Optional[str] = KubeconfigOpt, color: str = ColorOpt,
) -> None:
    """Who may perform VERB on RESOURCE: every user, group, ServiceAccount and cloud principal, with the path."""

    def body() -> int:
        from ..graph.rbac_match import request_from_cli

        out_fmt = _check_format(fmt, ("table", "json"))
        loaded = load(paths, snapshot, cluster, cloud, assume_defaults, context, kubeconfig)
        g = loaded.graph
        crd_groups = {res: grp for grp, res in _crd_plurals(loaded.cluster)}
        try:
            req = request_from_cli(verb, resource, namespace, name, crd_groups)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if req.is_resource and req.resource == "namespaces" and req.group == "":
            req = _replace(req, namespace=name or namespace)
        elif req.is_resource and g.cluster_scoped(req.group, req.resource):
            req = _replace(req, namespace="")
        answers = g.who_can(req)
        if out_fmt == "json":
            _emit_json([a.to_dict() for a in answers])
        else:
            _who_can_table(_console(color), req, answers)
        return EXIT_INCOMPLETE if loaded.incomplete else 0

    _run(body)


def _replace(req, **kw):
    from dataclasses import replace

    return replace(req, **kw)


def _crd_plurals(cluster) -> list[tuple[str, str]]:
    out = []
    for o in cluster.of_kind("CustomResourceDefinition"):
        names = o.spec.get("names") if isinstance(o.spec.get("names"), dict) else {}
        if isinstance(names.get("plural"), str) and isinstance(o.spec.get("group"), str):
            out.append((o.spec["group"], names["plural"]))
    return out


def _who_can_table(console: Console, req, answers) -> None:
    if not answers:
        console.print(escape(f"No subject may {req.describe()}."))
        return
    t = Table(title=escape(f"Who can {req.describe()}"), header_style="bold", show_lines=False)
    for col in ("Kind", "Subject", "Namespace", "Scope", "Via", "Rule"):
        t.add_column(col, overflow="fold")
    for a in answers:
        first = True
        for g in a.via:
            via = g.to_via()
            scope = "cluster-wide" if g.scope is None else f"ns {g.scope}"
            role = f"{via['roleKind']}/{via['role']}" + (f" (from {via['aggregatedFrom']})"
                                                        if via.get("aggregatedFrom") else "")
            binding = f"{via['bindingKind']}/{via['namespace'] + '/' if via['namespace'] else ''}{via['binding']}"
            kind = (a.cloud.type if a.cloud else a.kind) if first else ""
            t.add_row(escape(kind), escape(a.name) if first else "", escape(a.namespace or "") if first else "",
                      escape(scope), escape(f"{binding} → {role}"), escape(_rule_text(via["rule"])),
                      style="bold" if first and a.kind == "Group" and a.name == "system:masters" else None)
            first = False
        t.add_section()
    console.print(t)
    console.print(f"{len(answers)} subjects. system:masters is allowed before RBAC is consulted.", style="dim")


# --------------------------------------------------------------------------- can
@rbac_app.command("can")
def can(
    subject: str = typer.Argument(..., help="user:NAME, group:NAME or sa:NAMESPACE:NAME (a cloud principal: "
                                            "user:ARN or id)."),
    paths: list[str] = PathsArg,
    snapshot: Optional[str] = SnapshotOpt, cluster: Optional[str] = ClusterOpt, cloud: list[str] = CloudOpt,
    assume_defaults: bool = DefaultsOpt, fmt: str = FormatOpt, context: list[str] = ContextOpt,
    kubeconfig: Optional[str] = KubeconfigOpt, color: str = ColorOpt,
) -> None:
    """Everything SUBJECT may do, grouped by scope, with the escalation primitives it holds."""

    def body() -> int:
        from ..graph.rbac import Identity

        out_fmt = _check_format(fmt, ("table", "json"))
        try:
            identity = Identity.parse(subject)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        loaded = load(paths, snapshot, cluster, cloud, assume_defaults, context, kubeconfig)
        g = loaded.graph
        if identity.kind == "User":
            for ci in g.cloud_identities():
                if ci.name == identity.name:
                    identity = ci
        doc = permissions_document(g, identity)
        if out_fmt == "json":
            _emit_json(doc)
        else:
            _can_table(_console(color), doc)
        return EXIT_INCOMPLETE if loaded.incomplete else 0

    _run(body)


def permissions_document(g, identity) -> dict[str, Any]:
    """``can`` as data: effective rules per scope (cluster-wide first), and escalations."""
    scopes: dict[str | None, list[dict[str, Any]]] = {}
    for grant in g.grants_for(identity):
        if not _effective_at_scope(g, grant):
            continue
        via = grant.to_via()
        rule = via.pop("rule")
        scopes.setdefault(grant.scope, []).append({**rule, "via": via})
    order = sorted(scopes, key=lambda s: (s is not None, s or ""))
    return {
        "subject": identity.to_dict() | ({"cloud": identity.cloud.type} if identity.cloud else {}),
        "groups": sorted(k[2] for k in identity.keys() if k[0] == "Group"),
        "scopes": [{"scope": "cluster" if s is None else "namespace", "namespace": s, "rules": scopes[s]}
                   for s in order],
        "escalations": [e.to_dict() for e in g.escalations().of(identity)],
    }


def _effective_at_scope(graph, grant) -> bool:
    """A RoleBinding to a ClusterRole grants nothing for non-resource URLs and cluster-scoped resources."""
    if grant.scope is None:
        return True
    rule = grant.rule
    for res in rule.resources:
        base = res.split("/")[0]
        if base in ("*", "namespaces") or "*" in rule.api_groups:
            return True
        if any(not graph.cluster_scoped(group, base) for group in rule.api_groups):
            return True
    return False


def _can_table(console: Console, doc: dict[str, Any]) -> None:
    s = doc["subject"]
    who = f"{s['kind']} {s['namespace'] + '/' if s.get('namespace') else ''}{s['name']}"
    console.print(f"[bold]{escape(who)}[/bold]  groups: {escape(', '.join(doc['groups']) or '-')}")
    if not doc["scopes"]:
        console.print("RBAC grants this subject nothing.")
    for scope in doc["scopes"]:
        title = "Cluster-wide" if scope["namespace"] is None else f"Namespace {scope['namespace']}"
        t = Table(title=escape(title), header_style="bold", title_justify="left")
        for col in ("Verbs", "Resources / URLs", "API groups", "Names", "Via"):
            t.add_column(col, overflow="fold")
        for r in scope["rules"]:
            via = r["via"]
            cells = (",".join(r.get("verbs", [])), ",".join(r.get("resources", r.get("nonResourceURLs", []))),
                     ",".join(x or "core" for x in r.get("apiGroups", [])), ",".join(r.get("resourceNames", [])),
                     f"{via['bindingKind']}/{via['binding']} → {via['roleKind']}/{via['role']}")
            t.add_row(*(escape(c) for c in cells))
        console.print(t)
    if doc["escalations"]:
        t = Table(title="Escalation primitives held", header_style="bold", title_justify="left")
        for col in ("Primitive", "Where", "Outcome"):
            t.add_column(col, overflow="fold")
        for e in doc["escalations"]:
            t.add_row(e["primitive"], escape("cluster-wide" if e["scope"] is None else f"ns {e['scope']}"),
                      escape(e["outcome"]),
                      style="red" if e["primitive"] in ("cluster-admin",) else None)
        console.print(t)


# --------------------------------------------------------------------------- graph
@rbac_app.command("graph")
def graph_cmd(
    paths: list[str] = PathsArg,
    fmt: str = typer.Option("html", "-f", "--format", help="html, dot or json."),
    output: Optional[str] = typer.Option(None, "-o", "--output", help="File to write (default: stdout; html: "
                                                                      "rbac.html)."),
    namespace: Optional[str] = typer.Option(None, "-n", "--namespace", help="Only bindings of this namespace "
                                                                            "(and ClusterRoleBindings)."),
    subject: Optional[str] = typer.Option(None, "--subject", help="Only subjects whose name contains this."),
    risky_only: bool = typer.Option(False, "--risky-only", help="Only bindings and rules behind an escalation."),
    include_platform: bool = typer.Option(False, "--include-platform", help="Also the platform's own bindings."),
    snapshot: Optional[str] = SnapshotOpt, cluster: Optional[str] = ClusterOpt, cloud: list[str] = CloudOpt,
    assume_defaults: bool = DefaultsOpt, context: list[str] = ContextOpt, kubeconfig: Optional[str] = KubeconfigOpt,
) -> None:
    """The picture: subjects → bindings → roles → rules, risky paths highlighted, filters by namespace and subject."""

    def body() -> int:
        from ..graph.rbac_view import view_document
        from ..report.rbac_html import render_dot, render_html

        out_fmt = _check_format(fmt, ("html", "dot", "json"))
        loaded = load(paths, snapshot, cluster, cloud, assume_defaults, context, kubeconfig)
        doc = view_document(loaded.graph, namespace, subject, risky_only, include_platform)
        if out_fmt == "json":
            data = orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
        elif out_fmt == "dot":
            data = render_dot(doc).encode()
        else:
            data = render_html(doc).encode()
        target = output or ("rbac.html" if out_fmt == "html" and sys.stdout.isatty() else None)
        if target is None or target == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            try:
                FsPath(target).write_bytes(data)
            except OSError as exc:
                raise UsageError(f"cannot write {target}: {exc.strerror}") from None
            err_console().print(f"wrote {target} ({len(doc['nodes'])} nodes, {len(doc['edges'])} edges)"
                                + (" [yellow]truncated[/yellow]" if doc["truncated"] else ""), highlight=False)
        return EXIT_INCOMPLETE if loaded.incomplete else 0

    _run(body)

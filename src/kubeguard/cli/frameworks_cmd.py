"""``kubeguard frameworks``: list the bundled catalogs with their automated coverage; show one catalog."""

from __future__ import annotations

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..docs_gen import framework_page, frameworks_index
from ..engine.frameworks import FrameworkError, NEEDS_REASON, catalog_coverage, catalogs, resolve_frameworks
from ..rules._registry import default_registry
from .pipeline import err_console

frameworks_app = typer.Typer(help="List compliance frameworks or show one framework's requirements.",
                             invoke_without_command=True, no_args_is_help=False)
FORMATS = ("table", "json", "markdown")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; expected {', '.join(FORMATS)}")


def _fail(message: str) -> None:
    err_console().print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(2)


@frameworks_app.callback(invoke_without_command=True)
def list_frameworks(ctx: typer.Context,
                    fmt: str = typer.Option("table", "-f", "--format", help="table, json or markdown.")) -> None:
    """List every framework with how many requirements rules decide and what the others need."""
    if ctx.invoked_subcommand is not None:
        return
    _check_format(fmt)
    registry = default_registry()
    known = [r.code for r in registry]
    try:
        fws = catalogs()
    except FrameworkError as exc:
        _fail(str(exc))
    if fmt == "json":
        typer.echo(orjson.dumps([catalog_coverage(fw, known) for fw in fws], option=orjson.OPT_INDENT_2).decode())
        return
    if fmt == "markdown":
        typer.echo(frameworks_index(fws, registry), nl=False)
        return
    console = Console()
    wide = console.width >= 110  # the titles only fit beside the numbers on a wide terminal
    t = Table(header_style="bold")
    t.add_column("ID", no_wrap=True)
    t.add_column("Version", no_wrap=True)
    if wide:
        t.add_column("Framework", overflow="fold", ratio=1)
    t.add_column("Automated", justify="right", no_wrap=True)
    t.add_column("Without a rule", overflow="fold")
    for fw in fws:
        c = catalog_coverage(fw, known)
        share = c["automated"] / c["total"] if c["total"] else 0
        auto = Text(f"{c['automated']}/{c['total']}",
                    style="green" if share >= 0.6 else "yellow" if share >= 0.3 else "red")
        rest = ", ".join(f"{what} {n}" for what, n in c["needs"].items() if n) or "-"
        t.add_row(fw.id, fw.version, *([fw.title] if wide else []), auto, rest)
    console.print(t)
    console.print(f"{len(fws)} frameworks. Without a rule: requirements that need node, cloud or cluster access, or "
                  "human judgement (manual). 'kubeguard frameworks show ID' lists the requirements.")


@frameworks_app.command("show")
def show(framework_id: str = typer.Argument(..., help="Framework id (newest version) or id-version."),
         fmt: str = typer.Option("table", "-f", "--format", help="table, json or markdown.")) -> None:
    """Print a framework's requirements, their rule ids, and what the others need."""
    _check_format(fmt)
    try:
        [fw] = resolve_frameworks([framework_id])
    except FrameworkError as exc:
        _fail(str(exc))
    registry = default_registry()
    if fmt == "json":
        doc = {**catalog_coverage(fw, (r.code for r in registry)),
               "requirements": [r.model_dump(mode="json", exclude_none=True) for r in fw.requirements]}
        typer.echo(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode())
        return
    if fmt == "markdown":
        typer.echo(framework_page(fw, registry), nl=False)
        return
    console = Console()
    console.print(Text(f"{fw.title} {fw.version} ({fw.key}) · {fw.source}", style="bold"))
    t = Table(header_style="bold")
    for col in ("ID", "Requirement", "Section", "Rules"):
        t.add_column(col, overflow="fold")
    for req in fw.requirements:
        if req.rules:
            rules = Text(", ".join(req.rules))
            for code in req.rules:
                if registry.get(code) is None:
                    rules.append(f"\n{code} not in this build", style="red")
        else:
            rules = Text(f"MANUAL: {NEEDS_REASON[req.needs or 'manual']}", style="dim")
        t.add_row(req.id, req.title, req.section or "", rules)
    console.print(t)
    c = catalog_coverage(fw, (r.code for r in registry))
    console.print(f"{c['automated']} of {c['total']} requirements automated.")

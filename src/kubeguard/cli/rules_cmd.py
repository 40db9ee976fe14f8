"""``kubeguard rules``: list the rules, show a rule's page."""

from __future__ import annotations

from typing import Optional

import orjson
import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from ..docs_gen import rule_page, rules_index
from ..engine.run import rule_to_dict
from ..rules._meta import PEERS
from ..rules._registry import default_registry
from .pipeline import UsageError, err_console

rules_app = typer.Typer(help="List rules or show one rule's page.", invoke_without_command=True,
                        no_args_is_help=False)


@rules_app.callback(invoke_without_command=True)
def list_rules(
    ctx: typer.Context,
    fmt: str = typer.Option("table", "-f", "--format", help="table, json or markdown."),
    peer: Optional[str] = typer.Option(None, "--peer", help=f"Map ids of another tool: {', '.join(PEERS)}."),
    category: Optional[str] = typer.Option(None, "--category", help="Only rules of this category."),
) -> None:
    """List every rule (or map a peer tool's ids to ours with --peer)."""
    if ctx.invoked_subcommand is not None:
        return
    registry = default_registry()
    rules = [r for r in registry if category is None or r.meta.category == category]
    if peer is not None and peer not in PEERS:
        err_console().print(f"[red]error:[/red] unknown peer {peer!r}; expected one of {', '.join(PEERS)}")
        raise typer.Exit(2)
    if fmt == "json":
        docs = [rule_to_dict(r) for r in rules]
        if peer:
            docs = [{"peer": peer, "peerIds": d["peers"].get(peer, []), "code": d["code"], "slug": d["slug"],
                     "title": d["title"]} for d in docs if d["peers"].get(peer)]
        typer.echo(orjson.dumps(docs, option=orjson.OPT_INDENT_2).decode())
        return
    if fmt == "markdown":
        typer.echo(rules_index(registry))
        return
    if fmt != "table":
        err_console().print(f"[red]error:[/red] unknown format {fmt!r}; expected table, json or markdown")
        raise typer.Exit(2)
    console = Console()
    t = Table(header_style="bold")
    if peer:
        t.add_column(peer)
    for col in ("Code", "Slug", "Severity", "Category", "Title"):
        t.add_column(col, overflow="fold")
    for r in rules:
        ids = r.meta.peers.get(peer, ()) if peer else ()
        if peer and not ids:
            continue
        row = [", ".join(ids)] if peer else []
        t.add_row(*row, r.code, r.slug, r.meta.severity, r.meta.category, r.meta.title)
    console.print(t)
    console.print(f"{len(rules)} rules")


@rules_app.command("show")
def show(rule_id: str = typer.Argument(..., help="Rule code, slug or alias."),
         raw: bool = typer.Option(False, "--markdown", help="Print the Markdown source.")) -> None:
    """Print a rule's page, generated from its metadata and docstring."""
    rule = default_registry().get(rule_id)
    if rule is None:
        err_console().print(f"[red]error:[/red] unknown rule {rule_id!r}; 'kubeguard rules' lists them")
        raise typer.Exit(2)
    page = rule_page(rule)
    if raw:
        typer.echo(page)
    else:
        Console().print(Markdown(page))


__all__ = ["rules_app", "UsageError"]

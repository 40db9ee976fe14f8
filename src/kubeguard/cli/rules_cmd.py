"""``kubeguard rules``: list the rules, show a rule's page."""

from __future__ import annotations

from typing import Optional

import orjson
import typer
from rich.markup import escape
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from typer.core import TyperGroup

from ..docs_gen import framework_membership, rule_page, rules_index
from ..engine.frameworks import FrameworkError, catalogs
from ..engine.peers import PeerIndex
from ..engine.run import rule_to_dict
from ..rules._meta import PEERS
from ..rules._registry import Registry, Rule, default_registry
from .pipeline import UsageError, err_console

_PEER_IDS = "kubeguard.rules.peer_ids"


class _RulesGroup(TyperGroup):
    """``rules`` takes peer check ids as arguments beside its subcommands: ``rules --peer checkov CKV_K8S_16``.

    Positional words that are not a subcommand are set aside (in ``ctx.meta``) before Click looks for one.
    """

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        takes_value = {o for p in self.params if p.param_type_name == "option" and not getattr(p, "is_flag", False)
                       for o in (*p.opts, *p.secondary_opts)}
        rest: list[str] = []
        ids: list[str] = []
        value_next = False
        for i, arg in enumerate(args):
            if value_next or arg.startswith("-"):
                rest.append(arg)
                value_next = not value_next and arg in takes_value
            elif not ids and arg in self.commands:
                rest += args[i:]
                break
            else:
                ids.append(arg)
        ctx.meta[_PEER_IDS] = ids
        return super().parse_args(ctx, rest)


rules_app = typer.Typer(help="List rules, map another tool's check ids to ours, or show one rule's page.",
                        invoke_without_command=True, no_args_is_help=False, cls=_RulesGroup)


@rules_app.callback(invoke_without_command=True)
def list_rules(
    ctx: typer.Context,
    fmt: str = typer.Option("table", "-f", "--format", help="table, json or markdown."),
    peer: Optional[str] = typer.Option(None, "--peer", help=f"Map ids of another tool: {', '.join(PEERS)}."),
    category: Optional[str] = typer.Option(None, "--category", help="Only rules of this category."),
) -> None:
    """List every rule; with --peer, each rule's ids in that tool; with --peer and ids, our rules for those ids."""
    if ctx.invoked_subcommand is not None:
        return
    registry = default_registry()
    rules = [r for r in registry if category is None or r.meta.category == category]
    if peer is not None and peer not in PEERS:
        err_console().print(f"[red]error:[/red] unknown peer {peer!r}; expected one of {', '.join(PEERS)}")
        raise typer.Exit(2)
    if fmt not in ("table", "json", "markdown"):
        err_console().print(f"[red]error:[/red] unknown format {fmt!r}; expected table, json or markdown")
        raise typer.Exit(2)
    peer_ids = ctx.meta.get(_PEER_IDS, [])
    if peer_ids:
        if peer is None:
            err_console().print(f"[red]error:[/red] got {peer_ids[0]!r}: name the tool the ids come from with "
                                f"--peer ({', '.join(PEERS)})")
            raise typer.Exit(2)
        raise typer.Exit(_map_peer_ids(registry, peer, peer_ids, fmt))
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


def _map_peer_ids(registry: Registry, peer: str, peer_ids: list[str], fmt: str) -> int:
    """Print our rules for each peer id; exit code 1 when some id has no equivalent (like grep)."""
    index = PeerIndex(registry)
    mapped = [(pid, [registry.get(c) for c in index.rules_for(peer, pid)]) for pid in peer_ids]
    if fmt == "json":
        typer.echo(orjson.dumps([{"peer": peer, "peerId": pid, "rules": [
            {"code": r.code, "slug": r.slug, "title": r.meta.title} for r in rules]} for pid, rules in mapped],
            option=orjson.OPT_INDENT_2).decode())
    else:
        t = Table(header_style="bold")
        for col in (peer, "Code", "Slug", "Title"):
            t.add_column(col, overflow="fold")
        for pid, rules in mapped:
            if not rules:
                t.add_row(pid, "-", "-", "no equivalent kubeguard rule")
            for r in rules:
                t.add_row(pid, r.code, r.slug, r.meta.title)
        Console().print(t)
    return 0 if all(rules for _, rules in mapped) else 1


def _lookup(rule_id: str) -> list[Rule]:
    registry = default_registry()
    rule = registry.get(rule_id)
    if rule is not None:
        return [rule]
    return [registry.get(c) for c in PeerIndex(registry).resolve(rule_id) or ()]


@rules_app.command("show")
def show(rule_id: str = typer.Argument(..., help="Rule code, slug or alias, or a peer id such as checkov:CKV_K8S_16."),
         raw: bool = typer.Option(False, "--markdown", help="Print the Markdown source.")) -> None:
    """Print a rule's page, generated from its metadata and docstring, with the frameworks it appears in."""
    rules = _lookup(rule_id)
    if not rules:
        err_console().print(f"[red]error:[/red] unknown rule {rule_id!r}; 'kubeguard rules' lists them")
        raise typer.Exit(2)
    try:
        membership = framework_membership(catalogs())
    except FrameworkError as exc:  # the rule page is still worth showing
        err_console().print(f"[yellow]warning:[/yellow] {escape(str(exc))}; framework membership not shown",
                            highlight=False)
        membership = {}
    for rule in rules:
        page = rule_page(rule, membership.get(rule.code))
        if raw:
            typer.echo(page)
        else:
            Console().print(Markdown(page))


__all__ = ["rules_app", "UsageError"]

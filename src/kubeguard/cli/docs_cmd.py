"""``kubeguard docs build DIR``: write the rule and framework reference pages (generated, never committed)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from ..docs_gen import build_docs
from ..engine.frameworks import FrameworkError, catalogs
from ..rules._registry import default_registry
from .pipeline import err_console

docs_app = typer.Typer(help="Generate the reference documentation from rule metadata and catalogs.",
                       no_args_is_help=True)


@docs_app.command("build")
def build(out_dir: Path = typer.Argument(..., help="Folder for the Markdown pages (created if missing).")) -> None:
    """Write rules/<CODE>.md, frameworks/<id-version>.md, their indexes and index.md."""
    try:
        files = build_docs(out_dir, default_registry(), catalogs())
    except FrameworkError as exc:
        err_console().print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    except OSError as exc:
        err_console().print(f"[red]error:[/red] cannot write {escape(str(exc.filename or out_dir))}: {exc.strerror}")
        raise typer.Exit(2) from None
    rules = sum(1 for f in files if f.parent.name == "rules" and f.name != "index.md")
    fws = sum(1 for f in files if f.parent.name == "frameworks" and f.name != "index.md")
    typer.echo(f"wrote {len(files)} pages to {out_dir} ({rules} rules, {fws} frameworks)")

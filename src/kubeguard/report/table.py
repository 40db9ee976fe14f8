"""The terminal report: a summary per cluster and severity, then the findings.

Colours follow the console's decision (``NO_COLOR``, not a TTY, ``--color``).
"""

from __future__ import annotations

import io
from collections import defaultdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model.findings import Finding, Severity, Status
from ..model.result import ScanResult
from .frameworks import build as build_frameworks

DEFAULT_MAX_FINDINGS = 100  # detailed rows in the table; the per-rule summary above them counts everything
SEV_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
SEVERITIES = [s.value for s in Severity]


def _score_style(score: float | None) -> str:
    if score is None:
        return "dim"
    return "green" if score >= 80 else "yellow" if score >= 50 else "red"


def build(console: Console, result: ScanResult, max_findings: int | None = None,
          show_exempt: bool = False) -> None:
    total_objects = sum(result.object_counts.values())
    console.print(Text.assemble(("kubeguard ", "bold"), result.tool_version, " · ",
                                f"{len(result.clusters)} cluster(s) · {total_objects:,} objects · "
                                f"{len(result.rules)} rules"))
    summary = Table(title="Summary per cluster", title_justify="left", header_style="bold")
    for col in ("Cluster", "Provider", "Version", "Objects", "Score"):
        summary.add_column(col, justify="right" if col in ("Objects", "Score") else "left")
    for sev in SEVERITIES:
        summary.add_column(sev.capitalize(), justify="right", style=SEV_STYLE[sev] if sev != "critical" else "bold red")
    summary.add_column("Exempt", justify="right")
    summary.add_column("Not evaluated", justify="right")
    for c in result.clusters:
        s = result.cluster_summary(c.name)
        score = s["score"]
        summary.add_row(
            c.name, c.provider, c.kubernetes_version or "-", f"{s['objects']:,}",
            Text(f"{score:.0f}%" if score is not None else "-", style=_score_style(score)),
            *[str(s["severity"][sev]) for sev in SEVERITIES],
            str(s["status"].get("EXEMPT", 0)),
            str(s["unknownRules"]) if s["unknownRules"] else "0",
        )
    console.print(summary)

    failures = [f for f in result.findings if f.status == Status.FAIL.value]
    failures.sort(key=lambda f: (-Severity(f.severity).rank, f.cluster, f.rule, f.namespace or "", f.name))
    _failing_rules(console, result, failures)
    shown = failures if max_findings is None else failures[:max_findings]
    by_cluster: dict[str, list[Finding]] = defaultdict(list)
    for f in shown:
        by_cluster[f.cluster].append(f)
    for cluster, items in by_cluster.items():
        t = Table(title=f"Findings in {cluster}", title_justify="left", header_style="bold", show_lines=False,
                  expand=False)
        t.add_column("Severity", no_wrap=True)
        t.add_column("Rule", no_wrap=True)
        t.add_column("Resource", overflow="fold")
        t.add_column("Finding", overflow="fold")
        t.add_column("Where", overflow="fold")
        for f in items:
            where = f.path or ""
            if f.file:
                where = f"{f.file}:{f.line}" if f.line else f.file
                if f.path:
                    where += f"\n{f.path}"
            t.add_row(Text(f.severity.upper(), style=SEV_STYLE[f.severity]), f"{f.rule}\n{f.slug}",
                      f.resource + (f"\n[{f.container}]" if f.container else ""), f.message, where)
        console.print(t)
    if max_findings is not None and len(failures) > max_findings:
        console.print(f"[dim]... {len(failures) - max_findings} more findings (the most severe are shown); "
                      f"--max-findings 0 shows all, -f json has every field[/dim]")
    if not failures:
        console.print("[green]No failing findings.[/green]")
    build_frameworks(console, result)

    if show_exempt:
        exempt = [f for f in result.findings if f.status == Status.EXEMPT.value]
        if exempt:
            t = Table(title="Exempt findings", title_justify="left", header_style="bold")
            for col in ("Rule", "Resource", "Reason", "Owner", "Expires", "Entry"):
                t.add_column(col, overflow="fold")
            for f in exempt:
                s = f.suppression or {}
                t.add_row(f.rule, f.resource, str(s.get("reason")), str(s.get("owner") or "-"),
                          str(s.get("expires") or "never"), str(s.get("entry")))
            console.print(t)

    expired = [e for e in result.exemptions if e.get("status") == "expired"]
    for e in expired:
        console.print(f"[yellow]Expired exemption[/yellow] {e['entry']} ({', '.join(e['rules'])}, owner "
                      f"{e['owner']}) expired {e['expires']}; it no longer suppresses "
                      f"({e.get('wouldMatch', 0)} finding(s) affected).")
    unknown = [rr for rr in result.rule_results if rr.status == Status.UNKNOWN.value]
    errors = [f for f in result.findings if f.status == Status.ERROR.value]
    if result.collection.issues or unknown or errors:
        console.print(Text("Not evaluated", style="bold yellow"))
        for issue in result.collection.issues:
            style = "red" if issue.level == "error" else "yellow"
            console.print(Text(f"  {issue.level}: {issue.one_line()}", style=style))
        by_reason: dict[tuple[str, str], list[str]] = defaultdict(list)
        for rr in unknown:
            by_reason[(rr.cluster, rr.reason or "input missing")].append(rr.rule)
        for (cluster, reason), rules in by_reason.items():
            console.print(Text(f"  UNKNOWN in {cluster}: {len(rules)} rule(s) ({', '.join(rules[:8])}"
                               f"{', ...' if len(rules) > 8 else ''}): {reason}", style="yellow"))
        for f in errors:
            console.print(Text(f"  ERROR {f.rule} on {f.resource}: {f.message}", style="red"))


def _failing_rules(console: Console, result: ScanResult, failures: list[Finding]) -> None:
    """Rules x clusters: how many findings each failing rule has in each cluster, most severe rules first."""
    if not failures:
        return
    clusters = [c.name for c in result.clusters]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    first: dict[str, Finding] = {}
    for f in failures:
        counts[f.rule][f.cluster] += 1
        first.setdefault(f.rule, f)
    order = sorted(counts, key=lambda r: (-Severity(first[r].severity).rank, -sum(counts[r].values()), r))
    t = Table(title="Failing rules", title_justify="left", header_style="bold")
    t.add_column("Severity", no_wrap=True)
    t.add_column("Rule", no_wrap=True)
    t.add_column("Title", overflow="fold")
    for c in clusters:
        t.add_column(c, justify="right")
    for code in order:
        f = first[code]
        t.add_row(Text(f.severity.upper(), style=SEV_STYLE[f.severity]), code, f.title,
                  *[str(counts[code].get(c, 0) or "·") for c in clusters])
    console.print(t)


def render(result: ScanResult, color: bool = False, width: int = 160, max_findings: int | None = None,
           show_exempt: bool = False, **_: object) -> bytes:
    """``max_findings``: detailed rows shown (None: :data:`DEFAULT_MAX_FINDINGS`; 0 or less: all)."""
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width, highlight=False,
                      color_system="standard" if color else None)
    limit = DEFAULT_MAX_FINDINGS if max_findings is None else (max_findings if max_findings > 0 else None)
    build(console, result, max_findings=limit, show_exempt=show_exempt)
    return buf.getvalue().encode()

"""Framework section of the terminal report: score per cluster, then each automated requirement's status.

Reads only ``ScanResult.frameworks`` (filled by the engine); nothing is re-evaluated.  Requirements
without rules (MANUAL) are summarised in one line per framework, by what they need.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model.result import ScanResult

STATUS_STYLE = {"PASS": "green", "FAIL": "bold red", "UNKNOWN": "yellow", "NOT_APPLICABLE": "dim",
                "MANUAL": "dim"}
STATUS_LABEL = {"NOT_APPLICABLE": "n/a"}
BAR_WIDTH = 20
EVIDENCE_LINES = 2
# Display only (JSON keeps the full path): fields of a pod template read the same for every workload kind.
_POD_TEMPLATE = re.compile(r"^spec\.(?:jobTemplate\.spec\.)?(?:template\.spec\.)?")


def score_bar(score: float | None) -> Text:
    """A bar of ``BAR_WIDTH`` cells and the percentage; grey dashes when nothing was decided."""
    if score is None:
        return Text("-" * BAR_WIDTH + "   -", style="dim")
    filled = round(score / 100 * BAR_WIDTH)
    style = "green" if score >= 80 else "yellow" if score >= 50 else "red"
    return Text.assemble(("█" * filled, style), ("░" * (BAR_WIDTH - filled), "dim"), f" {score:.0f}%")


def _status(st: str) -> Text:
    return Text(STATUS_LABEL.get(st, st), style=STATUS_STYLE.get(st, ""))


def _evidence_cell(results: list[tuple[str, dict[str, Any]]], several_clusters: bool) -> Text:
    lines: list[str] = []
    for cluster, r in results:
        if r["status"] == "FAIL":
            ev = r.get("evidence", [])
            shown = EVIDENCE_LINES if not several_clusters else 1  # a fleet gets one example per cluster
            for e in ev[:shown]:
                where = _POD_TEMPLATE.sub("", e["path"]) if e.get("path") else e["message"]
                prefix = f"{cluster}: " if several_clusters else ""
                lines.append(f"{prefix}{e['rule']} {e['resource']} {where}")
            more = r.get("evidenceTotal", len(ev)) - min(len(ev), shown)
            if more > 0:
                lines.append(f"… {more} more" + (f" in {cluster}" if several_clusters else ""))
        elif r["status"] == "UNKNOWN" and r.get("reason"):
            lines.append((f"{cluster}: " if several_clusters else "") + r["reason"])
    return Text("\n".join(lines))


def build(console: Console, result: ScanResult) -> None:
    for fw in result.frameworks:
        clusters = fw["clusters"]
        console.print(Text.assemble(("Framework ", "bold"), (f"{fw['title']} {fw['version']}", "bold"),
                                    f" ({fw['key']}) · {fw['total']} requirements, {fw['automated']} automated"))
        summary = Table(title=f"Compliance per cluster: {fw['key']}", title_justify="left", header_style="bold")
        summary.add_column("Cluster")
        summary.add_column("Score", no_wrap=True)
        for col in ("Pass", "Fail", "Unknown", "N/A", "Manual"):
            summary.add_column(col, justify="right")
        for c in clusters:
            n = c["counts"]
            summary.add_row(c["cluster"], score_bar(c["score"]), str(n["PASS"]), str(n["FAIL"]), str(n["UNKNOWN"]),
                            str(n["NOT_APPLICABLE"]), str(n["MANUAL"]))
        console.print(summary)

        several = len(clusters) > 1
        by_req: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for c in clusters:
            for x in c["requirements"]:
                by_req[x["id"]].append((c["cluster"], x))
        t = Table(title=f"Requirements: {fw['key']}", title_justify="left", header_style="bold")
        t.add_column("ID", no_wrap=True)
        t.add_column("Requirement", overflow="fold", max_width=40)
        for c in clusters:
            t.add_column(c["cluster"] if several else "Status", no_wrap=True)
        t.add_column("Rules", overflow="fold", max_width=20)
        t.add_column("Evidence", overflow="fold", ratio=1)
        manual: Counter[str] = Counter()
        for req in fw["requirements"]:
            if not req.get("rules"):
                manual[req.get("needs") or "manual"] += 1
                continue
            results = by_req.get(req["id"], [])
            t.add_row(req["id"], req["title"], *[_status(r["status"]) for _, r in results],
                      ", ".join(req["rules"]), _evidence_cell(results, several))
        if t.row_count:
            console.print(t)
        if manual:
            parts = ", ".join(f"{n} {what}" for what, n in sorted(manual.items(), key=lambda kv: -kv[1]))
            console.print(Text(f"{sum(manual.values())} requirement(s) have no rule and are MANUAL (needs: {parts}); "
                               f"'kubeguard frameworks show {fw['key']}' lists them.", style="dim"))

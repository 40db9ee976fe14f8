"""Rule pages generated from metadata and docstrings; never written by hand."""

from __future__ import annotations

from .rules._meta import PEERS
from .rules._registry import Registry, Rule

SECTION_ORDER = ("What it checks", "Why it matters", "Failing example", "Passing example", "Exceptions")


def rule_page(rule: Rule, frameworks: dict[str, list[str]] | None = None) -> str:
    m = rule.meta
    lines = [f"# {m.code} {m.slug}", "", f"**{m.title}**", "", rule.summary, ""]
    lines += [
        "| | |", "|---|---|",
        f"| Severity | {m.severity} |",
        f"| Category | {m.category} |",
        f"| Target | {m.target}{' (' + ', '.join(m.kinds) + ')' if m.kinds else ''} |",
        f"| Lifecycle | {m.lifecycle.stage} since {m.lifecycle.since} |",
        f"| Fix | {m.fix.safety}{': ' + m.fix.title if m.fix.title else ''} |",
        f"| Admission | {'yes' if m.admission else 'no'} |",
    ]
    if m.tags:
        lines.append(f"| Tags | {', '.join(m.tags)} |")
    if m.aliases:
        lines.append(f"| Aliases | {', '.join(m.aliases)} |")
    lines.append("")
    sections = dict(rule.sections)
    sections.setdefault("Why it matters", m.rationale)
    for name in SECTION_ORDER:
        if name in sections:
            lines += [f"## {name}", "", sections[name], ""]
    for name, body in rule.sections.items():
        if name not in SECTION_ORDER:
            lines += [f"## {name}", "", body, ""]
    lines += ["## Remediation", "", m.remediation, ""]
    if m.params:
        lines += ["## Parameters", "", "| name | type | default | description |", "|---|---|---|---|"]
        for p in m.params:
            lines.append(f"| `{p.name}` | {p.type} | `{p.default!r}` | {p.description} |")
        lines += ["", f"Set them in `.kubeguard.yaml` under `rules.params.{m.slug}`.", ""]
    if m.peers:
        lines += ["## Equivalent checks in other tools", "", "| tool | ids |", "|---|---|"]
        for peer in PEERS:
            if peer in m.peers:
                lines.append(f"| {peer} | {', '.join(m.peers[peer])} |")
        lines.append("")
    if frameworks:
        lines += ["## Appears in frameworks", ""]
        for fw, reqs in sorted(frameworks.items()):
            lines.append(f"- {fw}: {', '.join(reqs)}")
        lines.append("")
    if m.references:
        lines += ["## References", ""] + [f"- {u}" for u in m.references] + [""]
    return "\n".join(lines)


def rules_index(registry: Registry) -> str:
    lines = ["# kubeguard rules", "", f"{len(registry)} rules.", "", "| code | slug | severity | title |",
             "|---|---|---|---|"]
    for r in registry:
        lines.append(f"| [{r.code}]({r.code}.md) | {r.slug} | {r.meta.severity} | {r.meta.title} |")
    return "\n".join(lines) + "\n"

"""Rule and framework pages generated from metadata, docstrings and catalogs; never written by hand.

``kubeguard docs build DIR`` writes the whole set (:func:`build_docs`); ``kubeguard rules show`` and
``kubeguard frameworks show`` print single pages.  Nothing here is committed: the pages are rebuilt from the
code they describe, so they cannot drift.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterable

from .engine.frameworks import NEEDS_REASON, catalog_coverage
from .frameworks._model import Framework
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


def framework_membership(frameworks: Iterable[Framework]) -> dict[str, dict[str, list[str]]]:
    """The computed inverse of the catalogs: rule code -> {framework key: [requirement ids]}."""
    out: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for fw in frameworks:
        for req in fw.requirements:
            for code in req.rules:
                out[code].setdefault(fw.key, []).append(req.id)
    return dict(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def framework_page(fw: Framework, registry: Registry, rule_link: str = "../rules/{code}.md") -> str:
    """A catalog as Markdown: coverage, then every requirement by section with its rules or what it needs."""
    cov = catalog_coverage(fw, (r.code for r in registry))
    lines = [f"# {fw.title} {fw.version}", "", f"`--framework {fw.id}` (or `{fw.key}`) · {fw.kind} · "
             f"source: {fw.source}", "",
             f"{cov['automated']} of {cov['total']} requirements are checked by rules."]
    rest = [f"{n} {NEEDS_REASON[k].removeprefix('needs ')}" for k, n in cov["needs"].items() if n]
    if rest:
        lines.append("Without a rule: " + "; ".join(rest) + ".")
    if cov["missingRules"]:
        lines.append(f"{cov['missingRules']} requirement(s) name rules this build does not have.")
    lines += ["", "Requirement titles are our own short summaries; see the source for the authoritative text.", ""]
    section = object()
    for req in fw.requirements:
        if req.section != section:
            section = req.section
            lines += ["", f"## {section or 'Requirements'}", "", "| ID | Requirement | Rules | Notes |",
                      "|---|---|---|---|"]
        rules = []
        for code in req.rules:
            rule = registry.get(code)
            rules.append(f"[{code}]({rule_link.format(code=code)}) {rule.slug}" if rule
                         else f"{code} (not in this build)")
        either = ["one of " + " or ".join(group) + " passing is enough" for group in req.either]
        notes = [n for n in (f"level {req.level}" if req.level else None,
                             NEEDS_REASON[req.needs] if req.needs and not req.rules else None, *either, req.notes)
                 if n]
        lines.append(f"| {req.id} | {_cell(req.title)} | {'<br>'.join(rules) or 'MANUAL'} | "
                     f"{_cell('; '.join(notes))} |")
    return "\n".join(lines) + "\n"


def frameworks_index(frameworks: Iterable[Framework], registry: Registry) -> str:
    lines = ["# kubeguard frameworks", "", "| framework | version | kind | automated | total | needs node | "
             "needs cloud | needs cluster | manual |", "|---|---|---|---|---|---|---|---|---|"]
    for fw in frameworks:
        c = catalog_coverage(fw, (r.code for r in registry))
        n = c["needs"]
        lines.append(f"| [{fw.title}]({fw.key}.md) | {fw.version} | {fw.kind} | {c['automated']} | {c['total']} | "
                     f"{n['node']} | {n['cloud']} | {n['cluster']} | {n['manual']} |")
    return "\n".join(lines) + "\n"


def build_docs(out_dir: Path, registry: Registry, frameworks: Iterable[Framework]) -> list[Path]:
    """Write ``rules/<CODE>.md``, ``frameworks/<key>.md``, both indexes and ``index.md``; returns the files."""
    fws = list(frameworks)
    membership = framework_membership(fws)
    written: list[Path] = []

    def write(rel: str, text: str) -> None:
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    for rule in registry:
        write(f"rules/{rule.code}.md", rule_page(rule, membership.get(rule.code)))
    write("rules/index.md", rules_index(registry))
    for fw in fws:
        write(f"frameworks/{fw.key}.md", framework_page(fw, registry))
    write("frameworks/index.md", frameworks_index(fws, registry))
    write("index.md", "\n".join(["# kubeguard reference", "", f"- [{len(registry)} rules](rules/index.md)",
                                   f"- [{len(fws)} frameworks](frameworks/index.md)", ""]))
    return written

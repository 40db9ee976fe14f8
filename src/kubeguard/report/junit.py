"""JUnit XML in the Ant/Surefire shape Jenkins, GitLab and Azure Pipelines read (ecosystem.md §1.2).

One ``<testsuite>`` per cluster and rule; one ``<testcase>`` per finding with a
unique ``classname`` (the rule code) + ``name`` (cluster/namespace/Kind/name,
container and field), ``<failure>`` for violations, ``<skipped>`` for
exemptions, ``<error>`` for rules that raised or could not be evaluated, and one
summary test case for the objects that passed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ..model.findings import Finding, Status
from ..model.result import ScanResult


def _case_name(f: Finding) -> str:
    name = f"{f.cluster}/{f.namespace or '_cluster'}/{f.kind}/{f.name}"
    if f.container:
        name += f"/{f.container}"
    if f.path:
        name += f" [{f.path}]"
    return name


def render(result: ScanResult, **_: object) -> bytes:
    meta = {m["code"]: m for m in result.rules}
    by_key: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in result.findings:
        by_key[(f.cluster, f.rule)].append(f)
    root = ET.Element("testsuites", name="kubeguard")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    seen: set[tuple[str, str]] = set()
    for rr in result.rule_results:
        m = meta.get(rr.rule)
        if m is None:
            continue
        suite = ET.SubElement(root, "testsuite", name=f"{rr.cluster}/{rr.rule} {m['title']}", hostname=rr.cluster)
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="kubeguard.severity", value=m["severity"])
        ET.SubElement(props, "property", name="kubeguard.status", value=rr.status)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for f in by_key.get((rr.cluster, rr.rule), []):
            name = _case_name(f)
            n = 2
            base = name
            while (rr.rule, name) in seen:
                name = f"{base} #{n}"
                n += 1
            seen.add((rr.rule, name))
            attrs = {"classname": rr.rule, "name": name, "time": "0"}
            if f.file:
                attrs["file"] = f.file
            if f.line:
                attrs["line"] = str(f.line)
            case = ET.SubElement(suite, "testcase", attrs)
            counts["tests"] += 1
            if f.status == Status.FAIL.value:
                el = ET.SubElement(case, "failure", message=f.message, type=f.severity)
                el.text = f"path: {f.path or '-'}\nfix: {m['remediation']}"
                counts["failures"] += 1
            elif f.status == Status.EXEMPT.value:
                s = f.suppression or {}
                ET.SubElement(case, "skipped", message=f"exempt: {s.get('reason')} (owner {s.get('owner')}, "
                                                       f"expires {s.get('expires') or 'never'}, {s.get('entry')})")
                counts["skipped"] += 1
            elif f.status == Status.ERROR.value:
                ET.SubElement(case, "error", message=f.message, type="RuleError")
                counts["errors"] += 1
        if rr.status == Status.UNKNOWN.value:
            case = ET.SubElement(suite, "testcase", classname=rr.rule, name=f"{rr.cluster}: not evaluated", time="0")
            ET.SubElement(case, "error", message=rr.reason or "input missing", type="Unknown")
            counts["tests"] += 1
            counts["errors"] += 1
        elif rr.passed:
            ET.SubElement(suite, "testcase", classname=rr.rule, name=f"{rr.cluster}: {rr.passed} object(s) passed",
                          time="0")
            counts["tests"] += 1
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
        suite.set("time", "0")
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"

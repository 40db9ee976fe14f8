"""SARIF 2.1.0, as GitHub code scanning reads it (ecosystem.md §1.1).

One run per cluster (GitHub keeps one run per category); results point at the
manifest file and the line of the offending field, or at a synthetic
``k8s/<cluster>/<namespace>/<Kind>/<name>.yaml`` for objects read from a
cluster or snapshot.  ``primaryLocationLineHash`` hashes the rule and the
object identity and field path, never a line number, so alerts survive edits.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from typing import Any

import orjson

from ..model.findings import Finding, Status
from ..model.result import ScanResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
INFO_URI = "https://kubeguard.dev"


def fingerprint(f: Finding) -> str:
    key = "|".join([f.rule, f.cluster, f.namespace or "", f.kind, f.name, f.container or "", f.path or ""])
    return hashlib.sha256(key.encode()).hexdigest()[:16] + ":1"


def artifact_uri(f: Finding) -> str:
    if f.file and f.file not in ("<stdin>",):
        return f.file.replace(os.sep, "/")
    ns = f.namespace or "_cluster"
    return f"k8s/{f.cluster}/{ns}/{f.kind}/{f.name}.yaml"


def _rule_descriptor(meta: dict[str, Any]) -> dict[str, Any]:
    tags = ["security", "kubernetes", meta["category"], *meta.get("tags", [])][:20]
    props: dict[str, Any] = {"tags": tags, "precision": "high"}
    if meta["severity"] in SECURITY_SEVERITY:
        props["security-severity"] = SECURITY_SEVERITY[meta["severity"]]
    help_md = f"{meta['rationale']}\n\n**Remediation:** {meta['remediation']}"
    if meta.get("references"):
        help_md += "\n\n" + "\n".join(f"- {u}" for u in meta["references"])
    return {
        "id": meta["code"],
        "name": "".join(p.capitalize() for p in meta["slug"].split("-")),
        "shortDescription": {"text": meta["title"]},
        "fullDescription": {"text": meta["rationale"][:1024]},
        "help": {"text": f"{meta['rationale']} Remediation: {meta['remediation']}", "markdown": help_md},
        "helpUri": f"{INFO_URI}/rules/{meta['code']}",
        "defaultConfiguration": {"level": LEVEL[meta["severity"]]},
        "properties": props,
    }


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(1, f.line or 1)}
    ident = "/".join(x for x in (f.api_version, f.kind, f.namespace or "", f.name) if x)
    text = f"{f.kind} {f.namespace + '/' if f.namespace else ''}{f.name}: {f.message}."
    res: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": LEVEL[f.severity],
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": artifact_uri(f), "uriBaseId": "%SRCROOT%"},
                                 "region": region},
            "logicalLocations": [{"fullyQualifiedName": ident + (f"/{f.container}" if f.container else ""),
                                  "kind": "resource"}],
        }],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint(f)},
        "properties": {"kubernetes": {"cluster": f.cluster, "namespace": f.namespace, "kind": f.kind,
                                      "name": f.name, "container": f.container, "path": f.path}},
    }
    if f.status == Status.EXEMPT.value and f.suppression:
        s = f.suppression
        res["suppressions"] = [{
            "kind": "inSource" if s.get("source") == "annotation" else "external",
            "status": "accepted",
            "justification": f"{s.get('reason')} (owner: {s.get('owner') or 'n/a'}, "
                             f"expires: {s.get('expires') or 'never'}, {s.get('entry')})",
        }]
    return res


def sarif_document(result: ScanResult) -> dict[str, Any]:
    descriptors = [_rule_descriptor(m) for m in result.rules]
    index = {m["code"]: i for i, m in enumerate(result.rules)}
    by_cluster: dict[str, list[Finding]] = defaultdict(list)
    for f in result.findings:
        if f.status in (Status.FAIL.value, Status.EXEMPT.value) and f.rule in index:
            by_cluster[f.cluster].append(f)
    runs = []
    cwd = os.getcwd().replace(os.sep, "/").rstrip("/") + "/"
    for cluster in [c.name for c in result.clusters] or ["default"]:
        notes = [
            {"level": "error" if i.level == "error" else "warning", "message": {"text": i.one_line()}}
            for i in result.collection.issues if i.cluster in (None, cluster)
        ]
        for f in result.findings:
            if f.cluster == cluster and f.status == Status.ERROR.value:
                notes.append({"level": "error", "message": {"text": f"{f.rule} on {f.resource}: {f.message}"}})
        runs.append({
            "tool": {"driver": {"name": "kubeguard", "semanticVersion": result.tool_version,
                                "informationUri": INFO_URI, "rules": descriptors}},
            "automationDetails": {"id": f"kubeguard/{cluster}/"},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "file://" + (cwd if cwd.startswith("/") else "/" + cwd)}},
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notes}],
            "results": [_result(f, index) for f in by_cluster.get(cluster, [])],
        })
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": runs}


def render(result: ScanResult, **_: object) -> bytes:
    return orjson.dumps(sarif_document(result), option=orjson.OPT_INDENT_2) + b"\n"

"""ScanResult: the canonical, versioned JSON document every report is rendered from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .cloud import ClusterFacts
from .collection import CollectionReport
from .findings import Finding, Severity, Status

API_VERSION = "kubeguard.dev/v1alpha1"
KIND = "ScanResult"
SCHEMA_VERSION = 1
SEVERITY_WEIGHT = {"critical": 10.0, "high": 7.5, "medium": 5.0, "low": 2.5, "info": 0.0}


@dataclass(slots=True)
class RuleResult:
    """The outcome of one rule on one cluster."""

    rule: str
    cluster: str
    status: str  # PASS FAIL NOT_APPLICABLE UNKNOWN ERROR (EXEMPT when every failure is exempt)
    passed: int = 0
    failed: int = 0
    exempt: int = 0
    errors: int = 0
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"rule": self.rule, "cluster": self.cluster, "status": self.status, "passed": self.passed,
             "failed": self.failed, "exempt": self.exempt, "errors": self.errors}
        if self.reason:
            d["reason"] = self.reason
        return d

    @staticmethod
    def from_dict(d: dict[str, Any]) -> "RuleResult":
        return RuleResult(d["rule"], d["cluster"], d["status"], d.get("passed", 0), d.get("failed", 0),
                          d.get("exempt", 0), d.get("errors", 0), d.get("reason"))


@dataclass(slots=True)
class ScanResult:
    tool_version: str
    created_at: str
    inputs: dict[str, Any]
    clusters: list[ClusterFacts]
    collection: CollectionReport
    rules: list[dict[str, Any]]  # rule metadata as JSON, for reports that never load the registry
    rule_results: list[RuleResult]
    findings: list[Finding]
    exemptions: list[dict[str, Any]] = field(default_factory=list)
    frameworks: list[dict[str, Any]] = field(default_factory=list)
    object_counts: dict[str, int] = field(default_factory=dict)  # cluster -> objects scanned

    # --- derived views ---------------------------------------------------------
    def rule_meta(self, code: str) -> dict[str, Any] | None:
        for r in self.rules:
            if r["code"] == code:
                return r
        return None

    def failures(self, min_severity: Severity | None = None) -> list[Finding]:
        out = [f for f in self.findings if f.status == Status.FAIL.value]
        if min_severity is not None:
            out = [f for f in out if Severity(f.severity).rank >= min_severity.rank]
        return out

    def cluster_summary(self, cluster: str) -> dict[str, Any]:
        """Counts per severity of failing findings, statuses, and a severity-weighted score (0-100)."""
        return self._summary(cluster, [f for f in self.findings if f.cluster == cluster],
                             [rr for rr in self.rule_results if rr.cluster == cluster], self._weights())

    def cluster_summaries(self) -> dict[str, dict[str, Any]]:
        """:meth:`cluster_summary` of every cluster, with one pass over findings (large fleets)."""
        findings: dict[str, list[Finding]] = {c.name: [] for c in self.clusters}
        results: dict[str, list[RuleResult]] = {c.name: [] for c in self.clusters}
        for f in self.findings:
            findings.setdefault(f.cluster, []).append(f)
        for rr in self.rule_results:
            results.setdefault(rr.cluster, []).append(rr)
        weights = self._weights()
        return {c: self._summary(c, findings[c], results.get(c, []), weights) for c in findings}

    def _weights(self) -> dict[str, float]:
        return {r["code"]: SEVERITY_WEIGHT.get(r["severity"], 0.0) for r in self.rules}

    def _summary(self, cluster: str, findings: list[Finding], rule_results: list[RuleResult],
                 weights: dict[str, float]) -> dict[str, Any]:
        sev = {s.value: 0 for s in Severity}
        statuses = {s.value: 0 for s in Status}
        for f in findings:
            statuses[f.status] = statuses.get(f.status, 0) + 1
            if f.status == Status.FAIL.value:
                sev[f.severity] += 1
        good = bad = 0.0
        passed = 0
        for rr in rule_results:
            w = weights.get(rr.rule, 0.0)
            good += w * (rr.passed + rr.exempt)
            bad += w * rr.failed
            passed += rr.passed
        statuses[Status.PASS.value] = max(statuses[Status.PASS.value], passed)
        score = round(100.0 * good / (good + bad), 1) if good + bad else None
        unknown_rules = sum(1 for rr in rule_results if rr.status == "UNKNOWN")
        return {"severity": sev, "status": statuses, "score": score, "unknownRules": unknown_rules,
                "objects": self.object_counts.get(cluster, 0)}

    # --- JSON ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        summaries = self.cluster_summaries()
        return {
            "apiVersion": API_VERSION,
            "kind": KIND,
            "schemaVersion": SCHEMA_VERSION,
            "tool": {"name": "kubeguard", "version": self.tool_version},
            "createdAt": self.created_at,
            "inputs": self.inputs,
            "clusters": [{**c.to_dict(), "summary": summaries[c.name]} for c in self.clusters],
            "collection": self.collection.to_dict(),
            "rules": self.rules,
            "ruleResults": [r.to_dict() for r in self.rule_results],
            "findings": [f.to_dict() for f in self.findings],
            "exemptions": self.exemptions,
            "frameworks": self.frameworks,
        }

    @staticmethod
    def from_dict(d: dict[str, Any]) -> "ScanResult":
        if d.get("kind") != KIND or d.get("apiVersion") != API_VERSION:
            raise ValueError(f"not a kubeguard ScanResult (expected apiVersion {API_VERSION}, kind {KIND})")
        if d.get("schemaVersion") != SCHEMA_VERSION:
            raise ValueError(f"ScanResult schemaVersion {d.get('schemaVersion')!r} is not supported")
        clusters = [ClusterFacts.from_dict(c) for c in d.get("clusters", [])]
        return ScanResult(
            tool_version=d.get("tool", {}).get("version", "?"),
            created_at=d.get("createdAt", ""),
            inputs=d.get("inputs", {}),
            clusters=clusters,
            collection=CollectionReport.from_dict(d.get("collection", {})),
            rules=d.get("rules", []),
            rule_results=[RuleResult.from_dict(r) for r in d.get("ruleResults", [])],
            findings=[Finding.from_dict(f) for f in d.get("findings", [])],
            exemptions=d.get("exemptions", []),
            frameworks=d.get("frameworks", []),
            object_counts={c["name"]: c.get("summary", {}).get("objects", 0) for c in d.get("clusters", [])},
        )

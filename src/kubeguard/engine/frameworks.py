"""Framework results: each requirement's status per cluster, derived from rule results (architecture.md §11).

A requirement maps to rule codes.  Per cluster its status is

- ``FAIL`` when any mapped rule failed (a non-exempt finding);
- ``UNKNOWN`` when none failed but a mapped rule could not decide: its inputs
  were not collected (rule UNKNOWN), it raised (rule ERROR), or it was not run
  at all (deselected, excluded, or absent from this build) -- never ``PASS``;
- ``PASS`` when every mapped rule passed or all its failures are exempt, and at
  least one of them applied;
- ``NOT_APPLICABLE`` when no mapped rule had anything to look at;
- ``MANUAL`` when the requirement has no rule (judgement, or it needs node,
  cloud or cluster access the scan did not have; ``needs`` says which).

An ``either`` group is one input whichever member decides it: a passing member
passes the group (its other members are set aside); otherwise a member that is
undecided or not run keeps the group undecided, so a failure there is final only
when no other member could still pass.

The compliance score of a cluster is the share of decided requirements
(``PASS`` or ``FAIL``) that pass.  Evidence lists the failing findings (rule,
resource, field) of each failed requirement, capped per requirement, with the
total count alongside.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Sequence

from ..frameworks._model import CatalogError, Framework, Requirement, all_frameworks
from ..model.findings import Finding, Status
from ..model.result import RuleResult

EVIDENCE_CAP = 5
NEEDS_REASON = {
    "node": "needs node access (files, kubelet or component flags on the host)",
    "cloud": "needs the cloud provider's API (cluster settings, IAM)",
    "cluster": "needs live cluster access beyond the scanned objects",
    "manual": "needs human judgement",
}
# Rule statuses that decide nothing: the requirement becomes UNKNOWN unless another mapped rule failed.
_UNDECIDED = {Status.UNKNOWN.value, Status.ERROR.value}
_COUNTED = (Status.PASS.value, Status.FAIL.value, Status.UNKNOWN.value, Status.NOT_APPLICABLE.value,
            Status.MANUAL.value)


class FrameworkError(ValueError):
    """An unknown framework id; one line."""


def resolve_frameworks(ids: Iterable[str]) -> list[Framework]:
    """The catalogs for ``--framework`` ids (``id`` for the newest version, or ``id-version``), deduplicated."""
    ids = list(ids)
    if not ids:
        return []  # no catalog is read when none is asked for (loading them all costs ~0.1 s per scan)
    catalogs = _bundled()
    out: dict[str, Framework] = {}
    for raw in ids:
        key = raw.strip()
        fw = catalogs.get(key) or catalogs.get(key.lower())
        if fw is None:
            known = sorted({f.id for f in catalogs.values()})
            raise FrameworkError(f"unknown framework {raw!r}; expected one of {', '.join(known)} "
                                 "(see 'kubeguard frameworks')")
        out.setdefault(fw.key, fw)
    return list(out.values())


def _bundled() -> dict[str, Framework]:
    try:
        return all_frameworks()
    except CatalogError as exc:
        raise FrameworkError(f"framework catalog {exc}") from None


def catalogs() -> list[Framework]:
    """Every bundled catalog once (``all_frameworks`` also indexes the newest version by bare id)."""
    return sorted({fw.key: fw for fw in _bundled().values()}.values(), key=lambda f: (f.id, f.version))


def mapped_rules(frameworks: Iterable[Framework]) -> set[str]:
    """Every rule code the catalogs point at."""
    return {code for fw in frameworks for req in fw.requirements for code in req.rules}


def requirement_status(req: Requirement, rule_status: dict[str, str],
                       rule_reasons: dict[str, str] | None = None) -> tuple[str, str | None]:
    """(status, reason) of one requirement from its rules' statuses on one cluster (absent = not run).

    ``rule_reasons`` (rule code -> why it was UNKNOWN) makes the reason say what input was missing."""
    if not req.rules:
        return Status.MANUAL.value, NEEDS_REASON[req.needs or "manual"]
    statuses = deciding_statuses(req, rule_status)
    if any(s == Status.FAIL.value for s in statuses.values()):
        return Status.FAIL.value, None
    not_run = [c for c, s in statuses.items() if s is None]
    undecided = [c for c, s in statuses.items() if s in _UNDECIDED]
    if not_run or undecided:
        parts = []
        if undecided:
            why = rule_reasons or {}
            parts.append("not evaluated: " + ", ".join(
                f"{c} ({statuses[c]}{': ' + why[c] if why.get(c) else ''})" for c in undecided))
        if not_run:
            parts.append("not run: " + ", ".join(not_run))
        return Status.UNKNOWN.value, "; ".join(parts)
    if all(s == Status.NOT_APPLICABLE.value for s in statuses.values()):
        return Status.NOT_APPLICABLE.value, "no object the mapped rules look at"
    return Status.PASS.value, None


def deciding_statuses(req: Requirement, rule_status: dict[str, str]) -> dict[str, str | None]:
    """The mapped rules' statuses that decide the requirement (absent = not run), ``either`` groups resolved."""
    statuses = {code: rule_status.get(code) for code in req.rules}
    for group in req.either:
        members = {c: statuses[c] for c in group}
        passing = [c for c, s in members.items() if s in (Status.PASS.value, Status.EXEMPT.value)]
        if passing:
            drop = [c for c in group if c != passing[0]]
        elif any(s is None or s in _UNDECIDED for s in members.values()):
            drop = [c for c, s in members.items() if s == Status.FAIL.value]  # another member may still pass
        else:
            continue
        for c in drop:
            del statuses[c]
    return statuses


def compliance_score(counts: dict[str, int]) -> float | None:
    decided = counts.get(Status.PASS.value, 0) + counts.get(Status.FAIL.value, 0)
    return round(100.0 * counts.get(Status.PASS.value, 0) / decided, 1) if decided else None


def _evidence(findings_by_rule: dict[str, list[Finding]], codes: Sequence[str]) -> tuple[list[dict[str, Any]], int]:
    """Failing findings of the mapped rules, interleaved across rules so each failing rule is shown, capped."""
    lists = [findings_by_rule.get(c, []) for c in codes]
    total = sum(len(x) for x in lists)
    out: list[dict[str, Any]] = []
    i = 0
    while len(out) < EVIDENCE_CAP and any(i < len(x) for x in lists):
        for x in lists:
            if i < len(x) and len(out) < EVIDENCE_CAP:
                f = x[i]
                e = {"rule": f.rule, "resource": f.resource, "message": f.message}
                for key, value in (("container", f.container), ("path", f.path), ("file", f.file),
                                   ("line", f.line)):
                    if value is not None:
                        e[key] = value
                out.append(e)
        i += 1
    return out, total


def evaluate_frameworks(frameworks: Sequence[Framework], rule_results: Sequence[RuleResult],
                        findings: Sequence[Finding], clusters: Sequence[str]) -> list[dict[str, Any]]:
    """Framework results for ``ScanResult.frameworks``: static requirement data plus per-cluster results."""
    if not frameworks:
        return []
    status: dict[str, dict[str, str]] = defaultdict(dict)
    reasons: dict[str, dict[str, str]] = defaultdict(dict)
    exempt: dict[tuple[str, str], int] = {}
    for rr in rule_results:
        status[rr.cluster][rr.rule] = rr.status
        if rr.reason and rr.status in _UNDECIDED:
            reasons[rr.cluster][rr.rule] = rr.reason
        if rr.exempt:
            exempt[(rr.cluster, rr.rule)] = rr.exempt
    failing: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    wanted = mapped_rules(frameworks)
    for f in findings:
        if f.status == Status.FAIL.value and f.rule in wanted:
            failing[f.cluster][f.rule].append(f)

    out = []
    for fw in frameworks:
        per_cluster = []
        for cluster in clusters:
            counts = dict.fromkeys(_COUNTED, 0)
            results = []
            for req in fw.requirements:
                st, reason = requirement_status(req, status.get(cluster, {}), reasons.get(cluster))
                counts[st] += 1
                r: dict[str, Any] = {"id": req.id, "status": st}
                if req.rules:
                    r["rules"] = {c: status.get(cluster, {}).get(c, "NOT_RUN") for c in req.rules}
                if reason:
                    r["reason"] = reason
                n_exempt = sum(exempt.get((cluster, c), 0) for c in req.rules)
                if n_exempt:
                    r["exempt"] = n_exempt
                if st == Status.FAIL.value:
                    deciding = list(deciding_statuses(req, status.get(cluster, {})))
                    r["evidence"], r["evidenceTotal"] = _evidence(failing.get(cluster, {}), deciding)
                results.append(r)
            per_cluster.append({"cluster": cluster, "score": compliance_score(counts), "counts": counts,
                                "requirements": results})
        automated, total = fw.coverage()
        out.append({
            "id": fw.id, "version": fw.version, "key": fw.key, "title": fw.title, "kind": fw.kind,
            "source": fw.source, "automated": automated, "total": total,
            "requirements": [req.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                             for req in fw.requirements],
            "clusters": per_cluster,
        })
    return out


def catalog_coverage(fw: Framework, known_rules: Iterable[str] = ()) -> dict[str, Any]:
    """How much of a catalog a scan can decide: automated requirements, and what the rest need.

    ``known_rules`` (the registry's codes) lets the caller count, as ``missingRules``, the requirements that
    name a rule this build does not have (a scan reports them UNKNOWN).
    """
    known = set(known_rules)
    needs = dict.fromkeys(NEEDS_REASON, 0)
    automated = missing = 0
    for req in fw.requirements:
        if req.rules:
            automated += 1
            if known and any(c not in known for c in req.rules):
                missing += 1
        else:
            needs[req.needs or "manual"] += 1
    return {"id": fw.id, "version": fw.version, "key": fw.key, "title": fw.title, "kind": fw.kind,
            "source": fw.source, "total": len(fw.requirements), "automated": automated, "needs": needs,
            "missingRules": missing}

"""select -> evaluate -> exempt -> ScanResult.  Pure given its inputs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Iterator

from pydantic import BaseModel, ConfigDict, ValidationError

from .._version import __version__
from ..graph.build import GraphCache
from ..model.collection import CollectionReport, InputIssue
from ..model.findings import Finding, NotEvaluated, Status, Violation
from ..model.inventory import ClusterInventory, Inventory
from ..model.objects import K8sObject, Path, render_path
from ..model.podspec import WORKLOAD_KINDS
from ..model.result import RuleResult, ScanResult
from ..model.settings import Settings
from ..rules._registry import Registry, Rule
from .exemptions import IgnoreEntry, parse_annotations, rule_resolver
from .frameworks import FrameworkError, evaluate_frameworks, mapped_rules, resolve_frameworks

Locator = Callable[[K8sObject, Path], "int | None"]


class ConfigError(ValueError):
    """Bad settings (unknown rule, bad parameter value); one line, exit code 2."""


class _NoParams(BaseModel):
    """The parameters of a rule that has none (building a pydantic model per rule per scan is slow)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


_NO_PARAMS = _NoParams()


@dataclass
class RuleContext:
    """What a rule may use besides its target: the cluster, its parameters and graphs."""

    cluster: ClusterInventory
    params: Any
    graphs: GraphCache
    rule: Rule

    @property
    def facts(self) -> dict[str, Any]:
        return self.cluster.facts.facts

    def graph(self, name: str) -> Any:
        return self.graphs.get(name)


@dataclass
class ScanInput:
    inventory: Inventory
    collection: CollectionReport = field(default_factory=CollectionReport)
    locate: Locator | None = None
    inputs: dict[str, Any] = field(default_factory=dict)


def resolve_params(rules: Iterable[Rule], registry: Registry, overrides: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Validate parameter overrides once per scan; returns rule code -> params instance."""
    by_code: dict[str, dict[str, Any]] = {}
    for key, values in overrides.items():
        rule = registry.get(key)
        if rule is None:
            raise ConfigError(f"parameters given for unknown rule {key!r}")
        if not isinstance(values, dict):
            raise ConfigError(f"parameters of rule {key} must be a mapping")
        by_code.setdefault(rule.code, {}).update(values)
    out = {}
    for rule in rules:
        if not rule.meta.params and not by_code.get(rule.code):
            out[rule.code] = _NO_PARAMS
            continue
        model = rule.meta.params_model()
        try:
            out[rule.code] = model(**by_code.get(rule.code, {}))
        except ValidationError as exc:
            e = exc.errors()[0]
            loc = ".".join(str(x) for x in e["loc"])
            raise ConfigError(f"rule {rule.code} ({rule.slug}) parameter {loc}: {e['msg']}") from None
    return out


def run_scan(inp: ScanInput, registry: Registry, settings: Settings | None = None,
             ignores: list[IgnoreEntry] | None = None,
             on_progress: Callable[[int, int], None] | None = None) -> ScanResult:
    settings = settings or Settings()
    try:
        frameworks = resolve_frameworks(settings.frameworks)
        rules = registry.select(settings.include, settings.exclude)
    except (KeyError, FrameworkError) as exc:
        raise ConfigError(str(exc.args[0])) from None
    if frameworks and not settings.include:  # --framework without --rules runs the rules its catalogs map
        rules = [r for r in rules if r.code in mapped_rules(frameworks)]
    if not settings.include_preview:
        rules = [r for r in rules if r.meta.lifecycle.stage != "preview"]
    params = resolve_params(rules, registry, settings.params)
    today = settings.today or date.today()
    ignores = ignores or []
    collection = inp.collection
    locate = inp.locate
    env = _Env(params, settings, ignores, today, rule_resolver(registry), collection.unavailable, locate)
    tasks = [(cluster, rule) for cluster in inp.inventory.clusters for rule in rules]
    outcomes = _evaluate_tasks(tasks, env, on_progress)
    findings: list[Finding] = []
    rule_results: list[RuleResult] = []
    reported: set[int] = set()
    for out in outcomes:  # in task order, as one process evaluating every task would produce them
        rule_results.append(out.rule_result)
        findings.extend(out.findings)
        for key, issue in out.issues:
            if key is None or key not in reported:  # an object's annotation problems are reported once
                if key is not None:
                    reported.add(key)
                collection.add(issue)
    findings.sort(key=_finding_key)
    exemptions = [e.to_dict(today) for e in ignores]
    rules_meta = [rule_to_dict(r) for r in rules]
    return ScanResult(
        tool_version=__version__,
        created_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        inputs=inp.inputs,
        clusters=[c.facts for c in inp.inventory.clusters],
        collection=collection,
        rules=rules_meta,
        rule_results=rule_results,
        findings=findings,
        exemptions=exemptions,
        frameworks=evaluate_frameworks(frameworks, rule_results, findings, [c.name for c in inp.inventory.clusters]),
        object_counts={c.name: len(c) for c in inp.inventory.clusters},
    )


PARALLEL_MIN_WORK = 300_000  # objects x rules below which a helper process costs more than it saves


@dataclass
class _Env:
    """Everything a (cluster, rule) evaluation reads; per process: the annotation cache."""

    params: dict[str, Any]
    settings: Settings
    ignores: list[IgnoreEntry]
    today: date
    resolve_rule: Callable[[str], Any]
    unavailable: dict[str, dict[str, str]]
    locate: Locator | None
    annotations: dict[int, Any] = field(default_factory=dict)


@dataclass
class _Outcome:
    """One rule on one cluster: its result, findings, and input issues keyed for de-duplication."""

    rule_result: RuleResult
    findings: list[Finding]
    issues: list[tuple[int | None, InputIssue]]


def _evaluate_tasks(tasks: list[tuple[ClusterInventory, Rule]], env: _Env,
                    on_progress: Callable[[int, int], None] | None) -> list[_Outcome]:
    """Every task's outcome, in task order; on two cores when the scan is large enough."""
    from .._fork import helper_usable

    work = sum(len(c) for c in {id(c): c for c, _ in tasks}.values()) * len({r.code for _, r in tasks})
    if len(tasks) > 1 and work >= PARALLEL_MIN_WORK and helper_usable():
        from .parallel import evaluate_in_two

        return evaluate_in_two(tasks, env, _evaluate_some, on_progress)
    return _evaluate_some(tasks, range(len(tasks)), env, on_progress)


def _evaluate_some(tasks: list[tuple[ClusterInventory, Rule]], indexes: Iterable[int], env: _Env,
                   on_progress: Callable[[int, int], None] | None = None) -> list[_Outcome]:
    """The outcomes of ``tasks[i]`` for each ``i`` taken from ``indexes``, field lines resolved."""
    # line lookups wait until the end, so each source document is read once however many rules flag it
    pending: list[tuple[Finding, K8sObject, Path]] | None = [] if env.locate is not None else None
    out = []
    current, graphs = None, None  # tasks come cluster by cluster: one cluster's graphs alive at a time
    for n, i in enumerate(indexes, 1):
        cluster, rule = tasks[i]
        if cluster is not current:
            current, graphs = cluster, GraphCache(cluster)
        out.append(_evaluate_rule(cluster, rule, graphs, env, pending))
        if on_progress is not None:
            on_progress(n, len(tasks))
    if pending:
        pending.sort(key=_source_order)
        for f, obj, path in pending:
            f.line = env.locate(obj, path)
    return out


def _evaluate_rule(cluster: ClusterInventory, rule: Rule, graphs: GraphCache, env: _Env,
                   pending: list[tuple[Finding, K8sObject, Path]] | None) -> _Outcome:
    findings: list[Finding] = []
    issues: list[tuple[int | None, InputIssue]] = []
    out = _Outcome(RuleResult(rule.code, cluster.name, Status.NOT_APPLICABLE.value), findings, issues)
    rr = out.rule_result
    unavailable = env.unavailable.get(cluster.name, {})
    missing = _missing_inputs(rule, unavailable)
    if "*" in unavailable:
        rr.status, rr.reason = Status.UNKNOWN.value, f"cluster not collected: {unavailable['*']}"
        return out
    absent = [k for k in rule.meta.requires if k in unavailable]
    if absent:  # what a rule requires was not collected: its answer would be a guess
        rr.status = Status.UNKNOWN.value
        rr.reason = "not collected: " + ", ".join(f"{k} ({unavailable[k]})" for k in absent)
        return out
    ctx = RuleContext(cluster, env.params[rule.code], graphs, rule)
    targets = 0
    not_evaluated: list[str] = []
    for target, outcome in _evaluate(rule, cluster, ctx):
        targets += 1
        if isinstance(outcome, NotEvaluated):
            not_evaluated.append(str(outcome))
            outcome = outcome.partial  # failures a cluster rule found before the part it could not decide
            if not outcome:
                continue
        if isinstance(outcome, BaseException):
            rr.errors += 1
            findings.append(_finding(rule, target, Violation(
                f"rule raised {type(outcome).__name__}: {outcome}"), Status.ERROR, cluster, pending))
            issues.append((None, InputIssue(f"rule {rule.code} failed on {target}: {type(outcome).__name__}: "
                                            f"{outcome}", cluster=cluster.name, level="warning")))
            continue
        if not outcome:
            rr.passed += 1
            if env.settings.include_passed and target is not None:
                findings.append(_finding(rule, target, Violation("passed"), Status.PASS, cluster, pending))
            continue
        for v in outcome:
            obj = v.obj or target
            f = _finding(rule, obj, v, Status.FAIL, cluster, pending)
            _apply_exemptions(f, obj, rule, env.ignores, env.today, env.annotations, env.resolve_rule, issues,
                              env.settings.peer_annotations)
            if f.status == Status.EXEMPT.value:
                rr.exempt += 1
            else:
                rr.failed += 1
            findings.append(f)
    rr.status = _rule_status(rr, targets, missing)
    if not_evaluated and rr.status in (Status.PASS.value, Status.NOT_APPLICABLE.value):
        rr.status, rr.reason = Status.UNKNOWN.value, "; ".join(dict.fromkeys(not_evaluated))
    elif not_evaluated and rr.status == Status.FAIL.value:  # the failures stand; say what was not decided
        rr.reason = "also not evaluated: " + "; ".join(dict.fromkeys(not_evaluated))
    if missing and rr.status == Status.UNKNOWN.value:
        rr.reason = "not collected: " + ", ".join(f"{k} ({unavailable[k]})" for k in missing)
    elif rr.status == Status.NOT_APPLICABLE.value:
        rr.reason = rr.reason or "no matching objects"
    return out


def _missing_inputs(rule: Rule, unavailable: dict[str, str]) -> list[str]:
    if not unavailable:
        return []
    needed = set(rule.meta.requires)
    if rule.meta.target == "workload":
        needed |= WORKLOAD_KINDS
    elif rule.meta.target == "object":
        needed |= set(rule.meta.kinds)
    return sorted(k for k in needed if k in unavailable)


def _rule_status(rr: RuleResult, targets: int, missing: list[str]) -> str:
    if rr.failed:
        return Status.FAIL.value
    if rr.errors:
        return Status.ERROR.value
    if missing:
        return Status.UNKNOWN.value
    if rr.exempt:
        return Status.EXEMPT.value
    if targets == 0:
        return Status.NOT_APPLICABLE.value
    return Status.PASS.value


def _evaluate(rule: Rule, cluster: ClusterInventory, ctx: RuleContext) -> Iterator[tuple[Any, Any]]:
    """Yield (target, list of violations | exception) for every target of the rule."""
    target = rule.meta.target
    fn = rule.evaluate
    if target == "workload":
        for pod in cluster.workloads():
            try:
                yield pod.obj, list(fn(pod, ctx))
            except Exception as exc:  # noqa: BLE001 - a rule bug must not stop the scan
                yield pod.obj, exc
    elif target == "object":
        objs = cluster.of_kind(*rule.meta.kinds) if rule.meta.kinds else cluster.objects
        for obj in objs:
            try:
                yield obj, list(fn(obj, ctx))
            except Exception as exc:  # noqa: BLE001
                yield obj, exc
    else:
        found: list[Violation] = []
        try:
            if rule.applies is not None and not rule.applies(cluster, ctx):
                return
            found.extend(fn(cluster, ctx))
            yield None, found
        except NotEvaluated as exc:  # one cluster-level target: what it yielded before raising still counts
            exc.partial = tuple(found)
            yield None, exc
        except Exception as exc:  # noqa: BLE001
            yield None, exc


def _finding(rule: Rule, obj: K8sObject | None, v: Violation, status: Status, cluster: ClusterInventory,
             pending: list[tuple[Finding, K8sObject, Path]] | None) -> Finding:
    """The finding, with the document's line; its field's line is looked up later when ``pending`` is given."""
    meta = rule.meta
    if obj is None:
        return Finding(meta.code, meta.slug, meta.title, meta.severity, status.value, cluster.name, None,
                       "Cluster", "", cluster.name, v.message, v.container, render_path(v.path) if v.path else None,
                       None, None, [str(r) for r in v.related], v.evidence)
    f = Finding(meta.code, meta.slug, meta.title, meta.severity, status.value, obj.cluster, obj.namespace,
                obj.kind, obj.api_version, obj.name, v.message, v.container,
                render_path(v.path) if v.path else None, obj.source.file, obj.source.line,
                [str(r) for r in v.related], v.evidence)
    if pending is not None:
        pending.append((f, obj, v.path))
    return f


def _source_order(item: tuple[Finding, K8sObject, Path]) -> tuple[str, int]:
    src = item[1].source
    return (src.text_key or "", src.span[0] if src.span else -1)


def _apply_exemptions(f: Finding, obj: K8sObject, rule: Rule, ignores: list[IgnoreEntry], today: date,
                      cache: dict[int, Any], resolve_rule: Callable[[str], str | None],
                      issues: list[tuple[int | None, InputIssue]], peer_annotations: bool = False) -> None:
    if obj is not None:
        parsed = cache.get(id(obj))
        if parsed is None:
            ann = dict(obj.annotations)
            for spec in _pod_template_annotations(obj):
                ann = {**spec, **ann}
            parsed = parse_annotations(ann, resolve_rule, peer_annotations)
            for level, msgs in (("error", parsed.errors), ("warning", parsed.warnings)):
                for e in msgs:
                    issues.append((id(obj), InputIssue(f"{obj}: {e}; not applied", file=obj.source.file,
                                                       line=obj.source.line, cluster=obj.cluster, level=level)))
            cache[id(obj)] = parsed
        ex = parsed.exemptions.get(rule.code) or parsed.exemptions.get("*")
        if ex is not None:
            sup = {"source": ex.source, "entry": ex.key, "reason": ex.reason, "owner": ex.owner,
                   "expires": ex.expires.isoformat() if ex.expires else None}
            if ex.expires is not None and today > ex.expires:
                f.suppression = {**sup, "active": False, "expired": True}
            else:
                f.status = Status.EXEMPT.value
                f.suppression = {**sup, "active": True}
                return
    for entry in ignores:
        if entry.applies(rule.code, f.cluster, f.namespace, f.kind, f.name, f.container):
            sup = {"source": "ignore-file", "entry": entry.where, "reason": entry.reason, "owner": entry.owner,
                   "expires": entry.expires.isoformat() if entry.expires else None}
            if entry.expired(today):
                entry.prevented += 1
                f.suppression = {**sup, "active": False, "expired": True}
                continue
            entry.matched += 1
            f.status = Status.EXEMPT.value
            f.suppression = {**sup, "active": True}
            return


def _pod_template_annotations(obj: K8sObject) -> list[dict[str, Any]]:
    from ..model.podspec import pod_specs

    out = []
    for view in pod_specs(obj):
        if view.base != ("spec",):
            out.append(view.annotations)
    return out


def _finding_key(f: Finding) -> tuple:
    return (f.cluster, f.rule, f.namespace or "", f.kind, f.name, f.container or "", f.path or "", f.message)


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    m = rule.meta
    return {
        "code": m.code, "slug": m.slug, "title": m.title, "severity": m.severity, "category": m.category,
        "tags": list(m.tags), "target": m.target, "kinds": list(m.kinds), "rationale": m.rationale,
        "remediation": m.remediation, "references": list(m.references), "lifecycle": m.lifecycle.stage,
        "since": m.lifecycle.since, "fix": m.fix.safety, "admission": m.admission,
        "peers": {k: list(v) for k, v in m.peers.items()}, "summary": rule.summary,
    }

"""Rule evaluation on two cores: a forked helper takes work from the same queue.

Tasks are (cluster, rule) pairs, queued in chunks of one cluster and one rule
domain (rules of a domain share lazily built graph state, such as network
isolation or RBAC escalations, which would otherwise be computed twice).  Both
processes claim the next unclaimed chunk from a shared counter, so a slow
domain on one side does not leave the other idle.  The helper resolves its findings' field lines itself and sends back its
outcomes (rule results, findings, input issues) and its exemption counters
with ``marshal``; the engine merges everything in task order, which is what one
process evaluating every task in turn would produce.  When the helper fails (a
rule's evidence that ``marshal`` cannot carry, a crash), the parent evaluates
the helper's tasks again itself.
"""

from __future__ import annotations

import marshal
from typing import TYPE_CHECKING, Any, Callable, Iterator

from .._fork import Helper
from ..model.collection import InputIssue
from ..model.findings import Finding
from ..model.result import RuleResult

if TYPE_CHECKING:
    from .run import _Env, _Outcome

_FINDING_FIELDS = Finding.__slots__
_RESULT_FIELDS = RuleResult.__slots__
_ISSUE_FIELDS = InputIssue.__slots__


def evaluate_in_two(tasks: list[Any], env: "_Env", evaluate_some: Callable[..., list["_Outcome"]],
                    on_progress: Callable[[int, int], None] | None) -> list["_Outcome"]:
    """``evaluate_some(tasks, indexes, env, on_progress)`` over every task, shared with a helper process."""
    import multiprocessing

    chunks: dict[tuple[int, str], list[int]] = {}
    for i, (cluster, rule) in enumerate(tasks):
        chunks.setdefault((id(cluster), rule.domain), []).append(i)
    queue = list(chunks.values())
    counter = multiprocessing.get_context("fork").Value("l", 0)  # the next unclaimed chunk

    def claim(taken: list[int]) -> Iterator[int]:
        while True:
            with counter.get_lock():
                c = counter.value
                counter.value = c + 1
            if c >= len(queue):
                return
            for i in queue[c]:
                taken.append(i)
                yield i

    def helper_work() -> bytes:
        taken: list[int] = []
        outcomes = evaluate_some(tasks, claim(taken), env)
        return marshal.dumps((taken, [_pack(o) for o in outcomes],
                              [(e.matched, e.prevented) for e in env.ignores]))

    progress = None
    if on_progress is not None:
        def progress(_n: int, total: int) -> None:
            done = sum(len(q) for q in queue[:counter.value])  # claimed so far, by either process
            on_progress(min(done, total), total)

    before = [(e.matched, e.prevented) for e in env.ignores]
    mine: list[int] = []
    try:
        helper = Helper(helper_work)
    except OSError:  # no process to be had: evaluate everything here
        return evaluate_some(tasks, range(len(tasks)), env, on_progress)
    try:
        results = evaluate_some(tasks, claim(mine), env, progress)  # fills mine as it claims
        outcomes = dict(zip(mine, results))
        payload = helper.result()
    finally:
        helper.stop()
    if payload is not None:
        taken, packed, counters = marshal.loads(payload)
        outcomes.update(zip(taken, (_unpack(p) for p in packed)))
        for entry, (m0, p0), (m1, p1) in zip(env.ignores, before, counters):
            entry.matched += m1 - m0
            entry.prevented += p1 - p0
    missing = [i for i in range(len(tasks)) if i not in outcomes]
    if missing:
        outcomes.update(zip(missing, evaluate_some(tasks, missing, env)))
    return [outcomes[i] for i in range(len(tasks))]


def _pack(o: "_Outcome") -> tuple[Any, ...]:
    return (tuple(getattr(o.rule_result, k) for k in _RESULT_FIELDS),
            [tuple(getattr(f, k) for k in _FINDING_FIELDS) for f in o.findings],
            [(key, tuple(getattr(i, k) for k in _ISSUE_FIELDS)) for key, i in o.issues])


def _unpack(packed: tuple[Any, ...]) -> "_Outcome":
    from .run import _Outcome

    rr, findings, issues = packed
    return _Outcome(RuleResult(*rr), [Finding(*f) for f in findings], [(k, InputIssue(*i)) for k, i in issues])

"""Container defines the same environment variable twice.

## What it checks
The `env` list of every container, init container and ephemeral container for names that occur
more than once.  The finding points at each repeated entry after the first.

## Why it matters
Only the last definition takes effect, silently: a reviewer reads the first value while the
container runs with another, which is how debug flags and wrong endpoints reach production.

## Failing example
```yaml
env:
  - {name: LOG_LEVEL, value: info}
  - {name: LOG_LEVEL, value: debug}
```

## Passing example
```yaml
env:
  - {name: LOG_LEVEL, value: info}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL035",
    slug="duplicate-env-var",
    title="Container defines the same environment variable twice",
    severity="low",
    category="reliability",
    target="workload",
    rationale=(
        "When a variable is defined twice only the last definition applies, so the value reviewers see is "
        "not the one the container runs with."
    ),
    remediation="Remove the repeated env entries so that each name is defined once.",
    references=("https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0295",), "kube-linter": ("duplicate-env-var",),
           "kube-score": ("environment-variable-key-duplication",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        env = c.raw.get("env")
        if not isinstance(env, list):
            continue
        first: dict[str, int] = {}
        for i, e in enumerate(env):
            name = e.get("name") if isinstance(e, dict) else None
            if not isinstance(name, str):
                continue
            if name in first:
                yield Violation(f"container {c.name!r} defines {name} again (first at env[{first[name]}]); only the "
                                "last definition applies", c.path("env", i, "name"), container=c.name)
            else:
                first[name] = i

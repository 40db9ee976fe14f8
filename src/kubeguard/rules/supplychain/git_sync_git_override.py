"""git-sync is told to run a custom git executable.

## What it checks
Every container, init container and ephemeral container for the git-sync setting that replaces
the `git` binary: the `GITSYNC_GIT` (git-sync v4) or `GIT_SYNC_GIT` (v3) environment variables,
or a `--git` argument to a git-sync image.

## Why it matters
git-sync executes whatever that setting names with the container's privileges.  Anyone who can
edit the workload, or the ConfigMap it reads its environment from, gets arbitrary command
execution in the pod, which for Airflow, Argo and similar systems includes their credentials
(the command injection presented by Akamai at DEF CON 32, 2024).

## Failing example
```yaml
env:
  - {name: GITSYNC_GIT, value: /tmp/evil.sh}
```

## Passing example
```yaml
env:
  - {name: GITSYNC_REPO, value: "https://github.com/acme/dags"}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.images import parse_image
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SU009",
    slug="git-sync-git-override",
    title="git-sync is told to run a custom git executable",
    severity="high",
    category="supplychain",
    tags=("mitre:T1059",),
    target="workload",
    rationale=(
        "git-sync runs whatever GITSYNC_GIT or --git names, so whoever can change the workload's environment "
        "or arguments gets code execution with its credentials."
    ),
    remediation="Remove GITSYNC_GIT, GIT_SYNC_GIT and --git so that git-sync uses the git binary of its image.",
    references=(
        "https://github.com/kubernetes/git-sync/blob/master/README.md",
        "https://www.akamai.com/blog/security-research/2024-august-kubernetes-gitsync-command-injection-defcon",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"checkov": ("CKV_K8S_159",)},
)

ENV_NAMES = ("GITSYNC_GIT", "GIT_SYNC_GIT")


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        env = c.raw.get("env")
        for i, e in enumerate(env if isinstance(env, list) else []):
            if isinstance(e, dict) and e.get("name") in ENV_NAMES:
                yield Violation(f"container {c.name!r} sets {e['name']}, replacing the git binary git-sync runs",
                                c.path("env", i, "name"), container=c.name)
        if "git-sync" not in parse_image(c.image).path:
            continue  # --git means something else to other programs
        for field in ("command", "args"):
            items = c.raw.get(field)
            for i, a in enumerate(items if isinstance(items, list) else []):
                if isinstance(a, str) and (a == "--git" or a.startswith("--git=")):
                    yield Violation(f"container {c.name!r} passes {a.split('=')[0]} to replace the git binary",
                                    c.path(field, i), container=c.name)

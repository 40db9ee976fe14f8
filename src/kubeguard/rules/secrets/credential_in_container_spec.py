"""Container command, arguments or environment contain a credential.

## What it checks
The `command`, `args` and `env[].value` of every container, init container and ephemeral
container for

* text with the shape of a real credential, whatever the variable is called: cloud access key
  ids, private-key blocks, GitHub, GitLab, Slack, Stripe, npm and Google API tokens, Azure
  storage keys, JSON Web Tokens, and URLs with an embedded password
  (`postgres://app:pw@db`);
* command-line flags that pass a secret inline: `--password=x`, `--token x`, `-p=x` style
  arguments whose flag name says it is a secret and whose value is a literal.

The finding names the container, the field and the kind of credential, never the value.

## Why it matters
Command lines are visible to every process on the node through `/proc/<pid>/cmdline`, in `ps`
output and in audit logs; manifest literals sit in Git and in the API server for anyone who
can read the workload.

## Failing example
```yaml
args: ["--db-url=postgres://app:hunter2@db:5432/app", "--api-token", "ghp_..."]
```

## Passing example
```yaml
args: ["--db-url-file=/run/secrets/db/url"]
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.sensitive import credential_kinds, is_literal_secret_value, is_sensitive_name
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC007",
    slug="credential-in-container-spec",
    title="Container command, arguments or environment contain a credential",
    severity="high",
    category="secrets",
    tags=("mitre:T1552",),
    target="workload",
    rationale=(
        "Credentials on command lines are readable by every process on the node and in audit logs, and "
        "literals in manifests live on in Git and the API server."
    ),
    remediation="Read the credential from a mounted Secret file or a secretKeyRef instead of passing it literally.",
    references=(
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        "https://kubernetes.io/docs/concepts/configuration/secret/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0012",)},
)

_FLAG = re.compile(r"^--?(?P<name>[A-Za-z][A-Za-z0-9_.-]*)(?:=(?P<value>.*))?$")


def _flag_secrets(args: list) -> Iterator[tuple[int, str]]:
    """(index, flag name) of ``--secret-flag=value`` / ``--secret-flag value`` pairs with literal values."""
    for i, a in enumerate(args):
        m = _FLAG.match(a) if isinstance(a, str) else None
        if m is None or not is_sensitive_name(m.group("name")):
            continue
        if m.group("value") is not None:
            value, at = m.group("value"), i
        elif i + 1 < len(args) and isinstance(args[i + 1], str) and not args[i + 1].startswith("-"):
            value, at = args[i + 1], i + 1
        else:
            continue
        if is_literal_secret_value(value):
            yield at, m.group("name")


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        for field in ("command", "args"):
            items = c.raw.get(field)
            if not isinstance(items, list):
                continue
            flagged = set()
            for i, name in _flag_secrets(items):
                flagged.add(i)
                yield Violation(f"container {c.name!r} {field} passes --{name} with a literal value",
                                c.path(field, i), container=c.name)
            for i, a in enumerate(items):
                kinds = credential_kinds(a) if i not in flagged else []
                if kinds:
                    yield Violation(f"container {c.name!r} {field}[{i}] contains {kinds[0]}", c.path(field, i),
                                    container=c.name)
        env = c.raw.get("env")
        for i, e in enumerate(env if isinstance(env, list) else []):
            kinds = credential_kinds(e.get("value")) if isinstance(e, dict) else []
            if kinds:
                yield Violation(f"container {c.name!r} env {e.get('name')} contains {kinds[0]}",
                                c.path("env", i, "value"), container=c.name)

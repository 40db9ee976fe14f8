"""Container sets a secret-looking environment variable to a literal value.

## What it checks
The `env[].value` of every container, init container and ephemeral container whose name says
it holds a secret (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`, `API_KEY`, `*_CREDENTIALS`, `DSN`...,
see `sensitive_names`) and whose value is a literal rather than a reference or template
(`$(VAR)`, `${VAR}`, `{{ }}`), a file path, a boolean or empty.  Names that only point at a
secret (`PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`, see `ignored_names`) are skipped.  The
finding says "literal value set" and never repeats the value.

## Why it matters
A literal in the manifest is a credential in Git, in every rendered chart, in the API server's
object (readable with `get` on the workload, not only on Secrets), in `kubectl describe`
output and in the last-applied annotation.

## Failing example
```yaml
env:
  - {name: DB_PASSWORD, value: "s3cr3t!"}
```

## Passing example
```yaml
env:
  - name: DB_PASSWORD
    valueFrom: {secretKeyRef: {name: db, key: password}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.sensitive import (
    DEFAULT_IGNORED_NAMES, DEFAULT_SENSITIVE_NAMES, is_literal_secret_value, is_sensitive_name,
)
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="SC006",
    slug="sensitive-env-literal",
    title="Container sets a secret-looking environment variable to a literal value",
    severity="high",
    category="secrets",
    tags=("mitre:T1552",),
    target="workload",
    rationale=(
        "Credentials written as env values sit in Git, rendered charts and the workload object, readable by "
        "anyone who can read Deployments, not only Secrets."
    ),
    remediation="Move the value into a Secret (or an external secret store) and reference it instead of inlining it.",
    references=(
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        "https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/",
    ),
    params=(
        Param(name="sensitive_names", type="list[regex]", default=list(DEFAULT_SENSITIVE_NAMES),
              description="Regexes matched against whole _-separated segments of the lower-cased variable name."),
        Param(name="ignored_names", type="list[regex]", default=list(DEFAULT_IGNORED_NAMES),
              description="Regexes (full match on the normalised name) for names that only point at a secret."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-linter": ("env-var-secret",), "polaris": ("sensitiveContainerEnvVar",), "kubescape": ("C-0012",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    sensitive, ignored = ctx.params.sensitive_names, ctx.params.ignored_names
    for c in pod.all_containers():
        env = c.raw.get("env")
        if not isinstance(env, list):
            continue
        for i, e in enumerate(env):
            if not isinstance(e, dict) or not isinstance(e.get("name"), str) or "value" not in e:
                continue
            if is_literal_secret_value(e["value"]) and is_sensitive_name(e["name"], sensitive, ignored):
                yield Violation(f"container {c.name!r} env {e['name']}: literal value set", c.path("env", i, "value"),
                                container=c.name)

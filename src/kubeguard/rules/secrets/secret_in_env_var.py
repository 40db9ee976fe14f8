"""Secret is exposed to a container as environment variables.

## What it checks
Every container, init container and ephemeral container for `env[].valueFrom.secretKeyRef`
and `envFrom[].secretRef`.  The finding names the Secret and key, never a value.

## Why it matters
Environment variables leak: they are inherited by every child process, printed by crash
handlers and debug endpoints, captured in core dumps and shown by `ps e` and
`/proc/<pid>/environ` to anything sharing the PID namespace.  Secrets mounted as files
(preferably read-only, with tight modes) avoid these paths and can be rotated without a
restart (CIS 5.4.1).

## Failing example
```yaml
env:
  - name: DB_PASSWORD
    valueFrom: {secretKeyRef: {name: db, key: password}}
```

## Passing example
```yaml
volumeMounts: [{name: db, mountPath: /run/secrets/db, readOnly: true}]
volumes: [{name: db, secret: {secretName: db}}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.refs import env_refs
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC005",
    slug="secret-in-env-var",
    title="Secret is exposed to a container as environment variables",
    severity="medium",
    category="secrets",
    tags=("cis-k8s:5.4.1", "mitre:T1552"),
    target="workload",
    rationale=(
        "Secrets in environment variables are inherited by child processes and end up in crash reports, "
        "debug output and /proc, where files mounted from the Secret would not."
    ),
    remediation="Mount the Secret as a read-only volume and read it from the file instead of the environment.",
    references=(
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0207",), "checkov": ("CKV_K8S_35",), "kube-linter": ("read-secret-from-env-var",),
           "kubesec": ("SecretsAsEnvironmentVariables",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        for ref in env_refs(c):
            if ref.kind != "Secret":
                continue
            what = f"key {ref.key!r} of" if ref.via == "env" else "every key of"
            what += f" Secret {ref.name!r}"
            yield Violation(f"container {c.name!r} gets {what} as environment variables", ref.path, container=c.name)

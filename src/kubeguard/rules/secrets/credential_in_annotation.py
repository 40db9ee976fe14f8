"""Object annotation contains a credential.

## What it checks
The annotations of every object for text with the shape of a real credential (private keys,
cloud access keys, tokens, JSON Web Tokens, URLs with an embedded password).  The
`kubectl.kubernetes.io/last-applied-configuration` annotation repeats the object itself and is
left to the rules that check those fields; Secrets have it stripped when read.  Findings name
the annotation, never the value.

## Why it matters
Annotations are returned by every `get`, `list` and `watch` of the object and by metadata-only
requests, copied into events, dashboards and audit logs: anything sensitive there is visible to
everyone who can list the resource type.

## Failing example
```yaml
metadata:
  annotations:
    backup.example.com/target: "s3://AKIAIOSFODNN7EXAMPLE:wJalr...@bucket"
```

## Passing example
```yaml
metadata:
  annotations:
    backup.example.com/credentials-secret: backup-s3
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation, pod_specs
from kubeguard.rules._helpers.sensitive import credential_kinds
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC009",
    slug="credential-in-annotation",
    title="Object annotation contains a credential",
    severity="high",
    category="secrets",
    tags=("mitre:T1552",),
    target="object",
    rationale=(
        "Annotations are returned to anyone who can list the object and copied into events and logs, so a "
        "credential in one is broadly exposed."
    ),
    remediation="Remove the credential from the annotation and keep it in a Secret that the annotation names instead.",
    references=(
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/",
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0012",)},
)

SKIPPED = frozenset({"kubectl.kubernetes.io/last-applied-configuration"})


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    sources = [("annotation", obj.annotations, ("metadata", "annotations"))]
    for view in pod_specs(obj):
        if view.base != ("spec",):  # pod templates carry their own annotations
            sources.append(("pod template annotation", view.annotations, view.base[:-1] + ("metadata", "annotations")))
    for label, values, base in sources:
        for key, value in values.items():
            if key in SKIPPED:
                continue
            kinds = credential_kinds(value)
            if kinds:
                yield Violation(f"{label} {key!r} contains {kinds[0]}", base + (key,))

"""ConfigMap holds a credential.

## What it checks
Every ConfigMap's `data` for

* keys whose name says they hold a secret (`password`, `client_secret`, `api-key`... see
  `sensitive_names`) with a literal value;
* embedded configuration files (properties, YAML, JSON, `.env`, INI) with `key = value` or
  `key: value` lines whose key is sensitive and whose value is a literal;
* text with the shape of a real credential anywhere in a value (private keys, cloud keys,
  tokens, URLs with an embedded password).

References and templates (`${DB_PASSWORD}`, `$(cat /run/secret)`, `{{ .Values.x }}`, `ENC(...)`,
file paths), code expressions in embedded scripts (`token=os.environ["HF_TOKEN"]`) and system
files such as `nsswitch.conf` are not literals.  `binaryData` is not inspected.  Findings name
the ConfigMap key (and line of an embedded file), never the value.

## Why it matters
ConfigMaps are not secret: they are readable by far more roles than Secrets, mounted without
restrictive modes, logged and diffed in plain text by GitOps tools, and never encrypted at
rest by KMS providers configured for Secrets only.

## Failing example
```yaml
kind: ConfigMap
data:
  application.properties: |
    spring.datasource.url=jdbc:postgresql://db:5432/app
    spring.datasource.password=hunter2
```

## Passing example
```yaml
kind: ConfigMap
data:
  application.properties: |
    spring.datasource.url=jdbc:postgresql://db:5432/app
    spring.datasource.password=${DB_PASSWORD}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.sensitive import (
    DEFAULT_IGNORED_NAMES, DEFAULT_SENSITIVE_NAMES, credential_kinds, embedded_assignments, is_literal_secret_value,
    is_sensitive_name,
)
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="SC008",
    slug="secret-in-configmap",
    title="ConfigMap holds a credential",
    severity="high",
    category="secrets",
    tags=("mitre:T1552",),
    target="object",
    kinds=("ConfigMap",),
    rationale=(
        "ConfigMaps are readable by many more roles than Secrets, are shown in plain text by tools and are "
        "not covered by Secret encryption at rest, so credentials in them are exposed."
    ),
    remediation="Move the credential into a Secret (or external secret store) and reference it from the configuration.",
    references=(
        "https://kubernetes.io/docs/concepts/configuration/configmap/",
        "https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
    ),
    params=(
        Param(name="sensitive_names", type="list[regex]", default=list(DEFAULT_SENSITIVE_NAMES),
              description="Regexes matched against whole _-separated segments of the lower-cased key name."),
        Param(name="ignored_names", type="list[regex]", default=list(DEFAULT_IGNORED_NAMES),
              description="Regexes (full match on the normalised name) for keys that only point at a secret."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0109", "KSV-01010"), "polaris": ("sensitiveConfigmapContent",), "kubescape": ("C-0012",)},
)


# System files whose keys name databases, not secrets (nsswitch "passwd: files").
SYSTEM_FILES = frozenset({"nsswitch.conf", "passwd", "group", "hosts", "resolv.conf"})


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    data = obj.raw.get("data")
    if not isinstance(data, dict):
        return
    sensitive, ignored = ctx.params.sensitive_names, ctx.params.ignored_names
    for key, value in data.items():
        key = str(key)
        path = ("data", key)
        if not isinstance(value, str):
            continue
        if "\n" not in value.strip() and is_sensitive_name(key, sensitive, ignored) and is_literal_secret_value(value):
            yield Violation(f"key {key!r}: literal value set", path)
            continue
        kinds = credential_kinds(value)
        if kinds:
            yield Violation(f"key {key!r} contains {kinds[0]}", path)
            continue
        if "\n" not in value.strip() or key.rsplit("/", 1)[-1] in SYSTEM_FILES:
            continue
        for line, name, val in embedded_assignments(value):
            if any(ch in val for ch in "()[]"):
                continue  # a code expression (os.environ["X"], get_secret()), not a stored value
            if is_sensitive_name(name, sensitive, ignored) and is_literal_secret_value(val):
                yield Violation(f"key {key!r} line {line} sets {name!r}: literal value set", path)

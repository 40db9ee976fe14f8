"""Pod refers to a ConfigMap or ConfigMap key that does not exist.

## What it checks
Every non-optional ConfigMap reference of every pod spec: `env[].valueFrom.configMapKeyRef`
(object and key), `envFrom[].configMapRef`, `configMap` volumes and `projected` volume sources.
The `kube-root-ca.crt` ConfigMap that Kubernetes creates in every namespace always exists.

On a live cluster or snapshot a missing ConfigMap is a failure.  In a manifest scan it is one
only when the workload's folder defines other ConfigMaps of that namespace (a typo is then likely);
otherwise the result is UNKNOWN, since the ConfigMap may be created elsewhere.

## Why it matters
Pods whose ConfigMap or key is missing never start (`CreateContainerConfigError`, or a volume
that cannot be mounted), and the rollout hangs.

## Failing example
```yaml
env:
  - name: LOG_LEVEL
    valueFrom: {configMapKeyRef: {name: web-config, key: log_level}}   # no such key
```

## Passing example
```yaml
env:
  - name: LOG_LEVEL
    valueFrom: {configMapKeyRef: {name: web-config, key: log_level, optional: true}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.refs import missing_references, pod_refs
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL037",
    slug="configmap-reference-missing",
    title="Pod refers to a ConfigMap or ConfigMap key that does not exist",
    severity="medium",
    category="reliability",
    target="workload",
    requires=("ConfigMap",),
    rationale=(
        "A pod whose ConfigMap or key is missing never starts: the kubelet reports CreateContainerConfigError "
        "or cannot mount the volume, and the rollout stalls."
    ),
    remediation="Create the ConfigMap (or key), fix the name, or mark the reference optional: true.",
    references=("https://kubernetes.io/docs/concepts/configuration/configmap/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kube-linter": ("env-value-from",), "popeye": ("POP-400", "POP-401")},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    refs = [r for r in pod_refs(pod) if r.kind == "ConfigMap"]
    yield from missing_references(pod, ctx, refs, "the referenced ConfigMaps")

"""Image pull secret is missing or of a kind the kubelet ignores.

## What it checks
Every `imagePullSecrets` entry of every pod spec.  The kubelet only uses a Secret of type
`kubernetes.io/dockerconfigjson` holding a `.dockerconfigjson` key, or of type
`kubernetes.io/dockercfg` holding `.dockercfg`; an `Opaque` Secret with the right key, or the
right type with the wrong key, is silently skipped.  A missing Secret is a failure on a live
cluster or snapshot, and in a manifest scan only when the workload's folder defines other
Secrets of the namespace and nothing there may create it at run time (see
`secret-reference-missing`); otherwise UNKNOWN.

## Why it matters
An unusable pull secret means anonymous pulls: private images fail with `ImagePullBackOff`,
and public ones hit anonymous rate limits, usually during a scale-up.

## Failing example
```yaml
kind: Secret
metadata: {name: registry}
type: Opaque
data: {.dockerconfigjson: eyJhdXRocyI6e319}
---
spec:
  imagePullSecrets: [{name: registry}]
```

## Passing example
```yaml
kind: Secret
metadata: {name: registry}
type: kubernetes.io/dockerconfigjson
data: {.dockerconfigjson: eyJhdXRocyI6e319}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, PodSpecView, Violation
from kubeguard.rules._helpers.refs import contents_known, pull_secret_refs, resolve, undecidable_reason
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SU007",
    slug="image-pull-secret-unusable",
    title="Image pull secret is missing or of a kind the kubelet ignores",
    severity="medium",
    category="supplychain",
    target="workload",
    requires=("Secret",),
    rationale=(
        "The kubelet skips pull secrets that are missing, of the wrong type or without the expected key, so "
        "private images fail to pull and public ones are pulled anonymously."
    ),
    remediation=(
        "Create the pull secret with kubectl create secret docker-registry (type kubernetes.io/dockerconfigjson) "
        "in the pod's namespace."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod",
        "https://kubernetes.io/docs/concepts/configuration/secret/#docker-config-secrets",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"popeye": ("POP-305",)},
)

USABLE = {"kubernetes.io/dockerconfigjson": ".dockerconfigjson", "kubernetes.io/dockercfg": ".dockercfg"}


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    refs = list(pull_secret_refs(pod))
    if not refs:
        return
    res = resolve(ctx.cluster, pod.obj, refs, lambda: ctx.graph("rbac"))
    problems = [(ref, f"pull secret: {problem}") for ref, problem in res.missing]
    for ref in refs:
        secret = ctx.cluster.get("Secret", pod.namespace, ref.name)
        if secret is None:
            continue
        if not contents_known(secret):
            res.undecidable.append(ref)
            res.metadata_only = True
            continue
        typ = secret.raw.get("type") or "Opaque"
        keys = {k for f in ("data", "stringData") if isinstance(secret.raw.get(f), dict) for k in secret.raw[f]}
        key = USABLE.get(typ)
        if key is None:
            problems.append((ref, f"pull secret {ref.name!r} has type {typ}; the kubelet only uses "
                                  "kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg"))
        elif key not in keys:
            problems.append((ref, f"pull secret {ref.name!r} of type {typ} has no {key} key"))
    if not problems and res.undecidable:
        raise NotEvaluated(undecidable_reason(res, "the referenced pull secrets"))
    for ref, problem in problems:
        yield Violation(problem, ref.path)

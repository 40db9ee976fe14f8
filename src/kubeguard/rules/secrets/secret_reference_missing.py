"""Pod refers to a Secret or Secret key that does not exist.

## What it checks
Every non-optional Secret reference of every pod spec: `env[].valueFrom.secretKeyRef` (object
and key), `envFrom[].secretRef`, `secret` volumes, `projected` secret sources, CSI
`nodePublishSecretRef` and the secret references of in-tree volume plugins.  Image pull
secrets are SU007's concern.  Key names are read from the Secret, whose values kubeguard never
keeps.

On a live cluster or snapshot a missing Secret is a failure.  In a manifest scan it is one only
when the workload's folder defines other Secrets of that namespace; otherwise the result is
UNKNOWN, since Secrets are often created by other tools.  Secrets that objects of the input
declare (cert-manager Certificates, ExternalSecrets, SealedSecrets, Vault and 1Password
operator resources, SecretProviderClass `secretObjects`) count as present, and when a workload
of the same folder and namespace runs as a ServiceAccount that may create Secrets there (Argo
CD's Redis password, webhook certificate jobs) the result is UNKNOWN.

## Why it matters
A pod whose Secret or key is missing never starts (`CreateContainerConfigError` or a volume
that cannot mount), and a rollout waiting for it stalls.

## Failing example
```yaml
env:
  - name: DB_PASSWORD
    valueFrom: {secretKeyRef: {name: db, key: passwrd}}
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
from kubeguard.rules._helpers.refs import missing_references, pod_refs
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC011",
    slug="secret-reference-missing",
    title="Pod refers to a Secret or Secret key that does not exist",
    severity="medium",
    category="secrets",
    target="workload",
    requires=("Secret",),
    rationale=(
        "A pod whose Secret or key is missing never starts: the kubelet reports CreateContainerConfigError "
        "or cannot mount the volume, and the rollout stalls."
    ),
    remediation="Create the Secret (or key), fix the name, or mark the reference optional: true.",
    references=("https://kubernetes.io/docs/concepts/configuration/secret/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kube-linter": ("env-value-from",), "popeye": ("POP-304",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    refs = [r for r in pod_refs(pod) if r.kind == "Secret" and r.via != "imagePullSecrets"]
    yield from missing_references(pod, ctx, refs, "the referenced Secrets")

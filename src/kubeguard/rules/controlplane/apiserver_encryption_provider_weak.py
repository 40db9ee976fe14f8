"""API server does not encrypt Secrets with a strong provider.

## What it checks
The `EncryptionConfiguration` that kube-apiserver's `--encryption-provider-config` names,
when that file is given with `--node-config` (`[NODE=]FILE`; without a node it applies to
every kube-apiserver of the cluster). The `resources` entries are tried in order, as the
API server does; the first that covers Secrets (`secrets`, `*.` or `*.*`) decides, and
its first provider is the one that encrypts new writes. It must be `kms`, `aescbc` or
`secretbox`: `identity` stores Secrets in clear text, and `aesgcm` is not among the
benchmark's providers (kube-bench rejects it; its keys must be rotated every 200,000
writes). No entry for Secrets means they are not encrypted. Without
`--encryption-provider-config` the rule fails; with it but without the file, it is UNKNOWN.

## Why it matters
Secrets written with `identity` first are stored in etcd as plain text: every etcd
backup, snapshot or disk holds them readable, even when a strong provider is listed
later (later providers only decrypt old data).

## Failing example
```yaml
kind: EncryptionConfiguration
apiVersion: apiserver.config.k8s.io/v1
resources:
  - resources: [secrets]
    providers:
      - identity: {}
      - aescbc:
          keys: [{name: key1, secret: <base64 key>}]
```

## Passing example
```yaml
kind: EncryptionConfiguration
apiVersion: apiserver.config.k8s.io/v1
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: vault, endpoint: unix:///var/run/kms.sock}
      - identity: {}
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the cloud rules check their
secrets encryption. Key values are never read into the scan: only provider types and key
names are kept.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER, FlagError
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, component_rule, given_file

META = RuleMeta(
    code="CP050",
    slug="apiserver-encryption-provider-weak",
    title="API server does not encrypt Secrets with a strong provider",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.28",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Only the first provider encrypts new writes: with identity (or nothing) first, Secrets reach etcd and "
        "its backups in clear text."
    ),
    remediation=(
        "List secrets in the EncryptionConfiguration with kms (v2), aescbc or secretbox as the first provider, "
        "then rewrite all Secrets (kubectl get secrets -A -o json | kubectl replace -f -)."
    ),
    references=(
        "https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/",
        "https://kubernetes.io/docs/reference/config-api/apiserver-encryption.v1/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0142",)},
)

STRONG = ("kms", "aescbc", "secretbox")
_WHY = {"identity": "new Secrets are written to etcd unencrypted",
        "aesgcm": "aesgcm needs its key rotated every 200,000 writes; use kms v2, aescbc or secretbox"}


def covers_secrets(name: str) -> bool:
    """``secrets`` (core group), ``*.`` (every core resource) or ``*.*`` (everything)."""
    resource, _, group = name.partition(".")
    return name == "*.*" or (group == "" and resource in ("secrets", "*"))


def check(inst: Instance, ctx) -> Iterator[Violation]:
    given = given_file(inst, ctx, "encryption-provider-config")
    if given is None:
        s = inst.flags["encryption-provider-config"]
        yield inst.fail(s, "--encryption-provider-config is not set: Secrets are stored in etcd unencrypted", "")
        return
    for i, entry in enumerate(given.config.get("resources") or []):
        if not any(covers_secrets(r) for r in entry.get("resources") or []):
            continue
        providers = entry.get("providers") or []
        if not providers:
            raise FlagError(f"{given.file} resources[{i}] has no providers, which the API server rejects")
        first = providers[0]
        kind = first.get("type")
        where = f"resources[{i}].providers[0]"
        if kind in STRONG:
            return
        if kind in _WHY:
            yield given.fail(inst, f"{kind} is the first provider for secrets ({where}): {_WHY[kind]}",
                             entry=where, provider=kind)
            return
        raise FlagError(f"{given.file} {where} is {kind!r}, not a provider the API server accepts")
    yield given.fail(inst, "no resources entry covers secrets: they are stored unencrypted", entry=None,
                     provider="identity")


applies, evaluate = component_rule(KUBE_APISERVER, check)

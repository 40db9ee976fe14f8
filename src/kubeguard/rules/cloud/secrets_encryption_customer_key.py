"""Kubernetes Secrets are not envelope-encrypted with a customer-managed key.

## What it checks
EKS `cluster.encryptionConfig[]` needs an entry whose `resources` contains
`secrets` with a `provider.keyArn` (AWS omits the key when no customer key is
set); AKS `securityProfile.azureKeyVaultKms.enabled` must be `true` with a
`keyId`; GKE `databaseEncryption.state` must be `ENCRYPTED` (or
`ALL_OBJECTS_ENCRYPTION_ENABLED`) with a `keyName`, and `currentState` must not
report a decrypted or failed state.

## Why it matters
Provider-managed disk encryption protects against stolen disks, not against
someone reading etcd or its backups.  Envelope encryption with your own KMS key
adds a second lock you control and can revoke, and audits every decryption.

## Failing example
```json
{"databaseEncryption": {"state": "DECRYPTED", "currentState": "CURRENT_STATE_DECRYPTED"}}
```

## Passing example
```json
{"databaseEncryption": {"state": "ENCRYPTED", "keyName": "projects/p/locations/l/keyRings/r/cryptoKeys/k"}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL003",
    slug="secrets-encryption-customer-key",
    title="Secrets are not encrypted with a customer-managed KMS key",
    severity="high",
    category="cloud",
    tags=("cis-eks:5.3.1", "cis-aks:5.3.1", "cis-gke:5.3.1"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Without envelope encryption anyone who reads etcd, a snapshot or a backup reads every Secret; a "
        "customer-managed key adds access control, audit and revocation you own."
    ),
    remediation=(
        "Enable envelope encryption: EKS aws eks associate-encryption-config with a KMS key for secrets; AKS "
        "az aks update --enable-azure-keyvault-kms --azure-keyvault-kms-key-id KEY; GKE gcloud container "
        "clusters update --database-encryption-key KEY."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html",
        "https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0066",), "trivy": ("AVD-AWS-0039",)},
)

applies = applies_to()
GOOD_GKE = ("ENCRYPTED", "ALL_OBJECTS_ENCRYPTION_ENABLED")
BAD_GKE_CURRENT = ("CURRENT_STATE_DECRYPTED", "CURRENT_STATE_ENCRYPTION_ERROR", "CURRENT_STATE_DECRYPTION_ERROR",
                   "CURRENT_STATE_DECRYPTION_PENDING")


def _eks(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    configs = c.value("encryptionConfig", default=[])
    for cfg in configs:
        if isinstance(cfg, dict) and "secrets" in (cfg.get("resources") or []) and (cfg.get("provider") or {}).get("keyArn"):
            return
    yield c.fail("no KMS key encrypts secrets", ("encryptionConfig",), c.get("encryptionConfig"))


def _aks(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    path = ("securityProfile", "azureKeyVaultKms")
    kms = c.value(*path, default={})
    if kms.get("enabled") is not True:
        yield c.fail("Key Vault KMS encryption of secrets is off", (*path, "enabled"), kms.get("enabled"))
    elif not kms.get("keyId"):
        yield c.fail("Key Vault KMS is on without a key", (*path, "keyId"), kms.get("keyId"))


def _gke(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    state = c.value("databaseEncryption", "state", default="DECRYPTED")
    if state not in GOOD_GKE:
        yield c.fail("application-layer secrets encryption is off", ("databaseEncryption", "state"),
                     c.get("databaseEncryption", "state"))
    elif not c.value("databaseEncryption", "keyName"):
        yield c.fail("secrets encryption has no Cloud KMS key", ("databaseEncryption", "keyName"),
                     c.get("databaseEncryption", "keyName"))
    elif c.value("databaseEncryption", "currentState") in BAD_GKE_CURRENT:
        yield c.fail("secrets encryption is not in effect", ("databaseEncryption", "currentState"),
                     c.get("databaseEncryption", "currentState"))


evaluate = by_provider(eks=_eks, aks=_aks, gke=_gke)

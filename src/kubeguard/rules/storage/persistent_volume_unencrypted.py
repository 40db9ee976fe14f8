"""PersistentVolume uses an unencrypted StorageClass.

## What it checks
Every PersistentVolume whose `storageClassName` names a StorageClass of the scanned input that
provisions unencrypted volumes (the ST001 criteria).  Statically provisioned volumes without a
known class are not judged: their encryption is a property of the disk, not of the object.

## Why it matters
The volume's data sits unencrypted on the storage backend and in every snapshot of it; the
finding lists the volumes (and so the workloads) that already hold data, where ST001 only
names the class.

## Failing example
```yaml
kind: PersistentVolume
spec:
  storageClassName: gp3-plain        # provisioner ebs.csi.aws.com without encrypted: "true"
```

## Passing example
```yaml
kind: PersistentVolume
spec:
  storageClassName: gp3-encrypted
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.storage import class_encryption
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="ST002",
    slug="persistent-volume-unencrypted",
    title="PersistentVolume uses an unencrypted StorageClass",
    severity="medium",
    category="storage",
    tags=("mitre:T1530",),
    target="object",
    kinds=("PersistentVolume",),
    requires=("StorageClass",),
    rationale=(
        "Data on volumes from an unencrypted class sits in clear text on the backend and in its snapshots."
    ),
    remediation=(
        "Migrate the data to a volume of an encrypted StorageClass (snapshot, restore into an encrypted "
        "class)."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/storage/persistent-volumes/",
        "https://kubernetes.io/docs/concepts/storage/storage-classes/",
    ),
    params=(
        Param(name="ebs_encrypted_by_default", type="bool", default=False,
              description="The AWS account has EBS encryption by default enabled in every region used."),
        Param(name="encrypted_provisioners", type="list[str]", default=[],
              description="Other provisioners known to encrypt at rest (for example an NFS on encrypted disks)."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0264",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    name = obj.spec.get("storageClassName")
    sc = ctx.cluster.get("StorageClass", None, name) if isinstance(name, str) and name else None
    if sc is None:
        return
    encrypted, why = class_encryption(sc, ctx.params.ebs_encrypted_by_default, ctx.params.encrypted_provisioners)
    if encrypted is False:
        yield Violation(f"StorageClass {name!r}: {why}", ("spec", "storageClassName"), related=(sc.ref,))

"""StorageClass provisions volumes that are not encrypted at rest.

## What it checks
Every StorageClass whose provisioner encrypts only on request, when the request is missing:

* AWS EBS (`ebs.csi.aws.com`, in-tree `kubernetes.io/aws-ebs`, EKS Auto Mode's
  `ebs.csi.eks.amazonaws.com`): `parameters.encrypted: "true"`,
  unless `ebs_encrypted_by_default` says the AWS account encrypts new volumes anyway;
* Ceph RBD (`rbd.csi.ceph.com`) and Longhorn (`driver.longhorn.io`): `encrypted: "true"`;
* Portworx: `secure: "true"`.

GCE Persistent Disk and Filestore, Azure Disk and Azure Files always encrypt at rest.  Other
provisioners (NFS, local paths, vendor drivers) cannot be judged from the object; list the ones
you know to be encrypted in `encrypted_provisioners`.

## Why it matters
Unencrypted volumes expose application data to anyone who gets hold of a snapshot, a detached
disk or the storage backend, and fail PCI DSS, HIPAA and SOC 2 encryption-at-rest controls.

## Failing example
```yaml
kind: StorageClass
provisioner: ebs.csi.aws.com
parameters: {type: gp3}
```

## Passing example
```yaml
kind: StorageClass
provisioner: ebs.csi.aws.com
parameters: {type: gp3, encrypted: "true", kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/..."}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.storage import FLAG_PARAMETER, class_encryption
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="ST001",
    slug="storage-class-unencrypted",
    title="StorageClass provisions volumes that are not encrypted at rest",
    severity="medium",
    category="storage",
    tags=("mitre:T1530",),
    target="object",
    kinds=("StorageClass",),
    rationale=(
        "Volumes provisioned without encryption expose data through snapshots, detached disks and the "
        "storage backend, and fail encryption-at-rest requirements."
    ),
    remediation="Set the provisioner's encryption parameter (for EBS: encrypted: \"true\", ideally with kmsKeyId).",
    references=(
        "https://kubernetes.io/docs/concepts/storage/storage-classes/",
        "https://github.com/kubernetes-sigs/aws-ebs-csi-driver/blob/master/docs/parameters.md",
    ),
    params=(
        Param(name="ebs_encrypted_by_default", type="bool", default=False,
              description="The AWS account has EBS encryption by default enabled in every region used."),
        Param(name="encrypted_provisioners", type="list[str]", default=[],
              description="Other provisioners known to encrypt at rest (for example an NFS on encrypted disks)."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0264",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    encrypted, why = class_encryption(obj, ctx.params.ebs_encrypted_by_default, ctx.params.encrypted_provisioners)
    if encrypted is False:
        flag = FLAG_PARAMETER[str(obj.raw.get("provisioner"))]
        yield Violation(why, ("parameters", flag))

"""Encryption at rest as StorageClass provisioners define it.

Cloud disks of GCE/GKE (Persistent Disk, Filestore) and Azure (Disk, Files) are always
encrypted at rest by the platform.  AWS EBS volumes (the EBS CSI driver, the in-tree plugin and
EKS Auto Mode's ``ebs.csi.eks.amazonaws.com``) are encrypted only when the class asks for it
(``encrypted: "true"``) or the account enables EBS encryption by default.  Ceph RBD and
Longhorn encrypt when ``encrypted: "true"``; Portworx when ``secure: "true"``.  For any other
provisioner (NFS, local paths, vendor drivers) the objects say nothing, so no verdict is given.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject

ALWAYS_ENCRYPTED = frozenset({
    "pd.csi.storage.gke.io", "kubernetes.io/gce-pd", "filestore.csi.storage.gke.io",
    "disk.csi.azure.com", "file.csi.azure.com", "kubernetes.io/azure-disk", "kubernetes.io/azure-file",
})
AWS_EBS = frozenset({"ebs.csi.aws.com", "kubernetes.io/aws-ebs", "ebs.csi.eks.amazonaws.com"})  # last: EKS Auto Mode
# provisioner -> parameter that must be "true"
FLAG_PARAMETER = {
    "ebs.csi.aws.com": "encrypted", "kubernetes.io/aws-ebs": "encrypted", "ebs.csi.eks.amazonaws.com": "encrypted",
    "rbd.csi.ceph.com": "encrypted",
    "driver.longhorn.io": "encrypted", "pxd.portworx.com": "secure", "kubernetes.io/portworx-volume": "secure",
}


def class_encryption(sc: K8sObject, ebs_default_encrypted: bool,
                     declared_encrypted: list[str] | tuple[str, ...] = ()) -> tuple[bool | None, str]:
    """``(encrypted, explanation)``; ``encrypted`` is None when the provisioner is not known."""
    provisioner = str(sc.raw.get("provisioner") or "")
    params = sc.raw.get("parameters") if isinstance(sc.raw.get("parameters"), dict) else {}
    if provisioner in ALWAYS_ENCRYPTED or provisioner in declared_encrypted:
        return True, f"{provisioner} encrypts at rest"
    flag = FLAG_PARAMETER.get(provisioner)
    if flag is None:
        return None, f"{provisioner or 'no provisioner'} does not say"
    if str(params.get(flag, "")).lower() == "true":
        return True, f"parameters.{flag} is true"
    if provisioner in AWS_EBS and ebs_default_encrypted:
        return True, "the account encrypts new EBS volumes by default"
    return False, f"{provisioner} volumes are not encrypted unless parameters.{flag} is \"true\""


def claims(obj: K8sObject) -> Iterator[tuple[str, dict, tuple]]:
    """``(label, claim spec, path of the spec)`` for a PVC or each claim template of a StatefulSet."""
    if obj.kind == "PersistentVolumeClaim" and obj.group == "":
        yield f"claim {obj.name!r}", obj.spec, ("spec",)
    elif obj.kind == "StatefulSet" and obj.group == "apps":
        templates = obj.spec.get("volumeClaimTemplates")
        for i, t in enumerate(templates if isinstance(templates, list) else []):
            if isinstance(t, dict):
                spec = t.get("spec") if isinstance(t.get("spec"), dict) else {}
                meta = t.get("metadata") if isinstance(t.get("metadata"), dict) else {}
                name = meta.get("name", f"#{i}")
                yield f"claim template {name!r}", spec, ("spec", "volumeClaimTemplates", i, "spec")

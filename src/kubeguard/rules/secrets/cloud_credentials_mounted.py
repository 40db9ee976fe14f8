"""Pod mounts host files holding cloud or node credentials.

## What it checks
Every hostPath volume of every pod spec for a path that is, contains or lies inside a place
where nodes keep credentials:

* cloud provider credentials: `/etc/kubernetes/azure.json` (AKS service principal or managed
  identity), `/etc/kubernetes/cloud.conf` and `cloud-config`, `.aws`, `.azure` and
  `.config/gcloud` in root's and users' home directories, `/var/lib/waagent`;
* node identity: the kubelet's `pki` and `kubeconfig` and its `pods` directory (every pod's
  service account token and mounted Secrets) under `/var/lib/kubelet`, `/etc/kubernetes/pki`,
  `kubelet.conf` and `admin.conf`, and GKE's `/etc/srv/kubernetes`.  Plugin and device-plugin
  sockets elsewhere under `/var/lib/kubelet` are not credentials and are not reported.

Mounting `/` or `/etc` exposes these as well and is reported with the location it reaches.  On
an EKS, AKS or GKE cluster the other clouds' locations are not named.

## Why it matters
These files turn a container compromise into cloud account or cluster compromise: the Azure
service principal can modify the cluster's resource group, the kubelet credentials act as the
node, and other pods' tokens act as their service accounts (MITRE T1552.001, T1528).

## Failing example
```yaml
volumes:
  - name: azure
    hostPath: {path: /etc/kubernetes/azure.json, type: File}
```

## Passing example
```yaml
# use workload identity (IRSA, Azure Workload Identity, GKE Workload Identity) instead
volumes:
  - name: cache
    hostPath: {path: /var/cache/app, type: DirectoryOrCreate}
```

## Exceptions
Node agents (CSI drivers, cloud controllers, the kubelet's own helpers) legitimately read some
of these; exempt them by name with a reason.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.hostpaths import host_path_volumes
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC014",
    slug="cloud-credentials-mounted",
    title="Pod mounts host files holding cloud or node credentials",
    severity="high",
    category="secrets",
    tags=("mitre:T1552.001", "mitre:T1528"),
    target="workload",
    rationale=(
        "Node credential files (cloud service principals, kubelet certificates, other pods' tokens) turn a "
        "container compromise into cloud-account or cluster compromise."
    ),
    remediation=(
        "Remove the hostPath volume and give the workload its own identity through IRSA, EKS Pod Identity, "
        "Azure Workload Identity or GKE Workload Identity."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        "https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview",
        "https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0020",)},
)

# host location -> (what it holds, the provider it belongs to; None: any), node identity first
LOCATIONS = {
    "/var/lib/kubelet/pods": ("every pod's service account token and mounted Secrets", None),
    "/var/lib/kubelet/pki": ("the kubelet's client certificates", None),
    "/var/lib/kubelet/kubeconfig": ("the kubelet's kubeconfig", None),
    "/etc/kubernetes/pki": ("the cluster's private keys", None),
    "/etc/kubernetes/admin.conf": ("the cluster-admin kubeconfig", None),
    "/etc/kubernetes/kubelet.conf": ("the kubelet's kubeconfig", None),
    "/etc/kubernetes/cloud.conf": ("the cloud provider configuration and credentials", None),
    "/etc/kubernetes/cloud-config": ("the cloud provider configuration and credentials", None),
    "/etc/kubernetes/azure.json": ("the Azure cloud provider credentials", "aks"),
    "/var/lib/waagent": ("the Azure VM agent's certificates", "aks"),
    "/root/.azure": ("Azure CLI credentials", "aks"), "/home/*/.azure": ("Azure CLI credentials", "aks"),
    "/etc/srv/kubernetes": ("GKE node credentials", "gke"),
    "/root/.config/gcloud": ("Google Cloud credentials", "gke"),
    "/home/*/.config/gcloud": ("Google Cloud credentials", "gke"),
    "/root/.aws": ("AWS credentials", "eks"), "/home/*/.aws": ("AWS credentials", "eks"),
}
# Providers whose nodes are known not to be on another cloud: their locations alone are named.
_CLOUD_PROVIDERS = frozenset({"eks", "aks", "gke"})


def related(path: str, location: str) -> bool:
    """True when one of the two is (a glob-aware) ancestor of, or equal to, the other."""
    a = [p for p in path.split("/") if p]
    b = [p for p in location.split("/") if p]
    return all(fnmatch.fnmatchcase(x, y) for x, y in zip(a, b))


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    provider = ctx.cluster.facts.provider
    for i, vol, path in host_path_volumes(pod):
        reached = [what for loc, (what, cloud) in LOCATIONS.items()
                   if (cloud is None or provider not in _CLOUD_PROVIDERS or cloud == provider) and related(path, loc)]
        if reached:
            unique = list(dict.fromkeys(reached))
            things = ", ".join(unique[:3]) + (f" and {len(unique) - 3} more credential locations"
                                              if len(unique) > 3 else "")
            yield Violation(f"hostPath volume {vol.get('name')!r} ({path}) exposes {things}",
                            pod.path("volumes", i, "hostPath", "path"))

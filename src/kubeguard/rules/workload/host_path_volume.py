"""Pod mounts a hostPath volume.

## What it checks
Every volume of every pod spec for a `hostPath` source, whatever the path.  This
is the Pod Security Standards baseline control *HostPath Volumes* (restricted
forbids it too, through its volume-type allow-list).

## Why it matters
A hostPath volume is a directory or file of the node inside the container.
Depending on the path it leaks node credentials and other pods' data, or lets
the container write to the node and escape (runtime sockets, `/etc`, kubelet
directories, symlink tricks in `/var/log`).

## Failing example
```yaml
volumes:
  - name: host
    hostPath:
      path: /var/lib/app
```

## Passing example
```yaml
volumes:
  - name: data
    persistentVolumeClaim:
      claimName: app-data
```

## Exceptions
Node agents (log shippers, CSI node plugins, CNI) mount host paths by design;
exempt them by name.  See also `sensitive-host-path`, `writable-host-path` and
`container-runtime-socket` for the riskiest cases.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.hostpaths import host_path_volumes
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL005",
    slug="host-path-volume",
    title="Pod mounts a hostPath volume",
    severity="medium",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611", "cis-k8s:5.2.11"),
    target="workload",
    rationale=(
        "A hostPath volume puts part of the node's filesystem in the container: depending on the path it "
        "leaks credentials and data or lets the container change the node."
    ),
    remediation="Replace the hostPath volume with a PersistentVolumeClaim, emptyDir, configMap or secret volume.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
                "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0048", "C-0203"), "trivy": ("KSV-0023",), "polaris": ("hostPathSet",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for i, vol, path in host_path_volumes(pod):
        yield Violation(f"volume {vol.get('name')!r} mounts host path {path}", pod.path("volumes", i, "hostPath"))

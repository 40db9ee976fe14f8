"""Pod mounts a sensitive directory of the node.

## What it checks
Every `hostPath` volume whose path is, lies below, or contains one of the
`sensitive_paths` (by default `/boot`, `/dev`, `/etc`, `/lib`, `/proc`, `/sys`,
`/usr`, `/root`, `/home`, `/var/log` and the kubelet, docker, containerd and
etcd state directories).  The host root `/` always counts: it contains them all.
Paths are normalised first (`//etc/../etc/` is `/etc`).  Paths under
`allowed_paths` (CA bundles, time zone data) are not reported.

## Why it matters
These locations hold node credentials (kubelet client certificates, etcd data,
cloud configs), other pods' service-account tokens and logs, kernel interfaces
(`/proc`, `/sys`, `/dev`) and the binaries the node executes.  Reading them
steals identities; writing them is a node takeover; `/var/log` is the classic
symlink trick to read any file of the node through the kubelet.

## Failing example
```yaml
volumes:
  - name: kubelet
    hostPath:
      path: /var/lib/kubelet
```

## Passing example
```yaml
volumes:
  - name: certs
    hostPath:
      path: /etc/ssl/certs
```

## Exceptions
Monitoring and logging agents mount `/proc`, `/sys` or `/var/log` read-only;
exempt them by name, or add the path to `allowed_paths`.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.hostpaths import first_exposed, host_path_volumes, is_within, normalize
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

SENSITIVE = [
    "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr", "/root", "/home", "/var/log",
    "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/lib/etcd", "/etc/kubernetes",
]
ALLOWED = [
    "/etc/ssl/certs", "/etc/pki/tls/certs", "/etc/pki/ca-trust", "/etc/ca-certificates",
    "/usr/share/ca-certificates", "/etc/localtime", "/usr/share/zoneinfo",
]

META = RuleMeta(
    code="WL006",
    slug="sensitive-host-path",
    title="Pod mounts a sensitive directory of the node",
    severity="high",
    category="workload",
    tags=("mitre:T1611", "mitre:T1552.001"),
    target="workload",
    rationale=(
        "Node directories such as /etc, /var/lib/kubelet, /proc or /var/log hold node credentials, other pods' "
        "tokens and kernel interfaces: reading them steals identities, writing them takes the node."
    ),
    remediation=(
        "Remove the hostPath volume; if an agent truly needs host data, mount the narrowest subdirectory "
        "read-only and run the agent on dedicated nodes."
    ),
    references=("https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
                "https://docs.kubelinter.io/#/generated/checks?id=sensitive-host-mounts"),
    params=(
        Param(name="sensitive_paths", type="list[str]", default=SENSITIVE,
              description="Host paths that must not be mounted, nor anything below or above them."),
        Param(name="allowed_paths", type="list[str]", default=ALLOWED,
              description="Host paths (and what lies below them) that are never reported."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-linter": ("sensitive-host-mounts",), "kubesec": ("ProcMount",), "trivy": ("KSV-0121",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for i, vol, path in host_path_volumes(pod):
        if any(is_within(path, normalize(a)) for a in ctx.params.allowed_paths):
            continue
        hit = "/" if path == "/" else first_exposed(path, ctx.params.sensitive_paths)
        if hit is None:
            continue
        target = normalize(hit)
        if path == "/":
            what = "the node's root filesystem"
        elif target == path:
            what = f"sensitive host path {path}"
        elif is_within(path, target):
            what = f"host path {path}, inside sensitive {hit}"
        else:
            what = f"host path {path}, which contains sensitive {hit}"
        yield Violation(f"volume {vol.get('name')!r} mounts {what}", pod.path("volumes", i, "hostPath", "path"))

"""Pod mounts the container runtime socket.

## What it checks
Every `hostPath` volume whose path is a container runtime socket (Docker,
containerd, CRI-O, cri-dockerd, Podman, k3s/RKE2, MicroK8s) or a directory that contains one
(`/var/run`, `/run/containerd`, ...).  Paths are normalised first.  The list is
the `socket_paths` parameter.

## Why it matters
Whoever talks to the runtime socket can start a privileged container with the
host filesystem mounted, exec into any container on the node and read their
secrets: it is root on the node, outside any Kubernetes admission control.

## Failing example
```yaml
volumes:
  - name: docker
    hostPath:
      path: /var/run/docker.sock
```

## Passing example
```yaml
volumes:
  - name: cache
    emptyDir: {}
```

## Exceptions
Image builders and some monitoring agents mount it; move builds to rootless
tools (BuildKit rootless, Kaniko) and exempt the rest by name.

## Differences from Checkov
Checkov's CKV_K8S_27 matches only the exact path `/var/run/docker.sock`. This rule also flags the
containerd and CRI-O sockets and any hostPath that contains one (`/`, `/run`, `/var/run`), e.g.
Calico's `csi-node-driver` mounting `/var/run` (42 objects on the corpus).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.hostpaths import host_path_volumes, is_within, normalize
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

SOCKETS = [
    "/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock", "/run/cri-dockerd.sock", "/var/run/dockershim.sock", "/run/dockershim.sock",
    "/run/podman/podman.sock", "/var/run/podman/podman.sock",
    "/run/k3s/containerd/containerd.sock", "/var/run/k3s/containerd/containerd.sock",  # k3s and RKE2
    "/var/snap/microk8s/common/run/containerd.sock",  # MicroK8s
]

META = RuleMeta(
    code="WL007",
    slug="container-runtime-socket",
    title="Pod mounts the container runtime socket",
    severity="critical",
    category="workload",
    tags=("mitre:T1611", "mitre:T1610"),
    target="workload",
    rationale=(
        "The runtime socket starts and execs containers on the node without Kubernetes admission: access to it "
        "is root on the node and access to every container's secrets."
    ),
    remediation="Remove the hostPath volume of the runtime socket; build images with rootless tools instead.",
    references=("https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",),
    params=(
        Param(name="socket_paths", type="list[str]", default=SOCKETS,
              description="Container runtime sockets; mounting one of them or a directory above it is reported."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0074",), "checkov": ("CKV_K8S_27",), "trivy": ("KSV-0006",),
           "kube-linter": ("docker-sock",), "kubesec": ("DockerSock",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for i, vol, path in host_path_volumes(pod):
        for sock in ctx.params.socket_paths:
            s = normalize(sock)
            if is_within(s, path):
                what = f"the container runtime socket {s}" if s == path else f"{path}, which contains the runtime socket {s}"
                yield Violation(f"volume {vol.get('name')!r} mounts {what}", pod.path("volumes", i, "hostPath", "path"))
                break

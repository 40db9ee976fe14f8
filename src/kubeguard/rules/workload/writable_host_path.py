"""Container mounts a hostPath volume writable.

## What it checks
Every volume mount of every container, init container and ephemeral container
that mounts a `hostPath` volume without `readOnly: true`.

## Why it matters
A writable host mount lets a compromised container plant files on the node:
cron jobs, systemd units, binaries, kubelet configuration or static pod
manifests, which the node then runs as root.

## Failing example
```yaml
containers:
  - name: agent
    image: agent:1.0
    volumeMounts:
      - name: host-logs
        mountPath: /logs
volumes:
  - name: host-logs
    hostPath:
      path: /var/log/app
```

## Passing example
```yaml
containers:
  - name: agent
    image: agent:1.0
    volumeMounts:
      - name: host-logs
        mountPath: /logs
        readOnly: true
volumes:
  - name: host-logs
    hostPath:
      path: /var/log/app
```

## Exceptions
Agents that must write to the node (CSI node plugins, log shippers keeping
their position files) need it; exempt them by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.hostpaths import host_path_volumes
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL008",
    slug="writable-host-path",
    title="Container mounts a hostPath volume writable",
    severity="high",
    category="workload",
    tags=("mitre:T1611",),
    target="workload",
    rationale=(
        "A writable host mount lets the container plant files the node executes as root: cron entries, "
        "binaries, kubelet configuration or static pod manifests."
    ),
    remediation="Set readOnly: true on every volumeMount of a hostPath volume, or remove the hostPath volume.",
    references=("https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0045",), "kube-linter": ("writable-host-mount",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    host = {vol.get("name"): path for _, vol, path in host_path_volumes(pod)}
    if not host:
        return
    for c in pod.all_containers():
        mounts = c.raw.get("volumeMounts")
        if not isinstance(mounts, list):
            continue
        for j, m in enumerate(mounts):
            if not isinstance(m, dict) or m.get("name") not in host or m.get("readOnly") is True:
                continue
            where = c.path("volumeMounts", j, "readOnly")
            yield Violation(f"container {c.name!r} mounts host path {host[m['name']]} writable "
                            f"(volumeMounts[{j}].readOnly is not true)", where, container=c.name)

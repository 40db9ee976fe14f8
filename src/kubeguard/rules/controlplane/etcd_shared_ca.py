"""etcd trusts the cluster's client CA.

## What it checks
etcd's `--trusted-ca-file` in the etcd static pod in kube-system (a manifest from
/etc/kubernetes/manifests, or the mirror Pod a live cluster returns), read as etcd reads
them: Go flag syntax (`-name` or `--name`), and an `ETCD_*` environment variable when
the flag is absent. With `--config-file` etcd ignores flags and variables: UNKNOWN. It
must be set and name a different file from every kube-apiserver `--client-ca-file` in
the cluster; with no API server to compare against the rule is UNKNOWN. Two paths
holding the same certificate are not detected (the files need node access).

## Why it matters
If etcd trusts the CA that signs every user and kubelet client certificate, any of those
certificates can talk to etcd directly and bypass RBAC.

## Failing example
```yaml
command:
  - etcd
  - --trusted-ca-file=/etc/kubernetes/pki/ca.crt
```

## Passing example
```yaml
command:
  - etcd
  - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
```

## Exceptions and known false positives/negatives
Managed control planes run etcd out of sight, and external etcd clusters run outside the
Kubernetes nodes: the rule does not apply when no etcd Pod is in kube-system.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from kubeguard.model import ClusterInventory, NotEvaluated, Violation
from kubeguard.rules._helpers.flags import ETCD, KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, component_rule, instances

META = RuleMeta(
    code="CP046",
    slug="etcd-shared-ca",
    title="etcd trusts the cluster's client CA",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:2.7",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "A CA shared with the API server lets every cluster client certificate authenticate to etcd "
        "and bypass authorization."
    ),
    remediation=(
        "Give etcd its own CA (kubeadm: /etc/kubernetes/pki/etcd/ca.crt) and set --trusted-ca-file to "
        "it."
    ),
    references=(
        "https://etcd.io/docs/v3.5/op-guide/security/",
        "https://kubernetes.io/docs/setup/best-practices/certificates/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0159",)},
)


def _client_cas(cluster: ClusterInventory) -> set[str]:
    return {posixpath.normpath(s.raw.strip()) for a in instances(cluster, KUBE_APISERVER)
            if (s := a.flags["client-ca-file"]).raw and s.raw.strip()}


def check(inst: Instance, ctx) -> Iterator[Violation]:
    s = inst.flags["trusted-ca-file"]
    if not (s.raw or "").strip():
        yield inst.fail(s, "--trusted-ca-file is not set: etcd has no CA of its own for client certificates", "")
        return
    cas = _client_cas(ctx.cluster)
    if not cas:
        raise NotEvaluated("no kube-apiserver --client-ca-file in the scan to compare etcd's CA with")
    if posixpath.normpath(s.raw.strip()) in cas:
        yield inst.fail(s, f"trusts the same CA file as kube-apiserver --client-ca-file: {s.shown()}")


applies, evaluate = component_rule(ETCD, check)

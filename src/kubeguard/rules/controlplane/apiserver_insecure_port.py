"""API server serves an unauthenticated insecure port.

## What it checks
kube-apiserver's insecure HTTP listener in the kube-apiserver static pod in kube-system.
Before Kubernetes 1.20 it served on `--insecure-port` (alias `--port`, default 8080) at
`--insecure-bind-address` (alias `--address`, default 127.0.0.1) unless the port was set to 0;
1.20 removed insecure serving (the flags then accept only 0) and 1.24 removed the flags.  The
version is read from the container's image tag, else from the cluster's server version; with
neither, an explicit non-zero port fails and an absent one is UNKNOWN.

## Why it matters
Requests on the insecure port skip authentication and authorization: any process that can
reach it (every hostNetwork pod on the node, or the network when bound beyond loopback) is
cluster-admin.

## Failing example
```yaml
image: registry.k8s.io/kube-apiserver:v1.18.20
command:
  - kube-apiserver
  - --insecure-bind-address=0.0.0.0
```

## Passing example
```yaml
image: registry.k8s.io/kube-apiserver:v1.18.20
command:
  - kube-apiserver
  - --insecure-port=0
```

## Remediation
Set `--insecure-port=0` (before 1.20) and drop `--insecure-bind-address`; better, upgrade to a
supported Kubernetes release, where the insecure port no longer exists.

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no API server Pod; the rule does not apply.
On 1.20 and later the rule passes whatever the flags say: a non-zero value there stops the API
server from starting, which is a broken manifest rather than an exposure.

## Differences from Kubescape
C-0005 fails a container whose `command` holds a word containing `--insecure-port=1`: the
default port 8080 of releases before 1.20 (flag absent), `--port`, and values such as 8080
pass there, while `--insecure-port=10080` on 1.20+ (where nothing listens) fails.

## Differences from Checkov
CKV_K8S_88 fails every kube-apiserver without `--insecure-port=0`, so every API server of a
supported release (which has no such flag) fails there and passes here.  CKV_K8S_86 fails any
`--insecure-bind-address`, even when the port is 0 or the release serves nothing; here the bind
address only decides who can reach a port that is open.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER, loopback
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, component_rule, version_of

META = RuleMeta(
    code="CP047",
    slug="apiserver-insecure-port",
    title="API server serves an unauthenticated insecure port",
    severity="critical",
    category="controlplane",
    tags=("mitre:T1190",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "The insecure port skips authentication and authorization: whoever reaches it, a hostNetwork pod or the "
        "network when bound beyond loopback, is cluster-admin."
    ),
    remediation=(
        "Set --insecure-port=0 and remove --insecure-bind-address (Kubernetes before 1.20), or upgrade to a "
        "release without insecure serving."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/controlling-access/",
        "https://github.com/kubernetes/kubernetes/pull/95856",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0005",), "checkov": ("CKV_K8S_86", "CKV_K8S_88")},
)

_REMOVED = (1, 20)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    version, source = version_of(inst, ctx)
    if version is not None and version >= _REMOVED:
        return
    port = next((inst.flags[f] for f in ("insecure-port", "port") if inst.flags[f].is_set), inst.flags["insecure-port"])
    if port.is_set and port.integer() == 0:
        return
    if not port.is_set and version is None:
        raise NotEvaluated("--insecure-port is not set and the version is "
                           "unknown (before 1.20 the default serves port 8080)")
    bind = next((inst.flags[f] for f in ("insecure-bind-address", "address") if inst.flags[f].is_set), None)
    address = bind.raw if bind is not None and bind.raw else "127.0.0.1"
    number = port.integer() if port.is_set else 8080
    reach = ("the network" if not loopback(address) else "every process on the node, hostNetwork pods included")
    where = bind if bind is not None and not loopback(address) else port
    yield inst.fail(where, f"serves HTTP without authentication or authorization on {address}:{number} "
                           f"({port.shown()}; {source}), reachable by {reach}", f"{address}:{number}")


applies, evaluate = component_rule(KUBE_APISERVER, check)

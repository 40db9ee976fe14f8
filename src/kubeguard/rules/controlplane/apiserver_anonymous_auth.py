"""API server accepts anonymous requests.

## What it checks
kube-apiserver's `--anonymous-auth` in the kube-apiserver static pod in kube-system (a
manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns). The
flag defaults to `true`, so an absent flag fails. When `--authentication-config` is
given without the flag, anonymous access is configured in that
AuthenticationConfiguration file (1.32+, possibly limited to health endpoints), which
the scan cannot read: UNKNOWN.

## Why it matters
Anonymous requests are authenticated as `system:anonymous`; any RBAC binding to that
user or to `system:unauthenticated` then opens the API to the whole network.

## Failing example
```yaml
command:
  - kube-apiserver
  - --anonymous-auth=true
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --anonymous-auth=false
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules. kubeadm leaves anonymous
access on so that load balancers can probe the health endpoints; CIS lists the item as
manual for that reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, component_rule

META = RuleMeta(
    code="CP001",
    slug="apiserver-anonymous-auth",
    title="API server accepts anonymous requests",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:1.2.1",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Anonymous API requests are served as system:anonymous; one permissive binding to it exposes "
        "the cluster to anyone who can reach the endpoint."
    ),
    remediation=(
        "Set --anonymous-auth=false on kube-apiserver, or use an AuthenticationConfiguration that "
        "allows anonymous access only to /livez, /readyz and /healthz."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0113",), "trivy": ("KCV-0001",), "checkov": ("CKV_K8S_68",)},
)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    s = inst.flags["anonymous-auth"]
    authn = inst.flags["authentication-config"]
    if not s.is_set and authn.is_set:
        raise NotEvaluated(f"anonymous access is configured in {authn.shown()}, an AuthenticationConfiguration "
                           "file the scan cannot read (needs node access)")
    if s.boolean():
        yield inst.fail(s, f"accepts anonymous requests: {s.shown()}")


applies, evaluate = component_rule(KUBE_APISERVER, check)

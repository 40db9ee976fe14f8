"""API server authorizes every request (AlwaysAllow).

## What it checks
kube-apiserver's authorizers in the kube-apiserver static pod in kube-system (a manifest
from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns):
`--authorization-mode` (a comma list, repeats append) must not contain `AlwaysAllow`.
When neither it nor `--authorization-config` is given the API server defaults to
AlwaysAllow. With `--authorization-config` the authorizers are in that file: UNKNOWN.

## Why it matters
AlwaysAllow lets every authenticated (and, with anonymous auth, unauthenticated) request
do anything; placed after Node and RBAC it still allows whatever they do not.

## Failing example
```yaml
command:
  - kube-apiserver
  - --authorization-mode=Node,RBAC,AlwaysAllow
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --authorization-mode=Node,RBAC
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, authorization_modes, component_rule

META = RuleMeta(
    code="CP006",
    slug="apiserver-authorization-always-allow",
    title="API server authorizes every request (AlwaysAllow)",
    severity="critical",
    category="controlplane",
    tags=("cis-k8s:1.2.6",),
    target="cluster",
    requires=("Pod",),
    rationale="AlwaysAllow authorizes every request that reaches it, so RBAC restricts nothing.",
    remediation=(
        "Set kube-apiserver --authorization-mode=Node,RBAC (or an AuthorizationConfiguration with "
        "Node and RBAC) and remove AlwaysAllow."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/authorization/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0118",), "trivy": ("KCV-0007",), "checkov": ("CKV_K8S_74",)},
)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    modes, s = authorization_modes(inst)
    if "AlwaysAllow" in modes:
        yield inst.fail(s, f"authorizes every request: {s.shown()}", ",".join(modes))


applies, evaluate = component_rule(KUBE_APISERVER, check)

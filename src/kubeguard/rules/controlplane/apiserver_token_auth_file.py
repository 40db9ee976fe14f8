"""API server accepts static tokens from a file.

## What it checks
kube-apiserver's `--token-auth-file` in the kube-apiserver static pod in kube-system (a
manifest from /etc/kubernetes/manifests, or the mirror Pod a live cluster returns): the
flag must not be set. The finding names the file's path, never its content.

## Why it matters
Static tokens never expire, cannot be revoked without restarting the API server, and sit
in clear text on the control-plane node.

## Failing example
```yaml
command:
  - kube-apiserver
  - --token-auth-file=/etc/kubernetes/pki/tokens.csv
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --client-ca-file=/etc/kubernetes/pki/ca.crt
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

from ._common import Instance, component_rule

META = RuleMeta(
    code="CP002",
    slug="apiserver-token-auth-file",
    title="API server accepts static tokens from a file",
    severity="high",
    category="controlplane",
    tags=("cis-k8s:1.2.2",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Tokens in a static file never expire and cannot be revoked without a restart; whoever reads "
        "the file holds those identities for good."
    ),
    remediation=(
        "Remove --token-auth-file from kube-apiserver and authenticate users with client "
        "certificates, OIDC or a webhook."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#static-token-file",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0114",), "trivy": ("KCV-0002",), "checkov": ("CKV_K8S_70",)},
)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    s = inst.flags["token-auth-file"]
    if (s.raw or "").strip():
        yield inst.fail(s, f"accepts static bearer tokens from a file: {s.shown()}")


applies, evaluate = component_rule(KUBE_APISERVER, check)

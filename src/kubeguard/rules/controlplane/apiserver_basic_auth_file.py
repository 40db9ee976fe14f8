"""API server accepts passwords from a basic-auth file.

## What it checks
kube-apiserver's `--basic-auth-file` in the kube-apiserver static pod in kube-system.  The
flag exists up to Kubernetes 1.18 (removed in 1.19); on a known later version the rule passes,
since the API server no longer accepts passwords.  The finding names the file's path, never
its content.

## Why it matters
HTTP basic authentication sends a static password with every request; the passwords sit in
clear text in a CSV file on the control-plane node, never expire, and cannot be revoked without
restarting the API server.

## Failing example
```yaml
image: registry.k8s.io/kube-apiserver:v1.17.17
command:
  - kube-apiserver
  - --basic-auth-file=/etc/kubernetes/pki/passwords.csv
```

## Passing example
```yaml
image: registry.k8s.io/kube-apiserver:v1.17.17
command:
  - kube-apiserver
  - --client-ca-file=/etc/kubernetes/pki/ca.crt
```

## Remediation
Remove `--basic-auth-file` and authenticate people with client certificates, OIDC or a
webhook; upgrade to a supported Kubernetes release.

## Exceptions and known false positives/negatives
Managed control planes expose no API server Pod; GKE's legacy basic authentication is checked
by CL008 from the cluster description.

## Differences from Checkov
CKV_K8S_69 fails `--basic-auth-file` on every release; from 1.19 the API server no longer has
the flag (it exits with "unknown flag"), so no password is accepted and the rule passes here,
as CP047 does for the insecure port.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, component_rule, version_of

META = RuleMeta(
    code="CP048",
    slug="apiserver-basic-auth-file",
    title="API server accepts passwords from a basic-auth file",
    severity="high",
    category="controlplane",
    tags=("mitre:T1078",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Basic-auth passwords sit in clear text on the control-plane node, travel with every request, never "
        "expire and cannot be revoked without a restart."
    ),
    remediation=(
        "Remove --basic-auth-file from kube-apiserver and authenticate users with client certificates, OIDC or a "
        "webhook."
    ),
    references=(
        "https://github.com/kubernetes/kubernetes/pull/89069",
        "https://kubernetes.io/docs/reference/access-authn-authz/authentication/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"checkov": ("CKV_K8S_69",)},
)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    s = inst.flags["basic-auth-file"]
    if not (s.raw or "").strip():
        return
    version, source = version_of(inst, ctx)
    if version is not None and version >= (1, 19):
        return
    yield inst.fail(s, f"accepts static passwords from a file: {s.shown()} ({source})")


applies, evaluate = component_rule(KUBE_APISERVER, check)

""""Subject can request, approve and fetch client certificates".

## What it checks
Subjects holding the whole chain, cluster-wide: `create` `certificatesigningrequests`,
`update`/`patch` `certificatesigningrequests/approval`, `approve` on
`certificates.k8s.io/signers` for `kubernetes.io/kube-apiserver-client` (directly, as
`kubernetes.io/*`, or without resourceNames), and read access to the CSR to fetch the
certificate.

## Why it matters
The kube-apiserver-client signer issues certificates for any CN (user) and O (groups),
`system:masters` included; nothing revokes them before expiry.

## Failing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests"]
    verbs: ["create", "get"]
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests/approval"]
    verbs: ["update"]
  - apiGroups: ["certificates.k8s.io"]
    resources: ["signers"]
    resourceNames: ["kubernetes.io/kube-apiserver-client"]
    verbs: ["approve"]
```

## Passing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["certificates.k8s.io"]
    resources: ["signers"]
    resourceNames: ["example.com/my-signer"]
    verbs: ["approve"]
```

## Remediation
Split CSR creation from approval, and restrict signer approval with resourceNames to signers
that cannot issue API-server client certificates.

## Exceptions and known false positives/negatives
Managed platforms may refuse to sign kubernetes.io/kube-apiserver-client; the grant is still
reported. Bindings owned by the platform are skipped unless `include_platform` is set;
subjects with full authority at the scope are reported once by RB002 instead.

## Differences from Checkov
Checkov's CKV_K8S_156 flags `approve` alone. Approving a CSR needs the whole chain (`update` on
`certificatesigningrequests/approval` and `approve` on the signer), which is what this rule
requires.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, escalation_violations

META = RuleMeta(
    code="RB020",
    slug="csr-approval-chain",
    title="Subject can request, approve and fetch client certificates",
    severity="critical",
    category="rbac",
    tags=("mitre:T1649",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Approving one's own client-certificate request for the API server signer mints a credential for "
        "any user and group."
    ),
    remediation=(
        "Split CSR creation from approval, and restrict signer approval with resourceNames to signers "
        "that cannot issue API-server client certificates."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0280",), "checkov": ("CKV_K8S_156",)},
)
PRIMITIVES = ("csr-approve",)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from escalation_violations(ctx, PRIMITIVES)

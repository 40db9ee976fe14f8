"""Identity is mapped into the system:masters group.

## What it checks
Cloud principals that authenticate as members of `system:masters`: EKS `aws-auth`
`mapRoles`/`mapUsers` entries listing the group, the invisible EKS cluster creator
(authentication mode `CONFIG_MAP` with creator admin permissions), and AKS local
accounts (`disableLocalAccounts: false`, whose admin credential is a `system:masters`
client certificate available to every Contributor).  Read from
`ClusterFacts.facts["identity"]` (see `kubeguard.collect.cloud_identity`).

## Why it matters
`system:masters` is allowed everything before RBAC or webhooks are consulted, and its
members pass every escalation check; deleting the cluster-admin binding does not revoke
it.  Access is controlled only by the cloud principal's own blast radius.

## Failing example
```yaml
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/ops
      username: ops
      groups: [system:masters]
```

## Passing example
```yaml
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/ops
      username: ops
      groups: [ops-admins]
```

## Remediation
Map cloud principals to ordinary groups bound to the roles they need; on EKS use access
entries with scoped access policies, on AKS disable local accounts.

## Exceptions and known false positives/negatives
Node roles are mapped to `system:nodes`, not `system:masters`, and are not reported.  The
EKS creator and AKS findings need the provider's cluster JSON (`--cloud` / fleet facts).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import rbac_graph

META = RuleMeta(
    code="RB008",
    slug="system-masters-mapping",
    title="Identity is mapped into the system:masters group",
    severity="critical",
    category="rbac",
    tags=("mitre:T1078.004",),
    target="cluster",
    rationale=(
        "Members of system:masters bypass RBAC, webhooks and the escalation checks; removing bindings "
        "does not revoke them."
    ),
    remediation="Map cloud principals to ordinary groups bound to the roles they need; do not use system:masters.",
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#avoid-system-masters-group-usage",
        "https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0246",), "trivy": ("KSV-0123",)},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    aws_auth = cluster.get("ConfigMap", "kube-system", "aws-auth")
    for p in rbac_graph(ctx).cloud_principals:
        if "system:masters" not in p.groups:
            continue
        msg = f"{p.type} {p.id} authenticates in group system:masters ({p.source})"
        key = p.source.split(" ", 1)[1].split("[", 1)[0] if p.source.startswith("aws-auth ") else None
        if key and aws_auth is not None:
            yield Violation(msg, ("data", key), obj=aws_auth, evidence={"principal": p.id, "source": p.source})
        else:
            yield Violation(msg, evidence={"principal": p.id, "source": p.source})

"""Nodes accept SSH logins with local keys.

## What it checks
EKS node groups with `nodegroup.remoteAccess.ec2SshKey` (SSH enabled; without
`sourceSecurityGroups` port 22 is open to 0.0.0.0/0); without node group exports
the result is UNKNOWN.  AKS agent pools whose `securityProfile.sshAccess` is not
`Disabled` (or `EntraId`, which ties logins to Entra identities).  GKE node SSH
goes through OS Login and project metadata outside the cluster description, so
the rule does not apply to GKE.

## Why it matters
SSH keys shared across a node pool give root on every node to whoever holds the
key, bypass Kubernetes RBAC and audit logs, and are rarely rotated.

## Failing example
```json
{"nodegroup": {"nodegroupName": "ng-general", "remoteAccess": {"ec2SshKey": "shared-key"}}}
```

## Passing example
```json
{"nodegroup": {"nodegroupName": "ng-system"}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, aks_linux_pools, applies_to, by_provider, eks_nodegroups
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL017",
    slug="node-ssh-access",
    title="Nodes accept SSH logins with local keys",
    severity="medium",
    category="cloud",
    tags=("mitre:T1021.004",),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "A node pool SSH key gives root on every node to whoever holds it, outside Kubernetes RBAC and audit, "
        "and such keys are rarely rotated."
    ),
    remediation=(
        "EKS: create node groups without remote access and use SSM Session Manager; AKS: az aks nodepool update "
        "--ssh-access disabled (or entraid)."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/create-managed-node-group.html",
        "https://learn.microsoft.com/azure/aks/manage-ssh-node-access",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to("eks", "aks")


def _eks(c: Cloud, params) -> Iterator[Violation]:
    for ng in eks_nodegroups(c):
        remote = ng.get("remoteAccess") or {}
        if remote.get("ec2SshKey"):
            open_to_all = not remote.get("sourceSecurityGroups")
            yield c.fail(f"node group {ng.get('nodegroupName')} allows SSH with a key pair"
                         + (" from any address" if open_to_all else ""), ("remoteAccess", "ec2SshKey"),
                         remote.get("ec2SshKey"), part="nodegroup", root="nodegroup",
                         more={"nodegroup.remoteAccess.sourceSecurityGroups": remote.get("sourceSecurityGroups")})


def _aks(c: Cloud, params) -> Iterator[Violation]:
    for i, p in aks_linux_pools(c):
        access = (p.get("securityProfile") or {}).get("sshAccess")
        if access not in ("Disabled", "EntraId"):
            yield c.fail(f"agent pool {p.get('name')} allows SSH with local keys",
                         ("agentPoolProfiles", i, "securityProfile", "sshAccess"), access)


evaluate = by_provider(eks=_eks, aks=_aks)

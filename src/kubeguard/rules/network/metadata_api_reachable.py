"""Pods can reach the cloud instance metadata address.

## What it checks
On EKS, AKS and GKE clusters, every workload (outside `exempt_namespaces`) for whether its pods
may open TCP 80 to 169.254.169.254 as the cluster's CNI enforces the policies: either no policy
isolates them for egress, or an egress rule covers the address.

## Why it matters
The instance metadata service hands out the node's cloud credentials; a pod that reaches it
can often act as the node's IAM identity (pull every image, read other secrets, attach
volumes).  Blocking it at the network layer is the standard mitigation besides IMDSv2 hop
limits and workload identity.

## Failing example
```yaml
kind: NetworkPolicy
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}]}]
```

## Passing example
```yaml
egress:
  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]
```

## Exceptions
Node agents that legitimately need instance metadata (CNI, CSI drivers) usually run with
hostNetwork and are skipped.  On GKE, Dataplane V2 sends metadata traffic to the node IP
before policy evaluation, so an except on 169.254.169.254 alone may not stop it.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.network import ExternalEndpoint
from kubeguard.graph.network_sets import METADATA_IP, IPSet
from kubeguard.model import ClusterInventory, NotEvaluated, Violation
from kubeguard.rules._helpers.namespaces import SYSTEM_NAMESPACES
from kubeguard.rules._helpers.network import labels_path, workloads
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="NW006",
    slug="metadata-api-reachable",
    title="Pods can reach the cloud instance metadata address",
    severity="high",
    category="network",
    tags=("mitre:T1552.005",),
    target="cluster",
    requires=("NetworkPolicy",),
    rationale=(
        "169.254.169.254 serves the node's cloud credentials; a pod that reaches it can often act with the "
        "node's cloud identity."
    ),
    remediation="Deny egress to 169.254.169.254/32 (an except in the ipBlock that allows the internet, or no rule "
                "covering it) and use workload identity for pods that need cloud access.",
    references=("https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
                "https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata"),
    params=(Param(name="exempt_namespaces", type="list[str]", default=list(SYSTEM_NAMESPACES),
                  description="Namespaces whose pods may reach instance metadata."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0052",)},
)

_METADATA = ExternalEndpoint(METADATA_IP, IPSet.parse(METADATA_IP + "/32"))


def applies(cluster: ClusterInventory, ctx) -> bool:
    return cluster.facts.provider in ("eks", "aks", "gke")


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    failed, undecided = [], []
    for owner, pods in workloads(g, ctx.params.exempt_namespaces):
        v = g.can_reach(pods[0], _METADATA, "TCP", 80)
        if v.undecided:
            undecided.append(f"{owner.kind} {owner.name}")
        if not v.allowed:
            continue
        rules = [r for r in v.reasons if r.direction in ("egress", "cni") and r.decision in ("allow", "caveat")
                 and r.policy]
        why = ("; ".join(f"{r.policy} {r.field}" for r in rules[:3]) + " allows it") if rules else \
            "no policy selects its pods for egress"
        failed.append(Violation(f"{owner.kind} {owner.name}: pods can reach {METADATA_IP} on TCP 80 ({why})",
                                labels_path(owner), obj=owner))
    if undecided and not failed:
        raise NotEvaluated(f"whether {', '.join(undecided[:5])} can reach {METADATA_IP} cannot be told: a policy "
                           f"construct that decides it is undecided (see kubeguard netpol can-reach)")
    yield from failed

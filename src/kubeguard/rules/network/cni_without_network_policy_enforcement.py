"""The cluster's CNI does not enforce NetworkPolicy.

## What it checks
The CNI recorded in the cluster facts (live collection, snapshot or fleet file): Flannel alone,
or any CNI whose detection found policy enforcement switched off (`networkPolicyEnforcement:
false`, e.g. the VPC CNI without its network policy agent, or Cilium with enable-policy
never).  Clusters whose CNI or enforcement could not be told are not judged.

## Why it matters
Every NetworkPolicy in such a cluster is decoration: all pods can reach all pods, and the
posture report's network findings describe an intent nobody enforces.

## Failing example
```yaml
# fleet file
facts: {cni: {name: flannel, networkPolicyEnforcement: false}}
```

## Passing example
```yaml
facts: {cni: {name: calico, networkPolicyEnforcement: true}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW010",
    slug="cni-without-network-policy-enforcement",
    title="The cluster's CNI does not enforce NetworkPolicy",
    severity="high",
    category="network",
    tags=("cis-k8s:5.3.1", "cis-eks:4.3.1", "cis-aks:4.4.1", "cis-gke:4.3.1"),
    target="cluster",
    rationale=(
        "Without an enforcing CNI every NetworkPolicy is ignored: all pods reach all pods whatever the "
        "manifests say."
    ),
    remediation="Enable the CNI's policy engine (VPC CNI network policy agent, Cilium enable-policy, AKS network "
                "policy, GKE Dataplane V2) or install one that enforces policy, such as Calico.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/#prerequisites",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0205",), "trivy": ("AZU-0043", "GCP-0056")},
)


def applies(cluster: ClusterInventory, ctx) -> bool:
    """Judged only when detection could tell (an enforcement flag, or a CNI that never enforces)."""
    cni = cluster.facts.facts.get("cni")
    if not isinstance(cni, dict):
        return False
    return cni.get("networkPolicyEnforcement") is not None or cni.get("name") in ("flannel", "none")


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    prof = ctx.graph("network").profile
    if not prof.enforces:
        cni = cluster.facts.facts.get("cni") or {}
        evidence = {"cni": cni.get("name"), "evidence": list(cni.get("evidence") or [])[:5]}
        yield Violation(f"cluster {cluster.name}: {prof.reason('enforces')}", evidence=evidence)

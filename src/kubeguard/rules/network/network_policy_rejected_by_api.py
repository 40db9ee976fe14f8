"""NetworkPolicy would be rejected by the API server.

## What it checks
Every NetworkPolicy (networking.k8s.io), AdminNetworkPolicy and BaselineAdminNetworkPolicy
(policy.networking.k8s.io) against the API's validation (netpol-semantics A.3): a peer with
both ipBlock and a selector, or with neither; an invalid CIDR or an except outside its CIDR;
a protocol other than TCP, UDP or SCTP; endPort without a numeric port or below it; a port
outside 1-65535 or an invalid port name; unknown policyTypes; invalid label selectors; admin
policy priority, subject and action constraints.

## Why it matters
`kubectl apply` fails on such a manifest, so the policy never exists in the cluster; in a
pipeline that tolerates errors the protection silently goes missing.  Reachability analysis
leaves these policies out for the same reason.

## Failing example
```yaml
ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]   # one peer, two kinds
    ports: [{protocol: ICMP}]
```

## Passing example
```yaml
ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8}}, {podSelector: {}}]
    ports: [{protocol: TCP, port: 443}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.network_policy import POLICY_KINDS, is_policy, parse_policy
from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW011",
    slug="network-policy-rejected-by-api",
    title="NetworkPolicy would be rejected by the API server",
    severity="medium",
    category="network",
    target="object",
    kinds=POLICY_KINDS,
    rationale=(
        "An invalid policy cannot be created, so the protection it describes never exists; tolerant pipelines "
        "hide the failure."
    ),
    remediation="Fix the field named in the finding so that the API server accepts the policy.",
    references=("https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",
                "https://network-policy-api.sigs.k8s.io/reference/spec/"),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if not is_policy(obj):
        return
    for path, message in parse_policy(obj).problems:
        yield Violation(f"{obj.kind} {obj.name}: {message}", path)

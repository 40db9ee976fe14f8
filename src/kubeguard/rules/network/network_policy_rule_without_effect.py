"""NetworkPolicy has rules or defaults that do not do what they seem to.

## What it checks
Valid NetworkPolicies for constructs the API accepts but that are almost always mistakes
(netpol-semantics NP-08, NP-11, NP-37): egress rules without policyTypes, which defaults to
[Ingress, Egress] and so also denies all ingress to the selected pods; rules for a direction
missing from an explicit policyTypes, which are ignored; a named port on a rule whose peers
are all ipBlocks, which cannot be resolved and allows nothing.  Admin policy peers that are not
evaluated (nodes, domainNames) are reported too.

## Why it matters
Each of these silently changes reachability: an "egress-only" policy that cuts off all
incoming traffic, an allow rule that is never applied, a port that never opens.

## Failing example
```yaml
spec:
  podSelector: {matchLabels: {app: worker}}
  egress: [{to: [{podSelector: {matchLabels: {app: queue}}}]}]   # no policyTypes: ingress denied too
```

## Passing example
```yaml
spec:
  podSelector: {matchLabels: {app: worker}}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {app: queue}}}]}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.network_policy import POLICY_KINDS, is_policy, parse_policy
from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW012",
    slug="network-policy-rule-without-effect",
    title="NetworkPolicy has rules or defaults that do not do what they seem to",
    severity="medium",
    category="network",
    target="object",
    kinds=POLICY_KINDS,
    rationale=(
        "policyTypes defaulting and unresolvable named ports silently deny traffic the author did not mean to "
        "deny, or ignore rules the author meant to apply."
    ),
    remediation="Write policyTypes explicitly and keep only rules for the listed directions; use numeric ports "
                "with ipBlock peers.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if not is_policy(obj):
        return
    q = parse_policy(obj)
    if not q.valid:
        return  # network-policy-rejected-by-api reports it
    for path, message in q.notes:
        yield Violation(f"{obj.kind} {obj.name}: {message}", path)

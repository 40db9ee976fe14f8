"""NetworkPolicy peer matches nothing.

## What it checks
Every pod or namespace peer (`from`/`to` entries with podSelector and/or namespaceSelector) of
valid NetworkPolicies and admin policies for at least one matching pod.  A peer is judged only
where the input can tell: its selected namespaces have pods in the input; a namespaceSelector
that matches no namespace at all is judged only on live clusters and snapshots (a manifest
folder rarely holds every Namespace).

## Why it matters
A peer that matches nothing silently allows nothing: the caller it was meant for is denied
(an outage waiting for the next deploy) or, in an admin Deny rule, the intended block does
not happen.

## Failing example
```yaml
ingress:
  - from: [{podSelector: {matchLabels: {app: frontnd}}}]   # typo: the pods are app: frontend
```

## Passing example
```yaml
ingress:
  - from: [{podSelector: {matchLabels: {app: frontend}}}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation, selector_matches
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW008",
    slug="network-policy-peer-matches-nothing",
    title="NetworkPolicy peer matches no pod",
    severity="low",
    category="network",
    target="cluster",
    requires=("NetworkPolicy",),
    rationale=(
        "A peer that matches nothing allows (or denies) nothing; usually a label typo that silently breaks a "
        "caller or an intended block."
    ),
    remediation="Correct the peer's selectors to the labels of the intended pods and namespaces, or remove it.",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kube-linter": ("dangling-networkpolicypeer-podselector",), "popeye": ("POP-1201", "POP-1202", "POP-1208")},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    populated = {p.namespace for p in g.pods if not p.host_network}
    complete = cluster.facts.source in ("live", "snapshot")
    for q in g.policies:
        for rule in q.ingress + q.egress:
            for peer in rule.peers or ():
                if peer.shape != "pods" or g.peer_pods(q, peer):
                    continue
                if peer.ns_selector is None:
                    namespaces = {q.namespace}
                else:
                    namespaces = {ns for ns, labels in g.namespaces.items() if selector_matches(peer.ns_selector, labels)}
                if namespaces & populated:
                    yield Violation(f"{q.kind} {q.name}: peer ({peer.text}) matches no pod", peer.path, obj=q.obj)
                elif not namespaces and complete:
                    yield Violation(f"{q.kind} {q.name}: peer ({peer.text}) matches no namespace", peer.path,
                                    obj=q.obj)


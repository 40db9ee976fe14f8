"""NetworkPolicy peer matches nothing.

## What it checks
Every pod or namespace peer (`from`/`to` entries with podSelector and/or namespaceSelector) of
valid NetworkPolicies and admin policies for at least one matching pod.  A peer is judged only
where the input can tell: its selected namespaces have pods in the input; a namespaceSelector
that matches no namespace at all is judged only on live clusters and snapshots (a manifest
folder rarely holds every Namespace).

In a manifest scan a peer is judged only when the namespaces it can select are known by name
(the policy's own namespace for a podSelector alone, as kube-linter's
dangling-networkpolicypeer-podselector does, or a namespaceSelector on
`kubernetes.io/metadata.name`) and the policy's folder defines workloads of each of them:
pods of other namespaces (the cluster DNS in kube-system, a monitoring stack) are rarely in
the same input, and any labelled namespace may exist outside it.  A peer
whose selector matches the labels of a custom resource whose operator runs pods
(prometheus-operator's Prometheus, Alertmanager) is not judged either.  Peers left unjudged
make the result UNKNOWN when nothing fails.

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

from kubeguard.model import ClusterInventory, NotEvaluated, Violation, selector_matches
from kubeguard.rules._helpers.workloads import inventory_is_complete, operator_pods_maybe_selected, same_input
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


NAME_LABEL = "kubernetes.io/metadata.name"


def _named_namespaces(sel: dict) -> set[str] | None:
    """The namespaces a namespaceSelector pins by name (``kubernetes.io/metadata.name``), or None."""
    names = None
    ml = sel.get("matchLabels")
    if isinstance(ml, dict) and isinstance(ml.get(NAME_LABEL), str):
        names = {ml[NAME_LABEL]}
    for e in sel.get("matchExpressions") or ():
        if isinstance(e, dict) and e.get("key") == NAME_LABEL and e.get("operator") == "In":
            vals = {str(v) for v in e.get("values") or ()}
            names = vals if names is None else names & vals
    return names


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    populated = {p.namespace for p in g.pods if not p.host_network}
    complete = inventory_is_complete(cluster)
    unjudged = 0
    selected: dict[str, set[str]] = {}  # repr(namespaceSelector) -> the namespaces it selects
    for q in g.policies:
        for rule in q.ingress + q.egress:
            for peer in rule.peers or ():
                if peer.shape != "pods" or g.peer_pods(q, peer):
                    continue
                if peer.ns_selector is None:
                    namespaces = {q.namespace}
                else:
                    key = repr(peer.ns_selector)
                    if key not in selected:
                        selected[key] = {ns for ns, labels in g.namespaces.items()
                                         if selector_matches(peer.ns_selector, labels)}
                    namespaces = selected[key]
                if not complete and not _judgeable(cluster, g, q, peer):
                    unjudged += bool(namespaces & populated) or peer.ns_selector is not None
                elif namespaces & populated:
                    yield Violation(f"{q.kind} {q.name}: peer ({peer.text}) matches no pod", peer.path, obj=q.obj)
                elif not namespaces and complete:
                    yield Violation(f"{q.kind} {q.name}: peer ({peer.text}) matches no namespace", peer.path,
                                    obj=q.obj)
    if unjudged:
        raise NotEvaluated(f"{unjudged} peer(s) may select pods the manifests do not hold (other namespaces or "
                           "folders, or pods an operator creates)")


def _judgeable(cluster: ClusterInventory, g, q, peer) -> bool:
    """In a manifest scan: the peer's namespaces are known by name and this folder defines their workloads."""
    names = {q.namespace} if peer.ns_selector is None else _named_namespaces(peer.ns_selector)
    if not names or not all(any(same_input(p.obj, q.obj) for p in g.pods_in(ns)) for ns in names):
        return False
    return not any(operator_pods_maybe_selected(cluster, ns, peer.pod_selector or {}) for ns in names)

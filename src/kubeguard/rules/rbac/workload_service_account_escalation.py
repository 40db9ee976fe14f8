"""Workload runs as a ServiceAccount that can escalate privileges.

## What it checks
Every pod spec that mounts an API token, for the escalation primitives its ServiceAccount
holds (the same catalogue as RB002 and RB010–RB029, at or above `min_severity`), through
any path: bindings naming the ServiceAccount, a User `system:serviceaccount:NS:NAME`, or
the groups `system:serviceaccounts`, `system:serviceaccounts:NS` and
`system:authenticated`.  The evidence is the chain pod → ServiceAccount → binding → role →
rule; cloud identities linked to the ServiceAccount (IRSA, EKS Pod Identity, GKE and
Azure Workload Identity) are added to it.  One finding per workload names every primitive
(most severe first) and the evidence lists each one's chain, so an operator holding thirteen
rights is one finding, not thirteen.

## Why it matters
Whoever compromises the container gets the token, and with it the primitive: the
ServiceAccount's reach is the workload's blast radius.

## Failing example
```yaml
kind: ClusterRoleBinding
roleRef: {kind: ClusterRole, name: secret-reader}   # get/list secrets
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
---
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {spec: {serviceAccountName: web, containers: [{name: web, image: web:1}]}}}
```

## Passing example
```yaml
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {spec: {serviceAccountName: web, automountServiceAccountToken: false,
                         containers: [{name: web, image: web:1}]}}}
```

## Remediation
Give the workload a ServiceAccount with only the permissions it needs, or stop mounting
the token when it does not talk to the API server.

## Exceptions and known false positives/negatives
Controllers and operators need their permissions; exempt them with an owner.  Grants
only held through platform bindings are skipped unless `include_platform` is set.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.model import Severity
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

from ._common import PLATFORM_PARAM, rbac_graph, related_refs, sa_path, token_mounted

META = RuleMeta(
    code="RB028",
    slug="workload-service-account-escalation",
    title="Workload runs as a ServiceAccount that can escalate privileges",
    severity="high",
    category="rbac",
    tags=("mitre:T1078.001", "mitre:T1528"),
    target="workload",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "A compromised container holds its ServiceAccount token; escalation rights of that ServiceAccount "
        "are the workload's blast radius."
    ),
    remediation=(
        "Give the workload a ServiceAccount with only the permissions it needs, or set "
        "automountServiceAccountToken: false when it does not call the API server."
    ),
    references=("https://kubernetes.io/docs/concepts/security/rbac-good-practices/",),
    params=(
        PLATFORM_PARAM,
        Param(name="min_severity", type="str", default="high",
              description="Report primitives of this severity or above (critical, high, medium)."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0053", "C-0267", "C-0272")},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if not token_mounted(pod, ctx.cluster):
        return
    graph = rbac_graph(ctx)
    esc = graph.escalations()
    sa = graph.identity_of_service_account(pod.namespace or "default", pod.service_account_name)
    floor = Severity.parse(ctx.params.min_severity).rank
    held = [e for e in esc.of(sa) if Severity.parse(e.primitive.severity).rank >= floor
            and (ctx.params.include_platform or any(not g.binding.is_platform for g in e.key_grants))]
    full = {e.scope for e in held if e.primitive.id == "cluster-admin"}
    held = [e for e in held if e.primitive.id == "cluster-admin" or not (None in full or e.scope in full)]
    if not held:
        return
    held.sort(key=lambda e: -Severity.parse(e.primitive.severity).rank)  # stable: catalogue order within a rank
    links = [w for w in graph.workload_identities
             if (w.namespace, w.service_account) == (sa.namespace, sa.name)]

    def path(e) -> list[str]:
        g = e.key_grants[0]
        return [f"{pod.kind}/{pod.obj.name}", str(sa), g.binding.ref, g.binding.role_ref, f"rules[{g.rule.index}]"]

    evidence = held[0].to_dict()
    evidence["path"] = path(held[0])
    if len(held) > 1:
        evidence["escalations"] = [{"primitive": e.primitive.id, "scope": e.scope, "path": path(e)} for e in held]
    if links:
        evidence["cloudIdentities"] = [{"provider": w.provider, "mechanism": w.mechanism,
                                        "identity": w.cloud_identity} for w in links]
    what = [f"{e.primitive.title} {e.where}" for e in held[:5]]
    can = what[0] if len(what) == 1 else f"{'; '.join(what[:-1])} and {what[-1]}"
    if len(held) > 5:
        can += f" (+{len(held) - 5} more)"
    related = tuple(dict.fromkeys(r for e in held for r in related_refs(e)))
    yield Violation(f"{pod.kind} {pod.obj.name!r} runs as {sa}, which can {can}: " + " -> ".join(evidence["path"]),
                    sa_path(pod), related=related, evidence=evidence)

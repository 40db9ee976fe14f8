"""The RBAC picture as data: subjects -> bindings -> roles -> rules, risky parts marked.

:func:`view_document` returns a JSON-able document that ``kubeguard rbac graph -f json``
prints and the HTML and DOT renderers draw.  Filtering happens here (by namespace,
subject, risk), so big clusters never ship a whole-graph dump to the browser.

Document::

    {"cluster": "prod", "filters": {...}, "truncated": false,
     "nodes": [{"id": "s:ServiceAccount:shop:web", "type": "subject" | "binding" | "role" | "rule",
                "label": "...", "kind": "...", "namespace": "..." | null, "risk": "critical" | ... | null,
                "primitives": ["secrets-read", ...], "detail": {...}}],
     "edges": [{"from": id, "to": id, "risk": ... | null}]}
"""

from __future__ import annotations

from typing import Any

from ..model.findings import Severity
from .rbac import BindingNode, Identity, RbacGraph, Subject
from .rbac_match import PolicyRule

MAX_NODES = 2500
PUBLIC_SUBJECTS = frozenset({"system:anonymous", "system:unauthenticated", "system:authenticated",
                             "system:serviceaccounts"})


def _worse(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if Severity(a).rank >= Severity(b).rank else b


def _sid(s: Subject) -> str:
    kind, ns, name = s.key
    return f"s:{kind}:{ns}:{name}"


def _bid(b: BindingNode) -> str:
    return f"b:{b.kind}:{b.namespace or ''}:{b.name}"


def _rid(b: BindingNode) -> str:
    role = b.role
    if role is None:
        return f"r:missing:{b.role_kind}:{b.namespace if b.role_kind == 'Role' else ''}:{b.role_name}"
    return f"r:{role.kind}:{role.namespace or ''}:{role.name}"


def _pid(rule: PolicyRule) -> str:
    kind, ns, name = rule.origin
    return f"p:{kind}:{ns or ''}:{name}:{rule.index}"


def view_document(graph: RbacGraph, namespace: str | None = None, subject: str | None = None,
                  risky_only: bool = False, include_platform: bool = False) -> dict[str, Any]:
    """Build the picture's document, filtered; ``subject`` is a case-insensitive substring."""
    esc = graph.escalations()
    # risk per (binding, rule) and per subject, from the primitives every identity holds
    rule_risk: dict[tuple[int, int], tuple[str, set[str]]] = {}
    subject_risk: dict[tuple[str, str, str], tuple[str, set[str]]] = {}
    for ident in graph.identities():
        if ident.cloud is not None:
            continue
        for e in esc.of(ident):
            sev = e.primitive.severity
            key = _ident_key(ident)
            old = subject_risk.get(key, (None, set()))
            subject_risk[key] = (_worse(old[0], sev), old[1] | {e.primitive.id})  # type: ignore[arg-type]
            for g in e.key_grants:
                k = (id(g.binding), id(g.rule))
                old_r = rule_risk.get(k, (None, set()))
                rule_risk[k] = (_worse(old_r[0], sev), old_r[1] | {e.primitive.id})  # type: ignore[arg-type]

    needle = subject.lower() if subject else None
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    truncated = False

    def add_node(nid: str, **fields: Any) -> None:
        node = nodes.get(nid)
        if node is None:
            nodes[nid] = {"id": nid, **fields}
        else:
            node["risk"] = _worse(node.get("risk"), fields.get("risk"))
            node["primitives"] = sorted(set(node.get("primitives", [])) | set(fields.get("primitives", [])))

    def add_edge(a: str, b: str, risk: str | None) -> None:
        e = edges.get((a, b))
        if e is None:
            edges[(a, b)] = {"from": a, "to": b, "risk": risk}
        else:
            e["risk"] = _worse(e["risk"], risk)

    for b in graph.bindings:
        if b.is_platform and not include_platform:
            continue
        if namespace is not None and b.namespace not in (None, namespace):
            continue
        subjects = [s for s in b.subjects if needle is None or needle in str(s).lower()]
        if not subjects:
            continue
        rules = list(b.role.rules) if b.role else []
        risks = {id(r): rule_risk.get((id(b), id(r))) for r in rules}
        b_risk = None
        b_prims: set[str] = set()
        for r in risks.values():
            if r:
                b_risk = _worse(b_risk, r[0])
                b_prims |= r[1]
        if risky_only and b_risk is None:
            continue
        if len(nodes) > MAX_NODES:
            truncated = True
            break
        public = [s for s in subjects if s.key[0] in ("User", "Group") and s.key[2] in PUBLIC_SUBJECTS]
        if public and b.role is not None and b.role.rules:
            b_risk = _worse(b_risk, "medium")
            b_prims.add("public-group-binding")
        bid, rid = _bid(b), _rid(b)
        add_node(bid, type="binding", label=b.name, kind=b.kind, namespace=b.namespace, risk=b_risk,
                 primitives=sorted(b_prims), detail={"ref": b.ref, "source": b.source, "problem": b.problem})
        for s in subjects:
            sk = s.key
            srisk, sprims = subject_risk.get(sk, (None, set()))
            add_node(_sid(s), type="subject", label=_subject_label(s), kind=sk[0], namespace=sk[1] or None,
                     risk=srisk, primitives=sorted(sprims), detail={"subject": str(s)})
            add_edge(_sid(s), bid, b_risk)
        role = b.role
        add_node(rid, type="role", label=role.name if role else f"{b.role_name} (missing)",
                 kind=role.kind if role else b.role_kind, namespace=role.namespace if role else None,
                 risk=b_risk, primitives=sorted(b_prims),
                 missing=role is None,
                 detail={"ref": role.ref if role else b.role_ref, "origin": role.origin if role else "missing",
                         "aggregatedFrom": list(role.aggregated_from) if role else []})
        add_edge(bid, rid, b_risk)
        for r in rules:
            rr = risks[id(r)]
            if risky_only and rr is None:
                continue
            pid = _pid(r)
            add_node(pid, type="rule", label=r.describe(), kind="rule", namespace=None,
                     risk=rr[0] if rr else None, primitives=sorted(rr[1]) if rr else [],
                     detail={"rule": r.to_dict(), "from": f"{r.origin[0]}/{r.origin[2]} rules[{r.index}]"})
            add_edge(rid, pid, rr[0] if rr else None)
    return {
        "cluster": graph.cluster,
        "filters": {"namespace": namespace, "subject": subject, "riskyOnly": risky_only,
                    "includePlatform": include_platform},
        "truncated": truncated,
        "namespaces": sorted({n["namespace"] for n in nodes.values() if n.get("namespace")}),
        "nodes": sorted(nodes.values(), key=lambda n: (_ORDER[n["type"]], n["label"], n["id"])),
        "edges": sorted(edges.values(), key=lambda e: (e["from"], e["to"])),
    }


_ORDER = {"subject": 0, "binding": 1, "role": 2, "rule": 3}


def _ident_key(i: Identity) -> tuple[str, str, str]:
    return (i.kind, i.namespace or "", i.name)


def _subject_label(s: Subject) -> str:
    kind, ns, name = s.key
    return f"{ns}/{name}" if kind == "ServiceAccount" else name

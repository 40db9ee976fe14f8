"""Shared evaluation for the RB rules: escalation primitives per subject and per workload."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from kubeguard.graph.rbac import BindingNode, Identity, RbacGraph
from kubeguard.graph.rbac_escalation import BY_ID, NS, POWERFUL_SA, Escalation, Primitive
from kubeguard.graph.rbac_match import ANY_NAME, Request
from kubeguard.model import ClusterInventory, ObjectRef, PodSpecView, Violation
from kubeguard.rules._meta import Param

PLATFORM_PARAM = Param(
    name="include_platform", type="bool", default=False,
    description="Also report bindings owned by the platform (upstream defaults labelled kubernetes.io/bootstrapping=rbac-defaults "
                "or names starting with system:, eks:, gce:, gke:).")


def rbac_graph(ctx) -> RbacGraph:
    return ctx.graph("rbac")


def own_key(identity: Identity) -> tuple[str, str, str]:
    if identity.kind == "ServiceAccount":
        return ("ServiceAccount", identity.namespace or "", identity.name)
    return (identity.kind, "", identity.name)


def names_note(esc: Escalation) -> str:
    names = sorted({n for g in esc.key_grants for n in g.rule.resource_names})
    if names and all(g.rule.resource_names for g in esc.key_grants):
        return f" (only objects named {', '.join(names)})"
    return ""


def related_refs(esc: Escalation, skip: BindingNode | None = None) -> tuple[ObjectRef, ...]:
    out: list[ObjectRef] = []
    for grants in esc.evidence:
        for g in grants:
            role_obj = g.binding.role.obj if g.binding.role else None
            for obj in (g.binding.obj if g.binding is not skip else None, role_obj):
                if obj is not None and obj.ref not in out:
                    out.append(obj.ref)
    return tuple(out)


def escalation_violations(ctx, primitive_ids: tuple[str, ...]) -> Iterator[Violation]:
    """One violation per (binding subject, scope) whose binding supplies the key permission of a primitive.

    Primitives of one rule held through the same binding subject at the same scope (bind on
    ClusterRoles and on Roles, APIService and CRD writes) are one finding naming them all.
    Subjects holding full authority at the scope are reported once by cluster-admin-binding
    instead of once per primitive.  Grants that reach a subject only through a group are
    reported on the group's binding.
    """
    graph = rbac_graph(ctx)
    esc_all = graph.escalations()
    include_platform = bool(getattr(ctx.params, "include_platform", False))
    wanted = set(primitive_ids)
    for identity in graph.identities():
        held = [e for e in esc_all.of(identity) if e.primitive.id in wanted]
        if not held:
            continue
        full = set() if "cluster-admin" in wanted else esc_all.full_authority_scopes(identity)
        yield from _on_bindings([e for e in held if None not in full and (e.scope is None or e.scope not in full)],
                                identity, include_platform)


def permission_violations(ctx, primitives: tuple[Primitive, ...]) -> Iterator[Violation]:
    """:func:`escalation_violations` for permission sets outside the escalation catalogue (impact,
    defence evasion), evaluated with the same matcher, scope rules and evidence chains."""
    graph = rbac_graph(ctx)
    esc_all = graph.escalations()
    include_platform = bool(getattr(ctx.params, "include_platform", False))
    for identity in graph.identities():
        held = _held(esc_all, graph.grants_for(identity), identity, primitives)
        if not held:
            continue
        full = esc_all.full_authority_scopes(identity)
        yield from _on_bindings([replace(e, primitive=replace(e.primitive, title=e.primitive.title + _granted(e)))
                                 for e in held if None not in full and (e.scope is None or e.scope not in full)],
                                identity, include_platform)


def _granted(e: Escalation) -> str:
    """`` (secrets, deployments)``: the resources of the primitive's first need that its key grants allow."""
    requests = e.primitive.needs[0].requests
    if len({r.resource for r in requests}) < 2:
        return ""
    found: list[str] = []
    for g in e.key_grants:
        for r in requests:
            name = (e.scope or ANY_NAME) if r.name == NS else r.name
            if r.resource not in found and g.rule.allows(Request(r.verb, r.resource, r.subresource, r.group, name)):
                found.append(r.resource)
    return f" ({', '.join(found)})" if found else ""


def _held(esc_all, grants, identity: Identity, primitives: tuple[Primitive, ...]) -> list[Escalation]:
    """The primitives ``grants`` satisfy, cluster-wide first, else per namespace of a RoleBinding."""
    out: list[Escalation] = []
    cluster_grants = tuple(g for g in grants if g.scope is None)
    scopes = sorted({g.scope for g in grants if g.scope is not None})
    for prim in primitives:
        ev = esc_all.holds(prim, cluster_grants, None) if cluster_grants else None
        if ev is not None:
            out.append(Escalation(prim, identity, None, ev))
            continue
        for ns in () if prim.cluster else scopes:
            ev = esc_all.holds(prim, tuple(g for g in grants if g.scope in (None, ns)), ns)
            if ev is not None:
                out.append(Escalation(prim, identity, ns, ev))
    return out


def _on_bindings(held: list[Escalation], identity: Identity, include_platform: bool) -> Iterator[Violation]:
    """One violation per binding subject and scope that supplies a key grant of ``held``."""
    key = own_key(identity)
    found: dict[tuple[int, int, str | None], tuple[BindingNode, int, list[tuple[Escalation, Any]]]] = {}
    for e in held:
        seen: set[int] = set()
        for g in e.key_grants:
            b = g.binding
            if id(b) in seen or (b.is_platform and not include_platform):
                continue
            seen.add(id(b))
            idx = next((i for s, i in zip(b.subjects, b.subject_index) if s.key == key), None)
            if idx is not None:
                found.setdefault((id(b), idx, e.scope), (b, idx, []))[2].append((e, g))
    for b, idx, items in found.values():
        first = items[0][0]
        rules = ", ".join(dict.fromkeys(str(g.rule.index) for _, g in items))
        titles = [e.primitive.title + names_note(e) for e, _ in items]
        what = titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} and {titles[-1]}"
        msg = f"{identity} can {what} {first.where} via {b.ref} -> {b.role_ref} rules[{rules}]"
        targets = [t for e, _ in items for t in e.targets]
        if targets:
            msg += f"; reaches {', '.join(targets[:3])}" + (" ..." if len(targets) > 3 else "")
        evidence: dict[str, Any] = first.to_dict()
        evidence["chain_text"] = [line for e, _ in items for line in e.chain()]
        if len(items) > 1:
            evidence["primitives"] = [e.primitive.id for e, _ in items]
        related = tuple(dict.fromkeys(r for e, _ in items for r in related_refs(e, b if b.obj else None)))
        if b.obj is None:
            yield Violation(f"{msg} ({b.source})", (), None, None, related, evidence)
        else:
            yield Violation(msg, ("subjects", idx), None, b.obj, related, evidence)


def service_account_object(cluster: ClusterInventory, namespace: str, name: str):
    return cluster.get("ServiceAccount", namespace, name)


def token_mounted(pod: PodSpecView, cluster: ClusterInventory) -> bool:
    """Whether the pod gets an API token for its ServiceAccount (pod setting wins over the SA's)."""
    for v in pod.volumes:
        projected = v.get("projected")
        if isinstance(projected, dict):
            for src in projected.get("sources") or []:
                if isinstance(src, dict) and "serviceAccountToken" in src:
                    return True
    pod_setting = pod.spec.get("automountServiceAccountToken")
    if pod_setting is not None:
        return pod_setting is not False
    sa = service_account_object(cluster, pod.namespace or "default", pod.service_account_name)
    if sa is not None and sa.raw.get("automountServiceAccountToken") is False:
        return False
    return True


def sa_path(pod: PodSpecView) -> tuple:
    if "serviceAccountName" in pod.spec or "serviceAccount" not in pod.spec:
        return pod.path("serviceAccountName")
    return pod.path("serviceAccount")


def primitive(pid: str):
    return POWERFUL_SA if pid == POWERFUL_SA.id else BY_ID[pid]

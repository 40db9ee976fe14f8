"""Namespace facts shared by tenancy rules: system namespaces, explicit namespaces, Pod Security levels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubeguard.model import K8sObject, NotEvaluated, Violation

from .workloads import inventory_is_complete, objects_in

SYSTEM_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease")
PSA_LEVELS = ("privileged", "baseline", "restricted")
PSA_ENFORCE = "pod-security.kubernetes.io/enforce"


def explicit_namespace(obj: K8sObject) -> str | None:
    """``metadata.namespace`` as written; None when the manifest leaves it to the apply context."""
    ns = obj.metadata.get("namespace")
    return ns if isinstance(ns, str) and ns else None


def in_default_namespace(obj: K8sObject, ctx: Any, placed: str) -> Iterator[Violation]:
    """``obj`` in the default namespace ("<kind> <placed> the default namespace").

    A manifest without ``metadata.namespace`` lands wherever it is applied: it counts as default
    when the rule's ``unset_namespace_is_default`` parameter says so, else the rule is UNKNOWN.
    """
    ns = explicit_namespace(obj)
    if ns is None and not inventory_is_complete(ctx.cluster):
        if not ctx.params.unset_namespace_is_default:
            raise NotEvaluated("manifests without metadata.namespace go wherever they are applied")
        yield Violation("no metadata.namespace: applied without -n it lands in default", ("metadata",))
    elif (ns or obj.namespace) == "default":
        yield Violation(f"{obj.kind} {placed} the default namespace", ("metadata", "namespace"))


def namespace_without(namespace: K8sObject, ctx: Any, kind: str) -> Iterator[Violation]:
    """A Namespace, unless the rule's ``exempt_namespaces`` parameter names it, that holds no object of ``kind``."""
    if namespace.name in ctx.params.exempt_namespaces:
        return
    if not objects_in(ctx.cluster, kind, namespace.name):
        yield Violation(f"namespace {namespace.name!r} has no {kind}", ("metadata", "name"))


def psa_rank(level: object) -> int | None:
    """0 privileged, 1 baseline, 2 restricted; None for an invalid value."""
    return PSA_LEVELS.index(level) if level in PSA_LEVELS else None

"""Namespace facts shared by tenancy rules: system namespaces, explicit namespaces, Pod Security levels."""

from __future__ import annotations

from kubeguard.model import K8sObject

SYSTEM_NAMESPACES = ("kube-system", "kube-public", "kube-node-lease")
PSA_LEVELS = ("privileged", "baseline", "restricted")
PSA_ENFORCE = "pod-security.kubernetes.io/enforce"


def explicit_namespace(obj: K8sObject) -> str | None:
    """``metadata.namespace`` as written; None when the manifest leaves it to the apply context."""
    ns = obj.metadata.get("namespace")
    return ns if isinstance(ns, str) and ns else None


def psa_rank(level: object) -> int | None:
    """0 privileged, 1 baseline, 2 restricted; None for an invalid value."""
    return PSA_LEVELS.index(level) if level in PSA_LEVELS else None

"""Audit policy evaluation as kube-apiserver does it (k8s.io/apiserver/pkg/audit/policy/checker.go).

The rules of an ``audit.k8s.io/v1`` Policy are tried in order; the first that matches a
request gives its level, and no match means ``None``.  A rule matches when every list it
sets matches: ``users`` (the user's name), ``userGroups`` (any of the user's groups),
``verbs``, then for resource requests ``namespaces`` ("" is a cluster-scoped request) and
``resources`` (per group: ``resource``, ``resource/subresource``, ``*``, ``*/subresource``,
``resource/*``, limited to ``resourceNames`` when set).  A rule that names namespaces or
resources never matches non-resource requests (and the reverse for ``nonResourceURLs``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LEVELS = ("None", "Metadata", "Request", "RequestResponse")
GENERIC_USER = "kubeguard:probe"  # a user no rule names
GENERIC_NAME = "kubeguard-probe"  # an object name no rule names
AUTHENTICATED = "system:authenticated"


@dataclass(frozen=True, slots=True)
class Request:
    """A resource request as the policy sees it."""

    verb: str
    group: str
    resource: str
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    user: str = GENERIC_USER
    groups: tuple[str, ...] = (AUTHENTICATED,)

    def describe(self) -> str:
        res = self.resource + (f"/{self.subresource}" if self.subresource else "")
        res += f".{self.group}" if self.group else ""
        who = "" if self.user == GENERIC_USER and self.groups == (AUTHENTICATED,) else \
            f" by {self.user}" + (f" (groups {', '.join(g for g in self.groups if g != AUTHENTICATED)})"
                                   if self.groups != (AUTHENTICATED,) else "")
        return f"{self.verb} {res}" + (f" {self.name!r}" if self.name not in ("", GENERIC_NAME) else "") + who


class PolicyError(ValueError):
    """A policy kube-apiserver refuses to load."""


def level_of(rules: Sequence[Mapping[str, Any]], req: Request) -> tuple[str, int | None]:
    """(level, index of the deciding rule); ``("None", None)`` when no rule matches."""
    for i, rule in enumerate(rules):
        if _matches(rule, req):
            level = rule.get("level")
            if level not in LEVELS:
                raise PolicyError(f"rules[{i}] has level {level!r}; expected one of {', '.join(LEVELS)}")
            return str(level), i
    return "None", None


def _matches(rule: Mapping[str, Any], req: Request) -> bool:
    if rule.get("users") and req.user not in rule["users"]:
        return False
    if rule.get("userGroups") and not set(req.groups) & set(rule["userGroups"]):
        return False
    if rule.get("verbs") and req.verb not in rule["verbs"]:
        return False
    if rule.get("namespaces") or rule.get("resources"):
        if rule.get("namespaces") and req.namespace not in rule["namespaces"]:
            return False
        return not rule.get("resources") or any(_resource_matches(gr, req) for gr in rule["resources"])
    return not rule.get("nonResourceURLs")  # a resource request never matches a non-resource rule


def _resource_matches(gr: Mapping[str, Any], req: Request) -> bool:
    if (gr.get("group") or "") != req.group:
        return False
    resources = gr.get("resources") or []
    if not resources:
        return True
    names = gr.get("resourceNames") or []
    if names and req.name not in names:
        return False
    combined = f"{req.resource}/{req.subresource}" if req.subresource else req.resource
    for res in resources:
        if res in (combined, "*"):
            return True
        if req.subresource and res.startswith("*/") and req.subresource == res[2:]:
            return True
        if res.endswith("/*") and req.resource == res[:-2]:
            return True
    return False


def probes(rules: Sequence[Mapping[str, Any]], verbs: Sequence[str], group: str, resource: str,
           subresource: str = "", namespaced: bool = True) -> Iterator[Request]:
    """Requests on one resource by every user, group, namespace and name the policy singles out, and by a
    user it does not: enough to reach every rule that could decide such a request."""
    users = {GENERIC_USER} | {u for r in rules for u in r.get("users") or []}
    groups = {g for r in rules for g in r.get("userGroups") or []}
    spaces = ({"default"} | {n for r in rules for n in r.get("namespaces") or [] if n}) if namespaced else {""}
    names = {"", GENERIC_NAME} | {n for r in rules for gr in r.get("resources") or []
                                       for n in gr.get("resourceNames") or []}
    identities = [(u, (AUTHENTICATED,)) for u in sorted(users)] + \
        [(GENERIC_USER, tuple(sorted({g, AUTHENTICATED}))) for g in sorted(groups)]
    for user, member_of in identities:
        for verb in verbs:
            for ns in sorted(spaces):
                for name in sorted(names):
                    yield Request(verb, group, resource, subresource, ns, name, user, member_of)

"""Upstream RBAC rule matching, exactly as the API server's RBAC authorizer does it.

The functions mirror kubernetes ``pkg/apis/rbac/v1/evaluation_helpers.go`` and
``plugin/pkg/auth/authorizer/rbac/rbac.go`` (see shared/docs/rbac.md §3):

* verbs, apiGroups: ``"*"`` or an exact, case-sensitive match; ``""`` is the core group;
* resources: ``"*"`` matches every resource and subresource; otherwise the combined name
  (``pods`` or ``pods/exec``) must match exactly, or the rule names ``*/<subresource>``.
  ``pods/*`` and ``*/*`` are *not* wildcards; bare ``pods`` does not cover ``pods/log``;
* resourceNames: empty means any name; otherwise the request's name must be listed, so
  requests without a name (top-level ``create``, ``list``, ``deletecollection``) never match
  a named rule.  Subresource requests carry the parent's name;
* nonResourceURLs: ``"*"``, an exact path, or a trailing ``*`` prefix match.

One deliberate extension for questions ("who can get secrets?"): a request whose
``name`` is :data:`ANY_NAME` asks about *some* object, so named rules match whenever
the request kind carries a name at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

ANY_NAME: None = None  # Request.name: any object of the kind (a question, not a real request)
ANY_NAMESPACE: None = None  # Request.namespace: some namespace (a question)

# Verbs whose top-level requests never carry an object name (upstream request info).  A
# list or watch names one object only through a ``metadata.name`` field selector.
NAMELESS_VERBS = frozenset({"create", "deletecollection"})

# Built-in cluster-scoped resources by (group, resource).  Requests for them have no
# namespace, so RoleBindings never grant them.  CRDs found in the inventory extend this.
CLUSTER_SCOPED: frozenset[tuple[str, str]] = frozenset(
    {
        ("", "nodes"), ("", "persistentvolumes"), ("", "namespaces"), ("", "componentstatuses"),
        ("", "users"), ("", "groups"),  # impersonation targets
        ("rbac.authorization.k8s.io", "clusterroles"), ("rbac.authorization.k8s.io", "clusterrolebindings"),
        ("apiextensions.k8s.io", "customresourcedefinitions"),
        ("apiregistration.k8s.io", "apiservices"),
        ("certificates.k8s.io", "certificatesigningrequests"), ("certificates.k8s.io", "signers"),
        ("certificates.k8s.io", "clustertrustbundles"),
        ("admissionregistration.k8s.io", "mutatingwebhookconfigurations"),
        ("admissionregistration.k8s.io", "validatingwebhookconfigurations"),
        ("admissionregistration.k8s.io", "validatingadmissionpolicies"),
        ("admissionregistration.k8s.io", "validatingadmissionpolicybindings"),
        ("admissionregistration.k8s.io", "mutatingadmissionpolicies"),
        ("admissionregistration.k8s.io", "mutatingadmissionpolicybindings"),
        ("storage.k8s.io", "storageclasses"), ("storage.k8s.io", "csidrivers"), ("storage.k8s.io", "csinodes"),
        ("storage.k8s.io", "volumeattachments"), ("storage.k8s.io", "volumeattributesclasses"),
        ("scheduling.k8s.io", "priorityclasses"), ("node.k8s.io", "runtimeclasses"),
        ("networking.k8s.io", "ingressclasses"), ("networking.k8s.io", "ipaddresses"),
        ("networking.k8s.io", "servicecidrs"),
        ("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies"),
        ("flowcontrol.apiserver.k8s.io", "flowschemas"),
        ("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations"),
        ("authentication.k8s.io", "tokenreviews"), ("authentication.k8s.io", "selfsubjectreviews"),
        ("authentication.k8s.io", "uids"), ("authentication.k8s.io", "userextras"),
        ("authentication.k8s.io", "nodes"),
        ("authorization.k8s.io", "subjectaccessreviews"), ("authorization.k8s.io", "selfsubjectaccessreviews"),
        ("authorization.k8s.io", "selfsubjectrulesreviews"),
        ("resource.k8s.io", "deviceclasses"), ("resource.k8s.io", "resourceslices"),
        ("gateway.networking.k8s.io", "gatewayclasses"),
    }
)


@dataclass(frozen=True, slots=True)
class Request:
    """Request attributes as the authorizer sees them.

    ``namespace`` is ``""`` for cluster-scoped and non-resource requests; for the
    ``namespaces`` resource it is the namespace's own name (upstream request info).
    ``name`` is ``""`` when the request has none, :data:`ANY_NAME` to ask about any.
    """

    verb: str
    resource: str = ""
    subresource: str = ""
    group: str = ""
    name: str | None = ""
    namespace: str | None = ""
    path: str | None = None  # non-resource URL; when set the request is non-resource

    @property
    def is_resource(self) -> bool:
        return self.path is None

    @property
    def combined(self) -> str:
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource

    @property
    def carries_name(self) -> bool:
        """Whether such a request names an object (subresource requests name the parent)."""
        return bool(self.subresource) or self.verb not in NAMELESS_VERBS

    def describe(self) -> str:
        if not self.is_resource:
            return f"{self.verb} {self.path}"
        res = self.combined + (f".{self.group}" if self.group else "")
        name = f"/{self.name}" if self.name else ""
        ns = f" in namespace {self.namespace}" if self.namespace else ""
        return f"{self.verb} {res}{name}{ns}"


def parse_resource(text: str) -> tuple[str, str, str]:
    """``pods/exec`` -> ("", "pods", "exec"); ``deployments.apps/scale`` -> ("apps", "deployments", "scale")."""
    res, _, sub = text.partition("/")
    resource, _, group = res.partition(".")
    return group, resource, sub


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool))


@dataclass(frozen=True, slots=True, eq=False)
class PolicyRule:
    """One rule of a Role or ClusterRole, normalised for matching.

    ``origin`` names the role the rule is written in (for aggregated ClusterRoles, the
    source role) and ``index`` its position there, so evidence can point at
    ``rules[index]`` of the right object.
    """

    verbs: frozenset[str]
    api_groups: frozenset[str]
    resources: frozenset[str]
    resource_names: frozenset[str]
    urls: tuple[str, ...]
    index: int
    origin: tuple[str, str | None, str] = ("ClusterRole", None, "")  # (kind, namespace, name)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @staticmethod
    def from_raw(raw: Any, index: int, origin: tuple[str, str | None, str]) -> "PolicyRule | None":
        if not isinstance(raw, dict):
            return None
        verbs = _strs(raw.get("verbs"))
        return PolicyRule(
            verbs=frozenset(verbs), api_groups=frozenset(_strs(raw.get("apiGroups"))),
            resources=frozenset(_strs(raw.get("resources"))),
            resource_names=frozenset(_strs(raw.get("resourceNames"))),
            urls=_strs(raw.get("nonResourceURLs")), index=index, origin=origin, raw=raw,
        )

    # --- the four upstream predicates -----------------------------------------------
    def verb_matches(self, verb: str) -> bool:
        return "*" in self.verbs or verb in self.verbs

    def group_matches(self, group: str) -> bool:
        return "*" in self.api_groups or group in self.api_groups

    def resource_matches(self, resource: str, subresource: str = "") -> bool:
        rs = self.resources
        if "*" in rs:
            return True
        if (f"{resource}/{subresource}" if subresource else resource) in rs:
            return True
        return bool(subresource) and f"*/{subresource}" in rs

    def name_matches(self, name: str | None, carries_name: bool = True) -> bool:
        if not self.resource_names:
            return True
        if name is ANY_NAME:
            return carries_name
        return name in self.resource_names

    def url_matches(self, path: str) -> bool:
        for u in self.urls:
            if u == "*" or u == path:
                return True
            if u.endswith("*") and path.startswith(u.rstrip("*")):
                return True
        return False

    def allows(self, req: Request) -> bool:
        """Upstream ``RuleAllows`` (namespace scope is the binding's business, not the rule's)."""
        if not self.verb_matches(req.verb):
            return False
        if req.path is not None:
            return self.url_matches(req.path)
        return (self.group_matches(req.group) and self.resource_matches(req.resource, req.subresource)
                and self.name_matches(req.name, req.carries_name))

    # --- descriptions ----------------------------------------------------------------
    @property
    def is_full_authority(self) -> bool:
        """``*`` verbs on ``*`` resources in ``*`` groups for any name (cluster-admin's first rule)."""
        return "*" in self.verbs and "*" in self.api_groups and "*" in self.resources and not self.resource_names

    def to_dict(self) -> dict[str, Any]:
        """The rule as written, with keys in upstream order; empty lists left out."""
        out: dict[str, Any] = {}
        for key in ("apiGroups", "resources", "resourceNames", "nonResourceURLs", "verbs"):
            v = _strs(self.raw.get(key))
            if v:
                out[key] = list(v)
        return out

    def describe(self) -> str:
        verbs = ",".join(sorted(self.verbs)) or "-"
        if self.urls and not self.resources:
            return f"{verbs} {','.join(self.urls)}"
        groups = ",".join(sorted(g or "core" for g in self.api_groups)) or "-"
        names = f" names={','.join(sorted(self.resource_names))}" if self.resource_names else ""
        return f"{verbs} {','.join(sorted(self.resources)) or '-'} [{groups}]{names}"


def rules_of(raw_rules: Any, origin: tuple[str, str | None, str]) -> tuple[PolicyRule, ...]:
    if not isinstance(raw_rules, list):
        return ()
    out = []
    for i, r in enumerate(raw_rules):
        pr = PolicyRule.from_raw(r, i, origin)
        if pr is not None:
            out.append(pr)
    return tuple(out)


def is_cluster_scoped(group: str, resource: str, extra: Iterable[tuple[str, str]] = ()) -> bool:
    return (group, resource) in CLUSTER_SCOPED or (group, resource) in extra


# API group of well-known resources, so ``who-can create deployments`` means apps/deployments.
KNOWN_GROUPS: dict[str, str] = {
    **{r: "apps" for r in ("deployments", "replicasets", "statefulsets", "daemonsets", "controllerrevisions")},
    **{r: "batch" for r in ("jobs", "cronjobs")},
    **{r: "rbac.authorization.k8s.io" for r in ("roles", "rolebindings", "clusterroles", "clusterrolebindings")},
    **{r: "networking.k8s.io" for r in ("ingresses", "networkpolicies", "ingressclasses")},
    **{r: "admissionregistration.k8s.io" for r in (
        "mutatingwebhookconfigurations", "validatingwebhookconfigurations", "validatingadmissionpolicies",
        "validatingadmissionpolicybindings", "mutatingadmissionpolicies", "mutatingadmissionpolicybindings")},
    **{r: "certificates.k8s.io" for r in ("certificatesigningrequests", "signers", "clustertrustbundles")},
    **{r: "storage.k8s.io" for r in ("storageclasses", "csidrivers", "csinodes", "volumeattachments")},
    "customresourcedefinitions": "apiextensions.k8s.io", "apiservices": "apiregistration.k8s.io",
    "horizontalpodautoscalers": "autoscaling", "poddisruptionbudgets": "policy",
    "podsecuritypolicies": "policy", "endpointslices": "discovery.k8s.io", "leases": "coordination.k8s.io",
    "priorityclasses": "scheduling.k8s.io", "runtimeclasses": "node.k8s.io",
    "tokenreviews": "authentication.k8s.io", "selfsubjectreviews": "authentication.k8s.io",
    "uids": "authentication.k8s.io", "userextras": "authentication.k8s.io",
    **{r: "authorization.k8s.io" for r in ("subjectaccessreviews", "selfsubjectaccessreviews",
                                            "selfsubjectrulesreviews", "localsubjectaccessreviews")},
}


def request_from_cli(verb: str, resource: str, namespace: str | None, name: str | None,
                     extra_groups: dict[str, str] | None = None) -> Request:
    """``who-can VERB RESOURCE``: ``pods/exec``, ``deployments.apps/scale``, ``/healthz`` (non-resource)."""
    if resource.startswith("/"):
        return Request(verb=verb, path=resource, namespace="")
    group, res, sub = parse_resource(resource)
    if not res:
        raise ValueError(f"resource {resource!r} is empty")
    if "." not in resource.partition("/")[0]:
        group = (extra_groups or {}).get(res) or KNOWN_GROUPS.get(res, "")
    if group == "core":
        group = ""
    return Request(verb=verb, resource=res, subresource=sub, group=group, name=name, namespace=namespace)

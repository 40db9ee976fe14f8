"""The RBAC graph: subjects -> bindings -> roles -> rules, with upstream semantics.

Built once per cluster by :func:`build` (registered as ``ctx.graph("rbac")``) and
read-only afterwards.  The structure is a set of plain dict indexes, not a graph
library: every question the RBAC analysis asks is a lookup at depth three (subject ->
binding -> role -> rule), which dicts answer faster than rustworkx or networkx and
without a dependency (``bench/rbac_bench.py`` measures both; see its output).

Public API (used by the RB rules, the ``kubeguard rbac`` commands and the attack-path
work; keep it stable):

* :class:`Subject` – a binding subject (``User``, ``Group``, ``ServiceAccount``);
* :class:`Identity` – who makes a request: a user, a service account, a group member
  or a cloud principal, with its implicit groups; ``Identity.parse("sa:ns:name")``;
* :class:`RoleNode`, :class:`BindingNode`, :class:`Grant` (binding x rule, with scope);
* :class:`RbacGraph`:
  ``grants_for(identity)``, ``allowed(identity, request)``, ``who_can(request)``,
  ``identities()``, ``identity_of_service_account(ns, name)``, ``roles``, ``bindings``,
  ``bindings_of_role(kind, ns, name)``, ``cloud_principals``, ``workload_identities``,
  ``service_accounts``, ``problems``.
* Escalation primitives: :mod:`kubeguard.graph.rbac_escalation` (``graph.escalations()``).

Scope of a grant: ``None`` for a ClusterRoleBinding (every namespace, cluster-scoped
resources and non-resource URLs); a namespace for a RoleBinding (namespaced resources
of that namespace, plus the Namespace object itself).  ``system:masters`` is modelled as
a synthetic binding of full authority (the API server allows its members before RBAC).
Cloud principals (``ClusterFacts.facts["identity"]``, written by
:mod:`kubeguard.collect.cloud_identity`) enter as identities with their mapped username
and groups, plus synthetic bindings for cloud-side grants (EKS access policies, AKS
admin groups and local accounts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Iterator

from ..model.inventory import ClusterInventory
from ..model.objects import K8sObject
from ..model.selectors import selector_matches
from .rbac_defaults import DEFAULT_BINDINGS, DEFAULT_CLUSTER_ROLES
from .rbac_match import ANY_NAME, PolicyRule, Request, is_cluster_scoped, rules_of

RBAC_GROUP = "rbac.authorization.k8s.io"
SA_PREFIX = "system:serviceaccount:"
PRIVILEGED_GROUP = "system:masters"
AUTHENTICATED = "system:authenticated"
UNAUTHENTICATED = "system:unauthenticated"
ANONYMOUS = "system:anonymous"
ALL_SERVICEACCOUNTS = "system:serviceaccounts"
IMPLICIT_GROUPS = frozenset({AUTHENTICATED, UNAUTHENTICATED, ALL_SERVICEACCOUNTS})
BOOTSTRAP_LABEL = "kubernetes.io/bootstrapping"
# Binding-name prefixes reserved for the platform (upstream and managed clouds).
PLATFORM_PREFIXES = ("system:", "eks:", "gce:", "gke:")
# Upstream bootstrap roles and bindings whose names have no reserved prefix.
UPSTREAM_UNPREFIXED_DEFAULTS = frozenset({"cluster-admin", "admin", "edit", "view",
                                          "extension-apiserver-authentication-reader"})

Key = tuple[str, str, str]  # (kind, namespace or "", name); kind User | Group | ServiceAccount


# --------------------------------------------------------------------------- subjects
@dataclass(frozen=True, slots=True)
class Subject:
    """A subject as written in a binding (``namespace`` only for ServiceAccount)."""

    kind: str
    name: str
    namespace: str | None = None

    @property
    def key(self) -> Key:
        """Identity key: a User named ``system:serviceaccount:NS:NAME`` is that ServiceAccount."""
        if self.kind == "User" and self.name.startswith(SA_PREFIX):
            ns, _, name = self.name[len(SA_PREFIX):].partition(":")
            if ns and name:
                return ("ServiceAccount", ns, name)
        if self.kind == "ServiceAccount":
            return ("ServiceAccount", self.namespace or "", self.name)
        return (self.kind, "", self.name)

    def __str__(self) -> str:
        if self.kind == "ServiceAccount":
            return f"ServiceAccount {self.namespace}/{self.name}"
        return f"{self.kind} {self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "namespace": self.namespace}


def subject_from_raw(raw: Any, binding_ns: str | None) -> Subject | None:
    """Upstream ``appliesTo``: a ServiceAccount subject without namespace takes the binding's."""
    if not isinstance(raw, dict):
        return None
    kind, name = raw.get("kind"), raw.get("name")
    if kind not in ("User", "Group", "ServiceAccount") or not isinstance(name, str) or not name:
        return None
    if kind == "ServiceAccount":
        ns = raw.get("namespace") or binding_ns
        if not ns:
            return None  # never matches anything upstream
        return Subject(kind, name, str(ns))
    return Subject(kind, name)


# --------------------------------------------------------------------------- identities
@dataclass(frozen=True, slots=True)
class CloudPrincipal:
    """A cloud identity that authenticates into the cluster (facts["identity"]["principals"][i])."""

    id: str
    type: str
    username: str | None
    groups: tuple[str, ...]
    source: str
    access_policies: tuple[dict[str, Any], ...] = field(default=(), compare=False)

    @property
    def username_pattern(self) -> "re.Pattern[str] | None":
        """Usernames with ``{{SessionName}}``-style templates match a family of names."""
        if not self.username or "{{" not in self.username:
            return None
        return _template_regex(self.username, self.id)


@cache
def _template_regex(template: str, principal: str) -> "re.Pattern[str]":
    account = re.search(r"::(\d{12}):", principal)
    out, pos = [], 0
    for m in re.finditer(r"\{\{(\w+)\}\}", template):
        out.append(re.escape(template[pos:m.start()]))
        var = m.group(1)
        out.append(re.escape(account.group(1)) if var == "AccountID" and account else ".+")
        pos = m.end()
    out.append(re.escape(template[pos:]))
    return re.compile("^" + "".join(out) + "$")


@dataclass(frozen=True, slots=True)
class Identity:
    """Who makes a request: username plus groups, as the authenticator would produce them."""

    kind: str  # User | Group | ServiceAccount
    name: str
    namespace: str | None = None
    cloud: CloudPrincipal | None = None

    @staticmethod
    def of_subject(s: Subject) -> "Identity":
        k = s.key
        return Identity(k[0], k[2], k[1] or None)

    @staticmethod
    def parse(text: str) -> "Identity":
        """``user:NAME``, ``group:NAME``, ``sa:NS:NAME`` (or ``serviceaccount:``)."""
        kind, _, rest = text.partition(":")
        kind = kind.lower()
        if kind == "user" and rest:
            return Identity.of_subject(Subject("User", rest))
        if kind == "group" and rest:
            return Identity("Group", rest)
        if kind in ("sa", "serviceaccount"):
            ns, _, name = rest.partition(":")
            if ns and name:
                return Identity("ServiceAccount", name, ns)
        raise ValueError(f"subject {text!r} must be user:NAME, group:NAME or sa:NAMESPACE:NAME")

    @property
    def username(self) -> str | None:
        if self.kind == "ServiceAccount":
            return f"{SA_PREFIX}{self.namespace}:{self.name}"
        if self.kind == "User":
            return self.cloud.username if self.cloud else self.name
        return None

    def keys(self) -> frozenset[Key]:
        """This identity's user key and every group it carries, implicit ones included."""
        if self.kind == "ServiceAccount":
            return frozenset({("ServiceAccount", self.namespace or "", self.name),
                              ("Group", "", ALL_SERVICEACCOUNTS),
                              ("Group", "", f"{ALL_SERVICEACCOUNTS}:{self.namespace}"),
                              ("Group", "", AUTHENTICATED)})
        if self.kind == "Group":
            keys = {("Group", "", self.name)}
            if self.name.startswith(ALL_SERVICEACCOUNTS):
                keys.add(("Group", "", ALL_SERVICEACCOUNTS))
            if self.name != UNAUTHENTICATED:
                keys.add(("Group", "", AUTHENTICATED))
            return frozenset(keys)
        if self.cloud is not None:
            keys = {("User", "", self.name)} | {("Group", "", g) for g in self.cloud.groups}
            if self.cloud.username and "{{" not in self.cloud.username:
                keys.add(("User", "", self.cloud.username))
            keys.add(("Group", "", AUTHENTICATED))
            return frozenset(keys)
        if self.name == ANONYMOUS:
            return frozenset({("User", "", ANONYMOUS), ("Group", "", UNAUTHENTICATED)})
        keys = {("User", "", self.name), ("Group", "", AUTHENTICATED)}
        if self.name.startswith("system:node:"):
            keys.add(("Group", "", "system:nodes"))
        return frozenset(keys)

    def __str__(self) -> str:
        if self.kind == "ServiceAccount":
            return f"ServiceAccount {self.namespace}/{self.name}"
        if self.cloud is not None:
            return f"{self.cloud.type} {self.name}"
        return f"{self.kind} {self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "namespace": self.namespace}


# --------------------------------------------------------------------------- roles and bindings
@dataclass(frozen=True, slots=True, eq=False)
class RoleNode:
    kind: str  # Role | ClusterRole (synthetic cloud policies use ClusterRole semantics)
    namespace: str | None
    name: str
    obj: K8sObject | None
    rules: tuple[PolicyRule, ...]
    origin: str = "inventory"  # inventory | upstream-default | cloud | privileged-group
    aggregated_from: tuple[str, ...] = ()  # selected ClusterRoles when the role aggregates
    drift: str | None = None  # live rules differ from what aggregation would produce

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.kind, self.namespace, self.name)

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.namespace}/{self.name}" if self.namespace else f"{self.kind}/{self.name}"

    @property
    def full_authority(self) -> bool:
        return any(r.is_full_authority for r in self.rules)

    @property
    def is_platform(self) -> bool:
        return self.origin != "inventory" or is_platform_object(self.obj, self.name)


def is_platform_object(obj: K8sObject | None, name: str) -> bool:
    """Owned by Kubernetes or the managed platform.

    The bootstrapping label alone proves nothing (anyone can set it on their own role):
    it counts only on the few upstream defaults whose names carry no reserved prefix.
    """
    if name.startswith(PLATFORM_PREFIXES):
        return True
    return (obj is not None and obj.labels.get(BOOTSTRAP_LABEL) == "rbac-defaults"
            and name in UPSTREAM_UNPREFIXED_DEFAULTS)


@dataclass(frozen=True, slots=True, eq=False)
class BindingNode:
    kind: str  # RoleBinding | ClusterRoleBinding | synthetic: PrivilegedGroup, CloudAccess
    namespace: str | None
    name: str
    obj: K8sObject | None
    role_kind: str
    role_name: str
    role: RoleNode | None
    subjects: tuple[Subject, ...]
    subject_index: tuple[int, ...]  # index of each subject in the object's subjects list
    source: str = "rbac"  # rbac | privileged-group | eks-access-policy | aks-admin-group | ...
    problem: str | None = None  # why the binding grants nothing (missing or invalid role)

    @property
    def scope(self) -> str | None:
        return self.namespace if self.kind in ("RoleBinding", "CloudAccess") else None

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.namespace}/{self.name}" if self.namespace else f"{self.kind}/{self.name}"

    @property
    def role_ref(self) -> str:
        if self.role is not None:
            return self.role.ref
        ns = f"{self.namespace}/" if self.role_kind == "Role" and self.namespace else ""
        return f"{self.role_kind}/{ns}{self.role_name}"

    @property
    def is_platform(self) -> bool:
        """Owned by Kubernetes or the managed platform (cloud access grants are not)."""
        if self.source in ("privileged-group", "upstream-default"):
            return True
        return self.source == "rbac" and is_platform_object(self.obj, self.name)


@dataclass(frozen=True, slots=True)
class Grant:
    """One rule reaching the subjects of one binding, at the binding's scope."""

    binding: BindingNode
    rule: PolicyRule

    @property
    def scope(self) -> str | None:
        return self.binding.scope

    @property
    def role(self) -> RoleNode:
        assert self.binding.role is not None
        return self.binding.role

    def applies(self, req: Request, cluster_scoped: bool) -> bool:
        """Upstream: the rule allows the request and the binding's scope covers it."""
        return self.in_scope(req, cluster_scoped) and self.rule.allows(req)

    def in_scope(self, req: Request, cluster_scoped: bool) -> bool:
        """Whether the binding's scope covers the request (the rule aside)."""
        scope = self.binding.scope
        if scope is None:
            return True
        if not req.is_resource:
            return False  # non-resource URLs have no namespace
        if req.group == "" and req.resource == "namespaces":
            # /api/v1/namespaces/X is attributed to namespace X
            return req.name in (ANY_NAME, scope) and req.namespace in (None, "", scope)
        return not cluster_scoped and req.namespace in (None, scope)

    def to_via(self) -> dict[str, Any]:
        b = self.binding
        via: dict[str, Any] = {
            "binding": b.name, "bindingKind": b.kind, "namespace": b.namespace,
            "role": b.role.name if b.role else b.role_name, "roleKind": b.role.kind if b.role else b.role_kind,
            "rule": self.rule.to_dict(), "source": b.source,
        }
        if b.role is not None and self.rule.origin[2] and self.rule.origin[2] != b.role.name:
            via["aggregatedFrom"] = self.rule.origin[2]
        return via

    def chain(self) -> str:
        """``RoleBinding/ns/b -> ClusterRole/r rules[2]: get,list secrets [core]``."""
        origin = self.rule.origin
        role = self.binding.role
        src = ""
        if role is not None and origin[2] and origin[2] != role.name:
            src = f" (from {origin[0]}/{origin[2]})"
        return f"{self.binding.ref} -> {self.binding.role_ref} rules[{self.rule.index}]{src}: {self.rule.describe()}"


@dataclass(frozen=True, slots=True)
class WorkloadIdentityLink:
    """A Kubernetes ServiceAccount linked to a cloud identity (facts["identity"]["workloadIdentities"])."""

    namespace: str
    service_account: str
    provider: str  # aws | gcp | azure
    mechanism: str  # irsa | eks-pod-identity | gke-workload-identity | azure-workload-identity
    cloud_identity: str  # role ARN, GSA e-mail, client id
    source: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Answer:
    """One subject in a who-can answer and every grant through which it may act."""

    kind: str
    name: str
    namespace: str | None
    via: tuple[Grant, ...]
    cloud: CloudPrincipal | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "namespace": self.namespace,
                "via": [g.to_via() for g in self.via]}


# --------------------------------------------------------------------------- the graph
class RbacGraph:
    """Roles, bindings and grants of one cluster, indexed for the questions we ask."""

    def __init__(self, cluster: str, source: str, roles: dict[tuple[str, str | None, str], RoleNode],
                 bindings: list[BindingNode], cluster_scoped_crds: frozenset[tuple[str, str]],
                 service_accounts: frozenset[tuple[str, str]], namespaces: tuple[str, ...],
                 cloud_principals: tuple[CloudPrincipal, ...], workload_identities: tuple[WorkloadIdentityLink, ...],
                 problems: tuple[str, ...], identity_facts: dict[str, Any], aws_auth: bool = True):
        self.cluster = cluster
        self.aws_auth = aws_auth  # EKS-shaped: the aws-auth ConfigMap maps IAM principals (aws-auth-write applies)
        self.source = source
        self.roles = roles
        self.bindings = tuple(bindings)
        self.cluster_scoped_crds = cluster_scoped_crds
        self.service_accounts = service_accounts
        self.namespaces = namespaces
        self.cloud_principals = cloud_principals
        self.workload_identities = workload_identities
        self.problems = problems
        self.identity_facts = identity_facts
        by_key: dict[Key, list[BindingNode]] = {}
        by_role: dict[tuple[str, str | None, str], list[BindingNode]] = {}
        user_subjects: set[str] = set()
        for b in self.bindings:
            for s in b.subjects:
                lst = by_key.setdefault(s.key, [])
                if not lst or lst[-1] is not b:
                    lst.append(b)
                if s.key[0] == "User":
                    user_subjects.add(s.name)
            if b.role is not None:
                by_role.setdefault(b.role.key, []).append(b)
        self._by_key = by_key
        self._by_role = by_role
        self._user_subjects = tuple(sorted(user_subjects))
        self._grants: dict[Identity, tuple[Grant, ...]] = {}
        self._escalations: Any = None

    # --- lookups -------------------------------------------------------------------
    def cluster_scoped(self, group: str, resource: str) -> bool:
        return is_cluster_scoped(group, resource, self.cluster_scoped_crds)

    def bindings_of_role(self, kind: str, namespace: str | None, name: str) -> tuple[BindingNode, ...]:
        return tuple(self._by_role.get((kind, namespace if kind == "Role" else None, name), ()))

    def bindings_naming(self, key: Key) -> tuple[BindingNode, ...]:
        return tuple(self._by_key.get(key, ()))

    def identity_of_service_account(self, namespace: str, name: str) -> Identity:
        return Identity("ServiceAccount", name, namespace)

    def grants_for(self, identity: Identity) -> tuple[Grant, ...]:
        """Every grant reaching ``identity`` directly or through its groups (cached)."""
        cached = self._grants.get(identity)
        if cached is not None:
            return cached
        seen: set[int] = set()
        out: list[Grant] = []
        keys = identity.keys()
        pattern = identity.cloud.username_pattern if identity.cloud else None
        extra = [("User", "", u) for u in self._user_subjects if pattern.match(u)] if pattern else []
        for key in sorted(keys) + extra:
            for b in self._by_key.get(key, ()):
                if id(b) in seen or b.role is None:
                    continue
                seen.add(id(b))
                out.extend(Grant(b, r) for r in b.role.rules)
        result = tuple(out)
        self._grants[identity] = result
        return result

    def allowed(self, identity: Identity, req: Request) -> tuple[Grant, ...]:
        """The grants that allow ``req`` for ``identity`` (empty: RBAC denies)."""
        cs = req.is_resource and self.cluster_scoped(req.group, req.resource)
        return tuple(g for g in self.grants_for(identity) if g.applies(req, cs))

    def identities(self) -> list[Identity]:
        """Every identity worth analysing: binding subjects, ServiceAccounts, cloud principals."""
        seen: dict[Key, Identity] = {}
        for b in self.bindings:
            for s in b.subjects:
                seen.setdefault(s.key, Identity.of_subject(s))
        for ns, name in self.service_accounts:
            seen.setdefault(("ServiceAccount", ns, name), Identity("ServiceAccount", name, ns))
        out = sorted(seen.values(), key=lambda i: (i.kind, i.namespace or "", i.name))
        out.extend(self.cloud_identities())
        return out

    def cloud_identities(self) -> list[Identity]:
        return [Identity("User", p.id, None, p) for p in self.cloud_principals]

    def who_can(self, req: Request) -> list[Answer]:
        """Every subject (and cloud principal) RBAC lets perform ``req``; sorted, grouped by subject."""
        cs = req.is_resource and self.cluster_scoped(req.group, req.resource)
        role_hits: dict[int, list[PolicyRule]] = {}
        found: dict[Key, tuple[Subject, list[Grant]]] = {}
        for b in self.bindings:
            role = b.role
            if role is None or b.kind == "CloudAccess":  # cloud grants are answered per principal below
                continue
            hits = role_hits.get(id(role))
            if hits is None:
                hits = [r for r in role.rules if r.allows(req)]
                role_hits[id(role)] = hits
            if not hits:
                continue
            grants = [g for g in (Grant(b, r) for r in hits) if g.applies(req, cs)]
            if not grants:
                continue
            for s in b.subjects:
                entry = found.setdefault(s.key, (s, []))
                entry[1].extend(grants)
        answers = [Answer(k[0], k[2], k[1] or None, tuple(gs)) for k, (s, gs) in found.items()]
        for ident in self.cloud_identities():
            grants = self.allowed(ident, req)
            if grants:
                answers.append(Answer("User", ident.name, None, grants, ident.cloud))
        answers.sort(key=lambda a: (_KIND_ORDER.get(a.kind, 9), a.cloud is not None, a.namespace or "", a.name))
        return answers

    def escalations(self):
        """The escalation analysis (:class:`kubeguard.graph.rbac_escalation.Escalations`), built once."""
        if self._escalations is None:
            from .rbac_escalation import Escalations

            self._escalations = Escalations(self)
        return self._escalations


_KIND_ORDER = {"Group": 0, "User": 1, "ServiceAccount": 2}


# --------------------------------------------------------------------------- building
def build(cluster: ClusterInventory, assume_defaults: bool = False) -> RbacGraph:
    """Build the graph of one cluster (the ``ctx.graph("rbac")`` builder).

    ``assume_defaults`` adds upstream's default bindings when the cluster comes from
    manifests (see :mod:`kubeguard.graph.rbac_defaults`); default *roles* referenced by
    name are always resolved for manifests.
    """
    facts = cluster.facts
    from_manifests = facts.source in ("manifests", "demo")
    problems: list[str] = []
    role_objs = list(cluster.of_kind("Role", "ClusterRole"))
    binding_objs = list(cluster.of_kind("RoleBinding", "ClusterRoleBinding"))
    assumed_bindings: list[K8sObject] = []
    present_roles = {(o.kind, o.namespace if o.kind == "Role" else None, o.name) for o in role_objs}
    if from_manifests:
        for name, raw in DEFAULT_CLUSTER_ROLES.items():
            if ("ClusterRole", None, name) not in present_roles:
                role_objs.append(K8sObject.from_raw(raw, cluster.name, default_namespace=None))
        if assume_defaults:
            present_b = {o.name for o in cluster.of_kind("ClusterRoleBinding")}
            for name, raw in DEFAULT_BINDINGS.items():
                if name not in present_b:
                    assumed_bindings.append(K8sObject.from_raw(raw, cluster.name, default_namespace=None))
    roles = _build_roles(role_objs, present_roles, from_manifests, problems)
    bindings = [_binding(o, roles) for o in binding_objs]
    bindings.extend(_binding(o, roles, assumed=True) for o in assumed_bindings)
    bindings.sort(key=lambda b: (b.kind, b.namespace or "", b.name))

    # system:masters: allowed before RBAC is consulted
    masters = RoleNode("ClusterRole", None, PRIVILEGED_GROUP, None, _full_authority_rules(PRIVILEGED_GROUP),
                       origin="privileged-group")
    bindings.append(BindingNode("PrivilegedGroup", None, PRIVILEGED_GROUP, None, "ClusterRole", PRIVILEGED_GROUP,
                                masters, (Subject("Group", PRIVILEGED_GROUP),), (0,), source="privileged-group"))

    identity = facts.facts.get("identity") if isinstance(facts.facts.get("identity"), dict) else {}
    principals = _cloud_principals(identity)
    for p in principals:
        bindings.extend(_cloud_bindings(p))

    crds = set()
    for o in cluster.of_kind("CustomResourceDefinition"):
        spec = o.spec
        names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
        if spec.get("scope") == "Cluster" and isinstance(names.get("plural"), str):
            crds.add((str(spec.get("group", "")), names["plural"]))
    sas = {(o.namespace or "default", o.name) for o in cluster.of_kind("ServiceAccount")}
    links = _workload_identities(identity)
    aws_auth = facts.provider == "eks" or cluster.get("ConfigMap", "kube-system", "aws-auth") is not None
    return RbacGraph(cluster.name, facts.source, roles, bindings, frozenset(crds), frozenset(sas),
                     cluster.namespaces, principals, links, tuple(problems), identity, aws_auth)


def _full_authority_rules(name: str) -> tuple[PolicyRule, ...]:
    origin = ("ClusterRole", None, name)
    return (PolicyRule.from_raw({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}, 0, origin),  # type: ignore
            PolicyRule.from_raw({"nonResourceURLs": ["*"], "verbs": ["*"]}, 1, origin))


def _build_roles(objs: list[K8sObject], present: set, from_manifests: bool,
                 problems: list[str]) -> dict[tuple[str, str | None, str], RoleNode]:
    own: dict[tuple[str, str | None, str], tuple[PolicyRule, ...]] = {}
    by_key: dict[tuple[str, str | None, str], K8sObject] = {}
    for o in sorted(objs, key=lambda o: (o.kind, o.namespace or "", o.name)):
        key = (o.kind, o.namespace if o.kind == "Role" else None, o.name)
        if key in by_key:
            continue
        by_key[key] = o
        own[key] = rules_of(o.raw.get("rules"), key)
    # ClusterRole aggregation: rules = union of the selected roles' rules (fixed point,
    # since aggregated roles may select other aggregated roles, as admin selects edit).
    cluster_roles = {k[2]: o for k, o in by_key.items() if k[0] == "ClusterRole"}
    selected: dict[str, list[str]] = {}
    for name, o in cluster_roles.items():
        agg = o.raw.get("aggregationRule")
        if not isinstance(agg, dict):
            continue
        sels = agg.get("clusterRoleSelectors")
        sels = [s for s in sels if isinstance(s, dict)] if isinstance(sels, list) else []
        selected[name] = sorted(n for n, other in cluster_roles.items()
                                if n != name and any(selector_matches(s, other.labels) for s in sels))
    computed: dict[str, tuple[PolicyRule, ...]] = {n: own[("ClusterRole", None, n)] for n in cluster_roles}
    for n in selected:
        computed[n] = ()
    for _ in range(len(selected) + 1):
        changed = False
        for n, srcs in selected.items():
            merged: list[PolicyRule] = []
            seen: set[tuple] = set()
            for src in srcs:
                for r in computed[src]:
                    sig = _rule_sig(r)
                    if sig not in seen:
                        seen.add(sig)
                        merged.append(r)
            if [id(r) for r in merged] != [id(r) for r in computed[n]]:
                computed[n] = tuple(merged)
                changed = True
        if not changed:
            break
    roles: dict[tuple[str, str | None, str], RoleNode] = {}
    for key, o in by_key.items():
        origin = "inventory" if key in present else "upstream-default"
        rules = own[key]
        agg_from: tuple[str, ...] = ()
        drift = None
        if key[0] == "ClusterRole" and key[2] in selected:
            agg_from = tuple(selected[key[2]])
            if from_manifests:
                rules = computed[key[2]]  # the controller overwrites typed rules
            else:
                # the authorizer reads the stored rules; report if the controller would differ
                want = {_rule_sig(r) for r in computed[key[2]]}
                have = {_rule_sig(r) for r in rules}
                if want != have:
                    drift = (f"stored rules differ from the aggregation of {', '.join(agg_from) or 'no role'} "
                             f"({len(have - want)} extra, {len(want - have)} missing)")
                    problems.append(f"ClusterRole/{key[2]}: {drift}")
        roles[key] = RoleNode(key[0], key[1], key[2], o if origin == "inventory" else None, rules, origin,
                              agg_from, drift)
    return roles


def _rule_sig(r: PolicyRule) -> tuple:
    return (r.verbs, r.api_groups, r.resources, r.resource_names, frozenset(r.urls))


def _binding(o: K8sObject, roles: dict[tuple[str, str | None, str], RoleNode], assumed: bool = False) -> BindingNode:
    ref = o.raw.get("roleRef") if isinstance(o.raw.get("roleRef"), dict) else {}
    rkind, rname = str(ref.get("kind") or ""), str(ref.get("name") or "")
    ns = o.namespace if o.kind == "RoleBinding" else None
    subjects: list[Subject] = []
    index: list[int] = []
    raw_subjects = o.raw.get("subjects")
    for i, s in enumerate(raw_subjects if isinstance(raw_subjects, list) else []):
        subj = subject_from_raw(s, ns)
        if subj is not None:
            subjects.append(subj)
            index.append(i)
    role = None
    problem = None
    if rkind == "ClusterRole":
        role = roles.get(("ClusterRole", None, rname))
    elif rkind == "Role" and o.kind == "RoleBinding":
        role = roles.get(("Role", ns, rname))
    elif rkind == "Role":
        problem = "a ClusterRoleBinding cannot reference a Role (rejected by the API server)"
    else:
        problem = f"roleRef kind {rkind or '(missing)'} is neither Role nor ClusterRole"
    if role is None and problem is None:
        problem = f"{rkind} {rname!r} does not exist" + (f" in namespace {ns}" if rkind == "Role" else "")
    return BindingNode(o.kind, ns, o.name, None if assumed else o, rkind, rname, role, tuple(subjects),
                       tuple(index), "upstream-default" if assumed else "rbac", problem if role is None else None)


# --------------------------------------------------------------------------- cloud identity facts
# EKS access policies -> the role whose rules they carry (AWS documents them as such).
_ACCESS_POLICY_ROLES = {
    "AmazonEKSClusterAdminPolicy": "cluster-admin",
    "AmazonEKSAdminPolicy": "admin",
    "AmazonEKSEditPolicy": "edit",
    "AmazonEKSViewPolicy": "view",
    "cluster-admin": "cluster-admin",
}
_ADMIN_VIEW_RULES = ({"apiGroups": ["*"], "resources": ["*"], "verbs": ["get", "list", "watch"]},)


@cache
def _default_role_rules(name: str) -> tuple[PolicyRule, ...]:
    """Rules of an upstream default ClusterRole, aggregation computed over the defaults alone."""
    objs = [K8sObject.from_raw(raw, "-", default_namespace=None) for raw in DEFAULT_CLUSTER_ROLES.values()]
    roles = _build_roles(objs, set(), True, [])
    return roles[("ClusterRole", None, name)].rules


def _cloud_principals(identity: dict[str, Any]) -> tuple[CloudPrincipal, ...]:
    out = []
    for p in identity.get("principals") or []:
        if not isinstance(p, dict) or not isinstance(p.get("id"), str):
            continue
        groups = tuple(str(g) for g in p.get("groups") or [] if isinstance(g, str))
        policies = tuple(a for a in p.get("accessPolicies") or [] if isinstance(a, dict))
        out.append(CloudPrincipal(p["id"], str(p.get("type") or "cloud"),
                                  p.get("username") if isinstance(p.get("username"), str) else None,
                                  groups, str(p.get("source") or ""), policies))
    return tuple(out)


def _cloud_bindings(p: CloudPrincipal) -> Iterator[BindingNode]:
    """Cloud-side grants (EKS access policies, AKS admin groups) as bindings of the principal."""
    subject = Subject("User", p.id)
    for a in p.access_policies:
        policy = str(a.get("policy") or "")
        short = policy.rsplit("/", 1)[-1]
        origin = ("ClusterRole", None, short)
        if short == "AmazonEKSAdminViewPolicy":
            rules = tuple(PolicyRule.from_raw(r, i, origin) for i, r in enumerate(_ADMIN_VIEW_RULES))
        elif short in _ACCESS_POLICY_ROLES:
            rules = _default_role_rules(_ACCESS_POLICY_ROLES[short])
        else:
            rules = ()  # platform component policies: not modelled
        role = RoleNode("ClusterRole", None, short, None, rules, origin="cloud")  # type: ignore[arg-type]
        source = str(a.get("source") or p.source or "cloud")
        if a.get("scope") == "namespace":
            for ns in a.get("namespaces") or []:
                yield BindingNode("CloudAccess", str(ns), source, None, "ClusterRole", short, role,
                                  (subject,), (0,), source=source)
        else:
            yield BindingNode("CloudAccess", None, source, None, "ClusterRole", short, role,
                              (subject,), (0,), source=source)


def _workload_identities(identity: dict[str, Any]) -> tuple[WorkloadIdentityLink, ...]:
    out = []
    for w in identity.get("workloadIdentities") or []:
        if not isinstance(w, dict):
            continue
        try:
            out.append(WorkloadIdentityLink(str(w["namespace"]), str(w["serviceAccount"]), str(w["provider"]),
                                            str(w["mechanism"]), str(w["cloudIdentity"]), str(w.get("source", "")),
                                            {k: v for k, v in w.items() if k not in (
                                                "namespace", "serviceAccount", "provider", "mechanism",
                                                "cloudIdentity", "source")}))
        except KeyError:
            continue
    return tuple(sorted(out, key=lambda w: (w.namespace, w.service_account, w.mechanism, w.cloud_identity)))


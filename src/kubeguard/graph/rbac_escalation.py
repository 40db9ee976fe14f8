"""Privilege-escalation primitives (shared/docs/rbac.md §7, §8, §12) over the RBAC graph.

A :class:`Primitive` is a set of permissions that must all hold at one scope (a
namespace, or cluster-wide); each :class:`Need` is satisfied by any of its requests.
Every check goes through the one upstream matcher (:meth:`Grant.applies`), so wildcards,
subresources, resourceNames and binding scope behave exactly as in the API server.

``Escalations(graph).of(identity)`` gives the primitives an identity holds, each with the
grants that satisfy every need (the chain of evidence).  A primitive held cluster-wide
is not repeated per namespace.  ``pod-create-as-powerful-sa`` is derived: creating pods
in a namespace where a ServiceAccount holds a critical primitive cluster-wide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from .rbac_match import ANY_NAME, Request

if TYPE_CHECKING:
    from .rbac import Grant, Identity, RbacGraph

NS = "$ns"  # placeholder: the namespace being evaluated (used as the name for `namespaces`)


@dataclass(frozen=True, slots=True)
class Need:
    label: str
    requests: tuple[Request, ...]
    # the API server's own check carries the binding's namespace even though the resource
    # is cluster-scoped (bind/escalate on clusterroles for a RoleBinding in N)
    namespaced_check: bool = False


@dataclass(frozen=True, slots=True)
class Primitive:
    id: str
    title: str  # what the holder can do, as a verb phrase
    severity: str
    needs: tuple[Need, ...]
    cluster: bool  # only cluster-wide grants count (cluster-scoped resources)
    outcome: str
    ref: str  # rbac.md catalogue number
    critical: bool = False  # a ServiceAccount holding it cluster-wide is "powerful"


def _r(verb: str, resource: str, group: str = "", name: str | None = ANY_NAME, namespace: str | None = NS) -> Request:
    res, _, sub = resource.partition("/")
    return Request(verb=verb, resource=res, subresource=sub, group=group, name=name, namespace=namespace)


def _any(label: str, verbs: Iterable[str], resources: Iterable[str], group: str = "", name: str | None = ANY_NAME,
         namespaced_check: bool = False) -> Need:
    return Need(label, tuple(_r(v, r, group, name) for r in resources for v in verbs), namespaced_check)


_WRITE = ("create", "update", "patch")
_WORKLOADS_APPS = ("deployments", "replicasets", "statefulsets", "daemonsets")
_WORKLOADS_BATCH = ("jobs", "cronjobs")

# Custom resources whose controllers act with their own (usually broad) identity.
DEPUTY_RESOURCES: tuple[tuple[str, str, str], ...] = (
    ("argoproj.io", "applications", "Argo CD deploys the Application's manifests with its own rights"),
    ("argoproj.io", "applicationsets", "Argo CD generates Applications from it"),
    ("argoproj.io", "workflows", "Argo Workflows runs pods as spec.serviceAccountName"),
    ("argoproj.io", "cronworkflows", "Argo Workflows runs pods as spec.workflowSpec.serviceAccountName"),
    ("kustomize.toolkit.fluxcd.io", "kustomizations", "Flux applies manifests as its controller or "
                                                      "spec.serviceAccountName"),
    ("helm.toolkit.fluxcd.io", "helmreleases", "Flux installs charts as its controller or spec.serviceAccountName"),
    ("tekton.dev", "taskruns", "Tekton runs pods as spec.serviceAccountName"),
    ("tekton.dev", "pipelineruns", "Tekton runs pods as the run's service account"),
    ("kyverno.io", "clusterpolicies", "Kyverno generate/mutate rules write objects with Kyverno's rights"),
    ("kyverno.io", "policies", "Kyverno generate/mutate rules write objects with Kyverno's rights"),
)

FULL = Request(verb="*", resource="*", group="*", name="", namespace=NS)

PRIMITIVES: tuple[Primitive, ...] = (
    Primitive("cluster-admin", "hold full authority ('*' on '*')", "critical",
              (Need("* verbs on * resources in * groups", (FULL,)),), False,
              "every action on every resource in scope", "rbac.md §9", True),
    Primitive("secrets-read", "read Secrets", "high",
              (_any("get/list/watch secrets", ("get", "list", "watch"), ("secrets",)),), False,
              "Secret values: service-account tokens, cloud keys, registry and TLS credentials", "P9", True),
    Primitive("secrets-create-read", "mint service-account token Secrets", "high",
              (_any("create secrets", ("create",), ("secrets",)),
               _any("get/list/watch secrets", ("get", "list", "watch"), ("secrets",))), False,
              "a non-expiring token of any ServiceAccount in scope (type kubernetes.io/service-account-token)",
              "P10", True),
    Primitive("pod-create", "create or modify pods and workloads", "high",
              (Need("create pods or workloads, or update/patch pods and workloads", tuple(
                  [_r("create", "pods")] + [_r(v, "pods") for v in ("update", "patch")]
                  + [_r(v, "replicationcontrollers") for v in _WRITE]
                  + [_r(v, r, "apps") for r in _WORKLOADS_APPS for v in _WRITE]
                  + [_r(v, r, "batch") for r in _WORKLOADS_BATCH for v in _WRITE])),), False,
              "run code as any ServiceAccount in scope and mount its Secrets", "P1/P2"),
    Primitive("pod-exec", "execute code in running pods", "high",
              (Need("create/get pods/exec or pods/attach, or update/patch pods/ephemeralcontainers", tuple(
                  [_r(v, r) for r in ("pods/exec", "pods/attach") for v in ("create", "get")]
                  + [_r(v, "pods/ephemeralcontainers") for v in ("update", "patch")])),), False,
              "code execution with the pod's ServiceAccount, mounts and privileges "
              "('get' is enough over WebSocket before 1.35)", "P3/P4"),
    Primitive("pod-port-forward-proxy", "reach pods and services through the API server", "medium",
              (Need("create/get pods/portforward, or any verb on pods/proxy or services/proxy", tuple(
                  [_r(v, "pods/portforward") for v in ("create", "get")]
                  + [_r(v, r) for r in ("pods/proxy", "services/proxy")
                     for v in ("get", "create", "update", "patch", "delete")])),), False,
              "network access to pod ports (including localhost-only admin ports), bypassing NetworkPolicy",
              "P5/P6"),
    Primitive("serviceaccount-token", "request tokens for ServiceAccounts", "high",
              (_any("create serviceaccounts/token", ("create",), ("serviceaccounts/token",)),), False,
              "tokens of ServiceAccounts in scope with a caller-chosen audience (also their cloud identities)",
              "P8", True),
    Primitive("impersonate", "impersonate users, groups or ServiceAccounts", "critical",
              (Need("impersonate users, groups, serviceaccounts or nodes (legacy or constrained verbs)", tuple(
                  [_r("impersonate", r, namespace=None) for r in ("users", "groups", "serviceaccounts")]
                  + [_r("impersonate", "uids", "authentication.k8s.io", namespace=None)]
                  + [_r("impersonate:user-info", r, namespace=None) for r in ("users", "groups")]
                  + [_r("impersonate:serviceaccount", "serviceaccounts", namespace=None)]
                  + [_r(v, "nodes", "authentication.k8s.io", namespace=None)
                     for v in ("impersonate:arbitrary-node", "impersonate:associated-node")])),), False,
              "act as the impersonated identity; 'groups' without resourceNames includes system:masters",
              "P13", True),
    # bind is checked on the role a binding references: a ClusterRoleBinding can only reference
    # ClusterRoles, a RoleBinding either kind, so the pairs below are the only ones that work
    Primitive("rbac-bind", "bind ClusterRoles they do not hold", "critical",
              (_any("bind clusterroles", ("bind",), ("clusterroles",), "rbac.authorization.k8s.io",
                    namespaced_check=True),
               _any("create/update/patch rolebindings or clusterrolebindings", _WRITE,
                    ("rolebindings", "clusterrolebindings"), "rbac.authorization.k8s.io")), False,
              "any ClusterRole named by the bind grant (cluster-admin included, without resourceNames)",
              "P11", True),
    Primitive("rbac-bind-roles", "bind Roles they do not hold", "critical",
              (_any("bind roles", ("bind",), ("roles",), "rbac.authorization.k8s.io", namespaced_check=True),
               _any("create/update/patch rolebindings", _WRITE, ("rolebindings",), "rbac.authorization.k8s.io")),
              False, "any Role of the namespace named by the bind grant", "P11", True),
    # escalate is checked on the role being written
    Primitive("rbac-escalate", "escalate ClusterRoles beyond their own permissions", "critical",
              (_any("escalate clusterroles", ("escalate",), ("clusterroles",), "rbac.authorization.k8s.io",
                    namespaced_check=True),
               _any("create/update/patch clusterroles", _WRITE, ("clusterroles",), "rbac.authorization.k8s.io")),
              False, "arbitrary permissions written into a ClusterRole they can bind or already hold", "P12", True),
    Primitive("rbac-escalate-roles", "escalate Roles beyond their own permissions", "critical",
              (_any("escalate roles", ("escalate",), ("roles",), "rbac.authorization.k8s.io", namespaced_check=True),
               _any("create/update/patch roles", _WRITE, ("roles",), "rbac.authorization.k8s.io")), False,
              "arbitrary permissions in a namespace, written into a Role they can bind or already hold", "P12", True),
    Primitive("rbac-write", "write roles or bindings", "medium",
              (_any("create/update/patch roles, rolebindings, clusterroles or clusterrolebindings", _WRITE,
                    ("roles", "rolebindings", "clusterroles", "clusterrolebindings"), "rbac.authorization.k8s.io"),),
              False, "re-share every permission they hold with any subject (lateral spread); with bind or "
                     "escalate, new permissions", "§7"),
    Primitive("nodes-proxy", "use the kubelet API through nodes/proxy", "critical",
              (_any("get/create nodes/proxy", ("get", "create"), ("nodes/proxy",)),), True,
              "exec in every pod of the node(s), bypassing audit and admission ('get' suffices over WebSocket)",
              "P7", True),
    Primitive("csr-approve", "issue client certificates for any identity", "critical",
              (_any("create certificatesigningrequests", ("create",), ("certificatesigningrequests",),
                    "certificates.k8s.io"),
               _any("update/patch certificatesigningrequests/approval", ("update", "patch"),
                    ("certificatesigningrequests/approval",), "certificates.k8s.io"),
               Need("approve signers kubernetes.io/kube-apiserver-client", tuple(
                   _r("approve", "signers", "certificates.k8s.io", n)
                   for n in ("kubernetes.io/kube-apiserver-client", "kubernetes.io/*"))),
               _any("get/list/watch certificatesigningrequests", ("get", "list", "watch"),
                    ("certificatesigningrequests",), "certificates.k8s.io")), True,
              "a client certificate with a chosen user and groups (system:masters included)", "P14", True),
    Primitive("webhook-write", "write admission webhooks or mutating policies", "critical",
              (_any("create/update/patch admission webhook configurations or mutating admission policies", _WRITE,
                    ("mutatingwebhookconfigurations", "validatingwebhookconfigurations",
                     "mutatingadmissionpolicies", "mutatingadmissionpolicybindings"),
                    "admissionregistration.k8s.io"),), True,
              "every admitted object (Secrets included) sent to, or rewritten by, an endpoint they choose",
              "P16", True),
    Primitive("apiservice-write", "redirect API groups (APIService)", "critical",
              (_any("create/update/patch apiservices", _WRITE, ("apiservices",), "apiregistration.k8s.io"),), True,
              "requests for an API group/version served by an endpoint they choose", "P17", True),
    Primitive("crd-write", "write CustomResourceDefinitions", "high",
              (_any("create/update/patch customresourcedefinitions", _WRITE, ("customresourcedefinitions",),
                    "apiextensions.k8s.io"),), True,
              "a conversion webhook that receives every object of the CRD", "P18"),
    Primitive("pv-create", "create PersistentVolumes", "high",
              (_any("create persistentvolumes", ("create",), ("persistentvolumes",)),), True,
              "hostPath or local volumes on any node, which Pod Security admission does not see", "P15", True),
    Primitive("namespace-write", "change namespace labels (Pod Security)", "high",
              (_any("update/patch namespaces", ("update", "patch"), ("namespaces",), name=NS),), False,
              "pod-security.kubernetes.io labels removed, so privileged pods are admitted", "P23"),
    Primitive("aws-auth-write", "edit the EKS aws-auth ConfigMap", "critical",
              (Need("update/patch configmap kube-system/aws-auth", tuple(
                  Request(verb=v, resource="configmaps", name="aws-auth", namespace="kube-system")
                  for v in ("update", "patch"))),), False,
              "any IAM principal mapped to system:masters", "P24", True),
    Primitive("deputy-write", "drive privileged controllers with custom resources", "high",
              (Need("create/update/patch custom resources acted on by privileged controllers", tuple(
                  _r(v, r, g) for g, r, _ in DEPUTY_RESOURCES for v in _WRITE)),), False,
              "objects created or pods run with the controller's identity (often cluster-admin)", "P19"),
    Primitive("service-hijack", "redirect Service traffic", "medium",
              (Need("update/patch services/status, or write endpoints or endpointslices", tuple(
                  [_r(v, "services/status") for v in ("update", "patch")]
                  + [_r(v, "endpoints") for v in _WRITE]
                  + [_r(v, "endpointslices", "discovery.k8s.io") for v in _WRITE])),), False,
              "traffic for a Service sent to an address they choose (CVE-2020-8554 class)", "P22"),
)
BY_ID = {p.id: p for p in PRIMITIVES}
POWERFUL_SA = Primitive(
    "pod-create-as-powerful-sa", "run pods as a ServiceAccount with critical permissions", "critical",
    (), False, "the permissions of that ServiceAccount", "P1", True)
ALL_PRIMITIVES = PRIMITIVES + (POWERFUL_SA,)


@dataclass(frozen=True, slots=True)
class Escalation:
    """``identity`` holds ``primitive`` at ``scope`` (None: cluster-wide); ``evidence[i]`` satisfies need i."""

    primitive: Primitive
    identity: "Identity"
    scope: str | None
    evidence: tuple[tuple["Grant", ...], ...]
    targets: tuple[str, ...] = ()  # for pod-create-as-powerful-sa: the ServiceAccounts reached

    @property
    def key_grants(self) -> tuple["Grant", ...]:
        return self.evidence[0] if self.evidence else ()

    @property
    def where(self) -> str:
        return "cluster-wide" if self.scope is None else f"in namespace {self.scope}"

    def chain(self) -> list[str]:
        out = []
        needs = self.primitive.needs
        for i, grants in enumerate(self.evidence):
            label = needs[i].label if i < len(needs) else "create pods"
            out.append(f"{label}: " + "; ".join(g.chain() for g in grants[:3])
                       + (f" (+{len(grants) - 3} more)" if len(grants) > 3 else ""))
        return out

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "primitive": self.primitive.id, "subject": self.identity.to_dict(), "scope": self.scope,
            "outcome": self.primitive.outcome,
            "chain": [{"need": (self.primitive.needs[i].label if i < len(self.primitive.needs) else "create pods"),
                       "grants": [g.to_via() for g in grants]} for i, grants in enumerate(self.evidence)],
        }
        if self.targets:
            d["targets"] = list(self.targets)
        return d


class Escalations:
    """Primitive evaluation with per-identity caching.

    Roles are shared by many bindings, so whether a *rule* allows a need's request is
    computed once per (rule, request) and only the binding's scope is checked per grant.
    """

    def __init__(self, graph: "RbacGraph"):
        self.graph = graph
        # aws-auth maps IAM principals only on EKS; elsewhere the ConfigMap (if any) means nothing
        self.primitives = tuple(p for p in PRIMITIVES if p.id != "aws-auth-write" or graph.aws_auth)
        self._base: dict["Identity", tuple[Escalation, ...]] = {}
        self._derived: dict["Identity", tuple[Escalation, ...]] = {}
        self._rule_hits: dict[tuple[int, int], tuple[Request, ...]] = {}
        self._cs: dict[int, bool] = {}
        self._need_cache: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self._powerful: dict[tuple[str, str], tuple[str, ...]] | None = None

    def _matching(self, rule, need: Need) -> tuple[Request, ...]:
        """The need's requests this rule allows; requests named after the scope are checked later."""
        key = (id(rule), id(need))
        hit = self._rule_hits.get(key)
        if hit is None:
            verbs, groups = self._need_keys(need)
            if ("*" not in rule.verbs and rule.verbs.isdisjoint(verbs)) or (
                    "*" not in rule.api_groups and rule.api_groups.isdisjoint(groups)):
                hit = ()  # quick reject: no verb or no API group in common
            else:
                hit = tuple(t for t in need.requests if t.name == NS or rule.allows(t))
            self._rule_hits[key] = hit
        return hit

    def _need_keys(self, need: Need) -> tuple[frozenset[str], frozenset[str]]:
        keys = self._need_cache.get(id(need))
        if keys is None:
            keys = self._need_cache[id(need)] = (frozenset(r.verb for r in need.requests),
                                                 frozenset(r.group for r in need.requests))
        return keys

    def _cluster_scoped(self, req: Request) -> bool:
        cs = self._cs.get(id(req))
        if cs is None:
            cs = self._cs[id(req)] = req.is_resource and self.graph.cluster_scoped(req.group, req.resource)
        return cs

    def holds(self, prim: Primitive, grants: tuple["Grant", ...], scope: str | None
              ) -> tuple[tuple["Grant", ...], ...] | None:
        """Evidence that ``grants`` satisfy every need of ``prim`` at ``scope``, or None."""
        evidence = []
        for need in prim.needs:
            hits: list[Grant] = []
            for g in grants:
                # a rule's verdict does not depend on the namespace, only on a name set per scope
                for tmpl in self._matching(g.rule, need):
                    req = _instantiate(tmpl, scope, prim.cluster)
                    if tmpl.name == NS and not g.rule.allows(req):
                        continue
                    cs = (not need.namespaced_check or scope is None) and self._cluster_scoped(tmpl)
                    if g.in_scope(req, cs):
                        hits.append(g)
                        break
            if not hits:
                return None
            evidence.append(tuple(hits))
        return tuple(evidence)

    def of(self, identity: "Identity", primitives: Iterable[Primitive] | None = None) -> tuple[Escalation, ...]:
        """The primitives ``identity`` holds (cluster-wide first, then per namespace), optionally filtered."""
        base = self._base_of(identity)
        if primitives is None:
            derived = self._derived.get(identity)
            if derived is None:
                derived = self._derived[identity] = tuple(self._powerful_sa(identity))
            return base + derived
        wanted = {p.id for p in primitives}
        out = tuple(e for e in base if e.primitive.id in wanted)
        if POWERFUL_SA.id in wanted:
            out += tuple(e for e in self.of(identity) if e.primitive is POWERFUL_SA)
        return out

    def _base_of(self, identity: "Identity") -> tuple[Escalation, ...]:
        cached = self._base.get(identity)
        if cached is not None:
            return cached
        grants = self.graph.grants_for(identity)
        out: list[Escalation] = []
        cluster_grants = tuple(g for g in grants if g.scope is None)
        scopes = sorted({g.scope for g in grants if g.scope is not None})
        by_scope = {ns: tuple(g for g in grants if g.scope is None or g.scope == ns) for ns in scopes}
        for prim in self.primitives:
            ev = self.holds(prim, cluster_grants, None) if cluster_grants else None
            if ev is not None:
                out.append(Escalation(prim, identity, None, ev))
                continue
            if prim.cluster:
                continue
            for ns in scopes:
                ev = self.holds(prim, by_scope[ns], ns)
                if ev is not None:
                    out.append(Escalation(prim, identity, ns, ev))
        result = self._base[identity] = tuple(out)
        return result

    def full_authority_scopes(self, identity: "Identity") -> set[str | None]:
        return {e.scope for e in self._base_of(identity) if e.primitive.id == "cluster-admin"}

    # --- derived: pod create where a powerful ServiceAccount lives ------------------
    def powerful_service_accounts(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """ServiceAccounts holding a critical primitive cluster-wide -> the primitive ids."""
        if self._powerful is None:
            out: dict[tuple[str, str], tuple[str, ...]] = {}
            for ident in self.graph.identities():
                if ident.kind != "ServiceAccount":
                    continue
                held = tuple(e.primitive.id for e in self._base_of(ident) if e.primitive.critical and e.scope is None)
                if held:
                    out[(ident.namespace or "", ident.name)] = held
            self._powerful = out
        return self._powerful

    def _powerful_sa(self, identity: "Identity") -> list[Escalation]:
        powerful = self.powerful_service_accounts()
        if not powerful:
            return []
        me = (identity.namespace or "", identity.name) if identity.kind == "ServiceAccount" else None
        creates = [e for e in self._base_of(identity) if e.primitive.id == "pod-create"]
        out = []
        for e in creates:
            targets = tuple(f"{ns}/{n} ({', '.join(p)})" for (ns, n), p in sorted(powerful.items())
                            if (e.scope is None or ns == e.scope) and (ns, n) != me)
            if targets:
                out.append(Escalation(POWERFUL_SA, identity, e.scope, e.evidence, targets))
        return out


def _instantiate(tmpl: Request, scope: str | None, cluster: bool) -> Request:
    ns = tmpl.namespace
    name = tmpl.name
    if ns == NS:
        ns = "" if cluster else scope  # None (any namespace) when evaluating cluster-wide grants
    if name == NS:
        name = scope if scope is not None else ANY_NAME
    if ns is not tmpl.namespace or name is not tmpl.name:
        return Request(tmpl.verb, tmpl.resource, tmpl.subresource, tmpl.group, name, ns, tmpl.path)
    return tmpl

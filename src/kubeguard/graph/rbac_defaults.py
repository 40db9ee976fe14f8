"""Upstream default ClusterRoles and ClusterRoleBindings (bootstrap policy), as data.

Used only when a cluster's objects come from manifests (``ClusterFacts.source`` is
``manifests``): a live cluster or snapshot lists its real roles, and those are the
truth.  Two uses, both documented in ``kubeguard rbac --help``:

* **Role references** (always, for manifests): a binding whose ``roleRef`` names one of
  :data:`DEFAULT_CLUSTER_ROLES` that is not in the manifests resolves to the upstream
  definition, because every conformant cluster has it (``edit`` grants Secrets read,
  ``admin`` grants RoleBinding writes ...).  Evidence marks it "assumed upstream default".
* **Default bindings** (only with ``assume_defaults=True``): the bindings of
  :data:`DEFAULT_BINDINGS` are added when absent — ``cluster-admin`` to ``system:masters``,
  discovery / basic-user / public-info-viewer to ``system:authenticated`` (and the last
  to ``system:unauthenticated``), service-account-issuer-discovery to
  ``system:serviceaccounts`` and ``system:monitoring``.

Covered: the user-facing roles (cluster-admin, admin, edit, view with their aggregated
``system:aggregate-to-*`` parts, as of Kubernetes 1.31) and the roles of the default
bindings above.  Not covered: controller, node and component roles (``system:controller:*``,
``system:node``, ``system:kube-scheduler`` ...), which only matter for live clusters where
they are listed anyway.
"""

from __future__ import annotations

from typing import Any

_W = ["create", "delete", "deletecollection", "patch", "update"]
_R = ["get", "list", "watch"]
_BOOT = {"kubernetes.io/bootstrapping": "rbac-defaults"}


def _cr(name: str, rules: list[dict[str, Any]], labels: dict[str, str] | None = None,
        aggregate: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "labels": {**_BOOT, **(labels or {})},
                            "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}}
    out: dict[str, Any] = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": meta,
                           "rules": rules}
    if aggregate:
        out["aggregationRule"] = {"clusterRoleSelectors": [
            {"matchLabels": {f"rbac.authorization.k8s.io/aggregate-to-{aggregate}": "true"}}]}
        out["rules"] = []
    return out


def _rule(groups: list[str], resources: list[str], verbs: list[str]) -> dict[str, Any]:
    return {"apiGroups": groups, "resources": resources, "verbs": verbs}


def _urls(urls: list[str], verbs: list[str]) -> dict[str, Any]:
    return {"nonResourceURLs": urls, "verbs": verbs}


_AGG = "rbac.authorization.k8s.io/aggregate-to-"

DEFAULT_CLUSTER_ROLES: dict[str, dict[str, Any]] = {r["metadata"]["name"]: r for r in (
    _cr("cluster-admin", [_rule(["*"], ["*"], ["*"]), _urls(["*"], ["*"])]),
    _cr("admin", [], aggregate="admin"),
    _cr("edit", [], labels={_AGG + "admin": "true"}, aggregate="edit"),
    _cr("view", [], labels={_AGG + "edit": "true"}, aggregate="view"),
    _cr("system:aggregate-to-admin", [
        _rule(["rbac.authorization.k8s.io"], ["rolebindings", "roles"], _W + _R),
        _rule(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
    ], labels={_AGG + "admin": "true"}),
    _cr("system:aggregate-to-edit", [
        _rule([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], _R),
        _rule([""], ["serviceaccounts"], ["impersonate"]),
        _rule([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], _W),
        _rule([""], ["pods/eviction"], ["create"]),
        _rule([""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
                     "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"], _W),
        _rule([""], ["serviceaccounts/token"], ["create"]),
        _rule(["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                         "replicasets/scale", "statefulsets", "statefulsets/scale"], _W),
        _rule(["autoscaling"], ["horizontalpodautoscalers"], _W),
        _rule(["batch"], ["cronjobs", "jobs"], _W),
        _rule(["extensions"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
                               "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"],
              _W),
        _rule(["policy"], ["poddisruptionbudgets"], _W),
        _rule(["networking.k8s.io"], ["ingresses", "networkpolicies"], _W),
        _rule(["coordination.k8s.io"], ["leases"], _W + _R),
    ], labels={_AGG + "admin": "true", _AGG + "edit": "true"}),
    _cr("system:aggregate-to-view", [
        _rule([""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                     "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services",
                     "services/status"], _R),
        _rule([""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                     "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"], _R),
        _rule([""], ["namespaces"], _R),
        _rule(["discovery.k8s.io"], ["endpointslices"], _R),
        _rule(["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                         "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets",
                         "statefulsets/scale", "statefulsets/status"], _R),
        _rule(["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], _R),
        _rule(["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], _R),
        _rule(["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                               "deployments/status", "ingresses", "ingresses/status", "networkpolicies", "replicasets",
                               "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"], _R),
        _rule(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], _R),
        _rule(["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"], _R),
    ], labels={_AGG + "admin": "true", _AGG + "edit": "true", _AGG + "view": "true"}),
    _cr("system:discovery", [_urls(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                                    "/openapi/*", "/readyz", "/version", "/version/"], ["get"])]),
    _cr("system:basic-user", [
        _rule(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]),
        _rule(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"]),
    ]),
    _cr("system:public-info-viewer", [_urls(["/healthz", "/livez", "/readyz", "/version", "/version/"], ["get"])]),
    _cr("system:service-account-issuer-discovery", [_urls(
        ["/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks",
         "/openid/v1/jwks/"], ["get"])]),
    _cr("system:monitoring", [_urls(["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis",
                                     "/readyz", "/readyz/*"], ["get"])]),
)}


def _crb(name: str, role: str, groups: list[str]) -> dict[str, Any]:
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": name, "labels": dict(_BOOT),
                     "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": g} for g in groups],
    }


DEFAULT_BINDINGS: dict[str, dict[str, Any]] = {b["metadata"]["name"]: b for b in (
    _crb("cluster-admin", "cluster-admin", ["system:masters"]),
    _crb("system:discovery", "system:discovery", ["system:authenticated"]),
    _crb("system:basic-user", "system:basic-user", ["system:authenticated"]),
    _crb("system:public-info-viewer", "system:public-info-viewer", ["system:authenticated", "system:unauthenticated"]),
    _crb("system:service-account-issuer-discovery", "system:service-account-issuer-discovery",
         ["system:serviceaccounts"]),
    _crb("system:monitoring", "system:monitoring", ["system:monitoring"]),
)}

# Names of the default bindings that grant the implicit groups only discovery-type access
# (recognised so hygiene rules do not flag upstream's own bindings).
DEFAULT_IMPLICIT_GROUP_ROLES = frozenset(
    {"system:discovery", "system:basic-user", "system:public-info-viewer", "system:service-account-issuer-discovery"}
)

"""Escalation primitives at the graph level: every primitive held and not held, scope, evidence."""

from __future__ import annotations

import pytest

from kubeguard.graph.rbac import Identity
from kubeguard.graph.rbac_escalation import ALL_PRIMITIVES, PRIMITIVES

RBAC = "apiVersion: rbac.authorization.k8s.io/v1"


def cluster_role(rules: str, binding: str = "ClusterRoleBinding", ns: str = "app") -> str:
    meta = f"{{name: b, namespace: {ns}}}" if binding == "RoleBinding" else "{name: b}"
    return f"""
{RBAC}
kind: ClusterRole
metadata: {{name: r}}
rules: {rules}
---
{RBAC}
kind: {binding}
metadata: {meta}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}}
subjects: [{{kind: User, name: actor}}]
"""


def held(graph, who="user:actor"):
    return {(e.primitive.id, e.scope) for e in graph.escalations().of(Identity.parse(who))}


C, V = "rbac.authorization.k8s.io", "certificates.k8s.io"
CASES = {
    # primitive: (rules that give it, closest rules that do not)
    "cluster-admin": ('[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]',
                      '[{apiGroups: ["*"], resources: ["*"], verbs: ["get", "list", "watch"]}]'),
    "secrets-read": ('[{apiGroups: [""], resources: [secrets], verbs: [watch]}]',
                     '[{apiGroups: [""], resources: [secret, configmaps], verbs: [get]}]'),
    "secrets-create-read": ('[{apiGroups: [""], resources: [secrets], verbs: [create, list]}]',
                            '[{apiGroups: [""], resources: [secrets], verbs: [create]}]'),
    "pod-create": ('[{apiGroups: [batch], resources: [jobs], verbs: [create]}]',
                   '[{apiGroups: [""], resources: [jobs], verbs: [create]}]'),
    "pod-exec": ('[{apiGroups: [""], resources: [pods/attach], verbs: [get]}]',
                 '[{apiGroups: [""], resources: ["pods/*"], verbs: [get, create]}]'),
    "pod-port-forward-proxy": ('[{apiGroups: [""], resources: [pods/proxy], verbs: [create]}]',
                               '[{apiGroups: [""], resources: [pods], verbs: [get]}]'),
    "serviceaccount-token": ('[{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}]',
                             '[{apiGroups: [""], resources: [serviceaccounts/token], verbs: [get]}]'),
    "impersonate": ('[{apiGroups: [authentication.k8s.io], resources: [uids], verbs: [impersonate]}]',
                    '[{apiGroups: [authentication.k8s.io], resources: [tokenreviews], verbs: [create]}]'),
    "rbac-bind": (f'[{{apiGroups: [{C}], resources: [clusterroles], verbs: [bind]}}, '
                  f'{{apiGroups: [{C}], resources: [rolebindings], verbs: [patch]}}]',
                  f'[{{apiGroups: [{C}], resources: [rolebindings], verbs: [bind, patch]}}]'),
    "rbac-bind-roles": (f'[{{apiGroups: [{C}], resources: [roles], verbs: [bind]}}, '
                        f'{{apiGroups: [{C}], resources: [rolebindings], verbs: [patch]}}]',
                        f'[{{apiGroups: [{C}], resources: [roles], verbs: [bind]}}, '  # KubeHound's *-fail case
                        f'{{apiGroups: [{C}], resources: [clusterrolebindings], verbs: [create]}}]'),
    "rbac-escalate": (f'[{{apiGroups: [{C}], resources: [clusterroles], verbs: [escalate, update]}}]',
                      f'[{{apiGroups: [{C}], resources: [clusterroles], verbs: [escalate]}}, '
                      f'{{apiGroups: [{C}], resources: [roles], verbs: [update]}}]'),
    "rbac-escalate-roles": (f'[{{apiGroups: [{C}], resources: [roles], verbs: [escalate, create]}}]',
                            f'[{{apiGroups: [{C}], resources: [roles], verbs: [escalate]}}, '
                            f'{{apiGroups: [{C}], resources: [clusterroles], verbs: [update]}}]'),
    "rbac-write": (f'[{{apiGroups: [{C}], resources: [clusterrolebindings], verbs: [create]}}]',
                   f'[{{apiGroups: [{C}], resources: [clusterrolebindings], verbs: [get, delete]}}]'),
    "nodes-proxy": ('[{apiGroups: [""], resources: [nodes/proxy], resourceNames: [node-1], verbs: [get]}]',
                    '[{apiGroups: [""], resources: [nodes/stats], verbs: [get]}]'),
    "csr-approve": (f'[{{apiGroups: [{V}], resources: [certificatesigningrequests], verbs: [create, list]}}, '
                    f'{{apiGroups: [{V}], resources: [certificatesigningrequests/approval], verbs: [patch]}}, '
                    f'{{apiGroups: [{V}], resources: [signers], verbs: [approve]}}]',
                    f'[{{apiGroups: [{V}], resources: [certificatesigningrequests], verbs: [create, list]}}, '
                    f'{{apiGroups: [{V}], resources: [certificatesigningrequests/approval], verbs: [patch]}}]'),
    "webhook-write": ('[{apiGroups: [admissionregistration.k8s.io], resources: [mutatingadmissionpolicies], '
                      'verbs: [create]}]',
                      '[{apiGroups: [admissionregistration.k8s.io], resources: [validatingadmissionpolicies], '
                      'verbs: [create]}]'),
    "apiservice-write": ('[{apiGroups: [apiregistration.k8s.io], resources: [apiservices], verbs: [patch]}]',
                         '[{apiGroups: [apiregistration.k8s.io], resources: [apiservices], verbs: [delete]}]'),
    "crd-write": ('[{apiGroups: [apiextensions.k8s.io], resources: [customresourcedefinitions], verbs: [update]}]',
                  '[{apiGroups: [apiextensions.k8s.io], resources: [customresourcedefinitions], verbs: [get]}]'),
    "pv-create": ('[{apiGroups: [""], resources: [persistentvolumes], verbs: [create]}]',
                  '[{apiGroups: [""], resources: [persistentvolumes], verbs: [delete]}]'),
    "namespace-write": ('[{apiGroups: [""], resources: [namespaces], verbs: [update]}]',
                        '[{apiGroups: [""], resources: [namespaces/status], verbs: [update]}]'),
    "aws-auth-write": ('[{apiGroups: [""], resources: [configmaps], resourceNames: [aws-auth], verbs: [patch]}]',
                       '[{apiGroups: [""], resources: [configmaps], resourceNames: [coredns], verbs: [patch]}]'),
    "deputy-write": ('[{apiGroups: [tekton.dev], resources: [pipelineruns], verbs: [create]}]',
                     '[{apiGroups: [tekton.dev], resources: [pipelines], verbs: [create]}]'),
    "service-hijack": ('[{apiGroups: [""], resources: [endpoints], verbs: [update]}]',
                       '[{apiGroups: [""], resources: [services], verbs: [update]}]'),
}


def test_every_primitive_has_a_case():
    assert set(CASES) == {p.id for p in PRIMITIVES}


AWS_AUTH = """
---
apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data: {mapRoles: ""}
"""


@pytest.mark.parametrize("pid", sorted(CASES))
def test_primitive_held_and_not_held(graph_of, pid):
    good, bad = CASES[pid]
    eks = AWS_AUTH if pid == "aws-auth-write" else ""  # the primitive exists only on EKS-shaped clusters
    assert (pid, None) in held(graph_of(cluster_role(good) + eks)), f"{pid} must hold with {good}"
    assert pid not in {p for p, _ in held(graph_of(cluster_role(bad) + eks))}, f"{pid} must not hold with {bad}"


def test_aws_auth_write_only_on_eks_shaped_clusters(graph_of):
    rules = '[{apiGroups: [""], resources: [configmaps], verbs: [update]}]'
    assert "aws-auth-write" not in {p for p, _ in held(graph_of(cluster_role(rules)))}
    assert ("aws-auth-write", None) in held(graph_of(cluster_role(rules) + AWS_AUTH))


def test_cluster_wide_is_not_repeated_per_namespace(graph_of):
    text = cluster_role('[{apiGroups: [""], resources: [secrets], verbs: [list]}]') + f"""
---
{RBAC}
kind: RoleBinding
metadata: {{name: again, namespace: app}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}}
subjects: [{{kind: User, name: actor}}]
"""
    assert {s for p, s in held(graph_of(text)) if p == "secrets-read"} == {None}


def test_namespace_scope_and_cluster_scoped_primitives_via_rolebinding(graph_of):
    g = graph_of(cluster_role('[{apiGroups: [""], resources: [secrets, nodes/proxy, persistentvolumes], '
                              'verbs: [get, create]}]', binding="RoleBinding", ns="team"))
    assert held(g) == {("secrets-read", "team"), ("secrets-create-read", "team")}


def test_bind_check_carries_the_binding_namespace(graph_of):
    g = graph_of(cluster_role(f'[{{apiGroups: [{C}], resources: [clusterroles], resourceNames: [admin], '
                              f'verbs: [bind]}}, {{apiGroups: [{C}], resources: [rolebindings], verbs: [create]}}]',
                              binding="RoleBinding", ns="team"))
    assert ("rbac-bind", "team") in held(g)


def test_combination_across_bindings_holds_at_the_shared_scope(graph_of):
    g = graph_of(f"""
{RBAC}
kind: Role
metadata: {{name: create, namespace: app}}
rules: [{{apiGroups: [""], resources: [secrets], verbs: [create]}}]
---
{RBAC}
kind: RoleBinding
metadata: {{name: create, namespace: app}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: create}}
subjects: [{{kind: ServiceAccount, name: ci, namespace: app}}]
---
{RBAC}
kind: ClusterRole
metadata: {{name: read}}
rules: [{{apiGroups: [""], resources: [secrets], verbs: [get]}}]
---
{RBAC}
kind: ClusterRoleBinding
metadata: {{name: all-sas-read}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: read}}
subjects: [{{kind: Group, name: "system:serviceaccounts"}}]
""")
    esc = [e for e in g.escalations().of(Identity.parse("sa:app:ci")) if e.primitive.id == "secrets-create-read"]
    assert [(e.scope, e.key_grants[0].binding.name, e.evidence[1][0].binding.name) for e in esc] == [
        ("app", "create", "all-sas-read")]


def test_powerful_service_account_reached_by_pod_create(graph_of):
    g = graph_of(f"""
apiVersion: v1
kind: ServiceAccount
metadata: {{name: deployer, namespace: ops}}
---
{RBAC}
kind: ClusterRoleBinding
metadata: {{name: deployer}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}}
subjects: [{{kind: ServiceAccount, name: deployer, namespace: ops}}]
---
{RBAC}
kind: Role
metadata: {{name: run, namespace: ops}}
rules: [{{apiGroups: [apps], resources: [deployments], verbs: [create]}}]
---
{RBAC}
kind: RoleBinding
metadata: {{name: run, namespace: ops}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: run}}
subjects: [{{kind: User, name: dev}}, {{kind: ServiceAccount, name: deployer, namespace: ops}}]
""")
    esc = g.escalations()
    assert set(esc.powerful_service_accounts()) == {("ops", "deployer")}
    assert set(esc.powerful_service_accounts()[("ops", "deployer")]) == {p.id for p in esc.primitives if p.critical}
    dev = [e for e in esc.of(Identity.parse("user:dev")) if e.primitive.id == "pod-create-as-powerful-sa"]
    assert [(e.scope, e.targets[0].split(" ")[0]) for e in dev] == [("ops", "ops/deployer")]
    me = [e for e in esc.of(Identity.parse("sa:ops:deployer")) if e.primitive.id == "pod-create-as-powerful-sa"]
    assert me == []  # reaching itself is no escalation


def test_evidence_is_json_and_names_the_chain(graph_of):
    g = graph_of(cluster_role('[{apiGroups: [""], resources: [secrets], verbs: [get]}]'))
    e = next(e for e in g.escalations().of(Identity.parse("user:actor")) if e.primitive.id == "secrets-read")
    d = e.to_dict()
    assert d["subject"] == {"kind": "User", "name": "actor", "namespace": None}
    assert d["chain"][0]["grants"][0]["binding"] == "b" and d["chain"][0]["grants"][0]["role"] == "r"
    assert "ClusterRoleBinding/b -> ClusterRole/r rules[0]" in e.chain()[0]
    assert {p.id for p in ALL_PRIMITIVES} >= {"pod-create-as-powerful-sa"}

"""Effective permissions: binding scope, aggregation, subjects, implicit groups, defaults (rbac.md §4-§6, §9)."""

from __future__ import annotations

from kubeguard.graph.rbac import Identity
from kubeguard.graph.rbac_match import ANY_NAME, Request

RBAC = "apiVersion: rbac.authorization.k8s.io/v1"
SA = Identity.parse


def who(graph, req):
    return {(a.kind, a.namespace, a.name) for a in graph.who_can(req)} - {("Group", None, "system:masters")}


def test_rolebinding_to_clusterrole_is_scoped_to_its_namespace(graph_of):
    g = graph_of(f"""
        {RBAC}
        kind: ClusterRole
        metadata: {{name: reader}}
        rules:
        - {{apiGroups: [""], resources: [secrets, nodes], verbs: [get]}}
        - {{nonResourceURLs: [/metrics], verbs: [get]}}
        ---
        {RBAC}
        kind: RoleBinding
        metadata: {{name: rb, namespace: app}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}}
        subjects: [{{kind: User, name: alice}}]
        """)
    alice = SA("user:alice")
    assert g.allowed(alice, Request("get", "secrets", name="s", namespace="app"))
    assert not g.allowed(alice, Request("get", "secrets", name="s", namespace="other"))
    assert not g.allowed(alice, Request("get", "nodes", name="n1", namespace=""))  # cluster-scoped: nothing
    assert not g.allowed(alice, Request("get", path="/metrics"))  # non-resource: nothing
    assert who(g, Request("get", "secrets", name=ANY_NAME, namespace=None)) == {("User", None, "alice")}
    assert who(g, Request("get", "secrets", name=ANY_NAME, namespace="other")) == set()


def test_rolebinding_grants_the_namespace_object_itself(graph_of):
    g = graph_of(f"""
        {RBAC}
        kind: RoleBinding
        metadata: {{name: admin, namespace: team-a}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}}
        subjects: [{{kind: User, name: lead}}]
        """)
    lead = SA("user:lead")
    assert g.allowed(lead, Request("patch", "namespaces", name="team-a", namespace="team-a"))
    assert not g.allowed(lead, Request("patch", "namespaces", name="team-b", namespace="team-b"))
    assert not g.allowed(lead, Request("list", "namespaces", namespace=""))


def test_clusterrolebinding_to_role_and_missing_roles_grant_nothing(graph_of):
    g = graph_of(f"""
        {RBAC}
        kind: Role
        metadata: {{name: r, namespace: app}}
        rules: [{{apiGroups: [""], resources: [pods], verbs: [get]}}]
        ---
        {RBAC}
        kind: ClusterRoleBinding
        metadata: {{name: crb-role}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}}
        subjects: [{{kind: User, name: a}}]
        ---
        {RBAC}
        kind: RoleBinding
        metadata: {{name: other-ns, namespace: web}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}}
        subjects: [{{kind: User, name: b}}]
        ---
        {RBAC}
        kind: RoleBinding
        metadata: {{name: dangling, namespace: app}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: not-there}}
        subjects: [{{kind: User, name: c}}]
        """)
    assert who(g, Request("get", "pods", name=ANY_NAME, namespace=None)) == set()
    problems = {b.name: b.problem for b in g.bindings if b.problem}
    assert set(problems) == {"crb-role", "other-ns", "dangling"}
    assert "cannot reference a Role" in problems["crb-role"]


def test_subjects_user_named_sa_sa_without_namespace_and_implicit_groups(graph_of):
    g = graph_of(f"""
        {RBAC}
        kind: Role
        metadata: {{name: r, namespace: app}}
        rules: [{{apiGroups: [""], resources: [configmaps], verbs: [get]}}]
        ---
        {RBAC}
        kind: RoleBinding
        metadata: {{name: rb, namespace: app}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}}
        subjects:
        - {{kind: User, name: "system:serviceaccount:app:one"}}
        - {{kind: ServiceAccount, name: two}}
        - {{kind: Group, name: "system:serviceaccounts:tools"}}
        """)
    req = Request("get", "configmaps", name="c", namespace="app")
    assert g.allowed(SA("sa:app:one"), req)
    assert g.allowed(SA("sa:app:two"), req)  # namespace taken from the binding
    assert g.allowed(SA("sa:tools:anyone"), req)  # through system:serviceaccounts:tools
    assert not g.allowed(SA("sa:web:anyone"), req)
    assert not g.allowed(SA("user:one"), req)
    assert ("ServiceAccount", "app", "one") in who(g, Request("get", "configmaps", name=ANY_NAME, namespace=None))


def test_implicit_groups_reach_their_members(graph_of):
    g = graph_of(f"""
        {RBAC}
        kind: ClusterRole
        metadata: {{name: r}}
        rules: [{{apiGroups: [""], resources: [pods], verbs: [list]}}]
        ---
        {RBAC}
        kind: ClusterRoleBinding
        metadata: {{name: authn}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}}
        subjects: [{{kind: Group, name: "system:authenticated"}}]
        """)
    req = Request("list", "pods", namespace="x")
    assert g.allowed(SA("user:alice"), req)
    assert g.allowed(SA("sa:x:y"), req)
    assert g.allowed(SA("group:devs"), req)  # any member of devs is authenticated
    assert not g.allowed(SA("user:system:anonymous"), req)
    assert not g.allowed(SA("group:system:unauthenticated"), req)


def test_system_masters_is_allowed_everything(graph_of):
    g = graph_of(f"""
        {RBAC}
        kind: ClusterRole
        metadata: {{name: r}}
        rules: []
        """)
    assert g.allowed(SA("group:system:masters"), Request("get", path="/anything"))
    assert ("Group", None, "system:masters") in {(a.kind, a.namespace, a.name)
                                                 for a in g.who_can(Request("escalate", "roles", group="x"))}


AGG = f"""
{RBAC}
kind: ClusterRole
metadata: {{name: monitoring}}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {{team: mon}}
  - matchExpressions: [{{key: extra, operator: Exists}}]
rules: [{{apiGroups: [""], resources: [typed-rule-is-overwritten], verbs: [get]}}]
---
{RBAC}
kind: ClusterRole
metadata: {{name: mon-pods, labels: {{team: mon}}}}
rules: [{{apiGroups: [""], resources: [pods], verbs: [get]}}]
---
{RBAC}
kind: ClusterRole
metadata: {{name: mon-nodes, labels: {{extra: "yes"}}}}
rules: [{{apiGroups: [""], resources: [nodes], verbs: [list]}}]
---
{RBAC}
kind: ClusterRole
metadata: {{name: unrelated, labels: {{team: other}}}}
rules: [{{apiGroups: [""], resources: [secrets], verbs: [get]}}]
---
{RBAC}
kind: ClusterRoleBinding
metadata: {{name: mon}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring}}
subjects: [{{kind: User, name: prom}}]
"""


def test_aggregation_is_computed_for_manifests(graph_of):
    g = graph_of(AGG)
    prom = SA("user:prom")
    assert g.allowed(prom, Request("get", "pods", name="p", namespace="x"))
    assert g.allowed(prom, Request("list", "nodes", namespace=""))  # any selector matches
    assert not g.allowed(prom, Request("get", "secrets", name="s", namespace="x"))
    assert not g.allowed(prom, Request("get", "typed-rule-is-overwritten", name="t", namespace="x"))
    role = g.roles[("ClusterRole", None, "monitoring")]
    assert role.aggregated_from == ("mon-nodes", "mon-pods")
    grant = g.allowed(prom, Request("get", "pods", name="p", namespace="x"))[0]
    assert grant.rule.origin == ("ClusterRole", None, "mon-pods")


def test_live_clusters_use_stored_rules_and_report_drift(graph_of):
    g = graph_of(AGG, source="snapshot")
    prom = SA("user:prom")
    assert g.allowed(prom, Request("get", "typed-rule-is-overwritten", name="t", namespace="x"))
    assert not g.allowed(prom, Request("get", "pods", name="p", namespace="x"))
    assert any("ClusterRole/monitoring" in p for p in g.problems)


def test_default_roles_resolve_for_manifests_with_nested_aggregation(graph_of):
    g = graph_of(f"""
        {RBAC}
        kind: RoleBinding
        metadata: {{name: a, namespace: app}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}}
        subjects: [{{kind: User, name: owner}}]
        ---
        {RBAC}
        kind: ClusterRole
        metadata: {{name: widgets-edit, labels: {{rbac.authorization.k8s.io/aggregate-to-edit: "true"}}}}
        rules: [{{apiGroups: [example.com], resources: [widgets], verbs: [create]}}]
        """)
    owner = SA("user:owner")
    # admin aggregates edit's parts (secrets, exec), view's parts (pods/log) and CRD operators' roles
    for req in (Request("get", "secrets", name="s", namespace="app"),
                Request("create", "pods", "exec", name="p", namespace="app"),
                Request("get", "pods", "log", name="p", namespace="app"),
                Request("create", "rolebindings", group="rbac.authorization.k8s.io", namespace="app"),
                Request("create", "widgets", group="example.com", namespace="app")):
        assert g.allowed(owner, req), req.describe()
    assert not g.allowed(owner, Request("update", "resourcequotas", name="q", namespace="app"))


def test_default_roles_are_not_assumed_for_live_clusters(graph_of):
    g = graph_of(f"""
        {RBAC}
        kind: RoleBinding
        metadata: {{name: e, namespace: app}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}}
        subjects: [{{kind: User, name: dev}}]
        """, source="snapshot")
    assert not g.allowed(SA("user:dev"), Request("get", "secrets", name="s", namespace="app"))
    assert g.bindings[0].problem


def test_assume_defaults_adds_upstream_bindings(graph_of):
    text = f"""
        {RBAC}
        kind: Role
        metadata: {{name: r, namespace: app}}
        rules: []
        """
    anon = SA("user:system:anonymous")
    assert not graph_of(text).allowed(anon, Request("get", path="/healthz"))
    g = graph_of(text, assume_defaults=True)
    assert g.allowed(anon, Request("get", path="/healthz"))
    assert not g.allowed(anon, Request("get", path="/api"))
    assert g.allowed(SA("user:alice"), Request("get", path="/apis/apps"))
    assert all(b.is_platform for b in g.bindings)


def test_cloud_principals_from_aws_auth_and_access_policies(graph_of):
    g = graph_of(f"""
        apiVersion: v1
        kind: ConfigMap
        metadata: {{name: aws-auth, namespace: kube-system}}
        data:
          mapRoles: |
            - rolearn: arn:aws:iam::111122223333:role/dev
              username: "dev:{{{{SessionName}}}}"
              groups: [devs]
        ---
        {RBAC}
        kind: RoleBinding
        metadata: {{name: named-session, namespace: app}}
        roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}}
        subjects: [{{kind: User, name: "dev:alice"}}]
        """, provider="eks", facts={"identity": {"principals": [
        {"id": "arn:aws:iam::111122223333:role/viewer", "type": "aws-iam-role", "groups": [], "origin": "export",
         "source": "eks access entry",
         "accessPolicies": [{"policy": "AmazonEKSAdminViewPolicy", "scope": "namespace", "namespaces": ["app"]}]}]}})
    by_name = {i.name.rsplit("/", 1)[-1]: i for i in g.cloud_identities()}
    dev, viewer = by_name["dev"], by_name["viewer"]
    # the templated username can be any session name, so it reaches a User subject of that form
    assert g.allowed(dev, Request("get", "pods", name="p", namespace="app"))
    assert g.allowed(viewer, Request("get", "secrets", name="s", namespace="app"))  # AdminView reads Secrets
    assert not g.allowed(viewer, Request("get", "secrets", name="s", namespace="other"))
    names = {a.name for a in g.who_can(Request("get", "secrets", name=ANY_NAME, namespace="app"))}
    assert "arn:aws:iam::111122223333:role/viewer" in names


def test_workload_identity_links_from_annotations(graph_of):
    g = graph_of("""
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: web
          namespace: shop
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/web
            iam.gke.io/gcp-service-account: web@p.iam.gserviceaccount.com
            azure.workload.identity/client-id: 00000000-0000-0000-0000-000000000001
        """)
    assert [(w.mechanism, w.cloud_identity) for w in g.workload_identities] == [
        ("azure-workload-identity", "00000000-0000-0000-0000-000000000001"),
        ("gke-workload-identity", "web@p.iam.gserviceaccount.com"),
        ("irsa", "arn:aws:iam::111122223333:role/web")]

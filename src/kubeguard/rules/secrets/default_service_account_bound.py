"""Role binding grants permissions to default service accounts.

## What it checks
RoleBindings and ClusterRoleBindings with a subject that is a namespace's `default`
ServiceAccount (the subject's `namespace`, or for a RoleBinding its own namespace when the
subject omits it), or a group that contains default accounts: `system:serviceaccounts` (every
service account of the cluster) or `system:serviceaccounts:<namespace>`.  Bindings of the
platform itself (names with the reserved `system:`, `eks:`, `gce:` or `gke:` prefixes, such as
upstream's `system:service-account-issuer-discovery`, which lets every service account read the
OIDC discovery document) are not reported.

## Why it matters
Every pod that does not name its own account runs as `default`; rights bound to it are
silently given to all of them, including pods created later by people who never saw the
binding.

## Failing example
```yaml
kind: RoleBinding
metadata: {name: read-config, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
subjects: [{kind: ServiceAccount, name: default}]
```

## Passing example
```yaml
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
```

## Differences from Checkov
Checkov's CKV_K8S_42 looks only for a subject named `default`. A binding to the group
`system:serviceaccounts` (or `system:serviceaccounts:NS`) also grants every namespace's `default`
ServiceAccount, and is reported here (Istio's `istio-sidecar-psp` binding on the corpus).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.rbac import is_platform_object
from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC004",
    slug="default-service-account-bound",
    title="Role binding grants permissions to default service accounts",
    severity="medium",
    category="secrets",
    tags=("cis-k8s:5.1.5", "mitre:T1078"),
    target="object",
    kinds=("RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Permissions bound to default service accounts (or to the system:serviceaccounts groups) are given "
        "to every pod that does not name its own account."
    ),
    remediation="Bind the role to a dedicated ServiceAccount used only by the workloads that need it.",
    references=(
        "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#service-account-permissions",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"checkov": ("CKV_K8S_42",), "kubescape": ("C-0189",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.group != "rbac.authorization.k8s.io" or is_platform_object(obj, obj.name):
        return
    subjects = obj.raw.get("subjects")
    if not isinstance(subjects, list):
        return
    role = obj.raw.get("roleRef") if isinstance(obj.raw.get("roleRef"), dict) else {}
    grant = f"{role.get('kind', 'role')} {role.get('name', '?')!r}"
    for i, s in enumerate(subjects):
        if not isinstance(s, dict):
            continue
        kind, name = s.get("kind"), s.get("name")
        if kind == "ServiceAccount" and name == "default":
            ns = s.get("namespace") or (obj.namespace if obj.kind == "RoleBinding" else None)
            yield Violation(f"grants {grant} to the default service account of namespace {ns!r}",
                            ("subjects", i))
        elif kind == "Group" and isinstance(name, str) and (
                name == "system:serviceaccounts" or name.startswith("system:serviceaccounts:")):
            scope = "every namespace" if name == "system:serviceaccounts" else f"namespace {name.rsplit(':', 1)[1]!r}"
            yield Violation(f"grants {grant} to group {name}, which includes the default service account of {scope}",
                            ("subjects", i))

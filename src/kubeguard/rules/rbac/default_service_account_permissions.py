"""Default ServiceAccount is granted permissions.

## What it checks
Every binding that names the `default` ServiceAccount of a namespace (as a
ServiceAccount subject, or as the User `system:serviceaccount:NS:default`) and grants it
at least one rule.

## Why it matters
Every pod that does not name a ServiceAccount runs as `default`, so a grant to it reaches
every such workload of the namespace, including ones added later by people who never
asked for API access.

## Failing example
```yaml
kind: RoleBinding
metadata: {namespace: app}
roleRef: {kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: default, namespace: app}
```

## Passing example
```yaml
kind: RoleBinding
metadata: {namespace: app}
roleRef: {kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: reporter, namespace: app}
```

## Remediation
Create a dedicated ServiceAccount for the workload that needs the permissions, bind it,
and leave `default` without bindings.

## Exceptions and known false positives/negatives
Platform bindings are skipped unless `include_platform` is set.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, rbac_graph

META = RuleMeta(
    code="RB006",
    slug="default-service-account-permissions",
    title="Default ServiceAccount is granted permissions",
    severity="medium",
    category="rbac",
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Permissions given to the default ServiceAccount reach every pod of the namespace that does not "
        "choose another ServiceAccount."
    ),
    remediation="Bind a dedicated ServiceAccount instead and leave default without bindings.",
    references=("https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts",),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0189",), "popeye": ("POP-308",)},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    for b in rbac_graph(ctx).bindings:
        if b.obj is None or b.role is None or not b.role.rules:
            continue
        if b.is_platform and not ctx.params.include_platform:
            continue
        for s, idx in zip(b.subjects, b.subject_index):
            kind, ns, name = s.key
            if kind == "ServiceAccount" and name == "default":
                yield Violation(f"{b.ref} grants {b.role_ref} ({len(b.role.rules)} rules) to the default "
                                f"ServiceAccount of namespace {ns}", ("subjects", idx), obj=b.obj,
                                related=(b.role.obj.ref,) if b.role.obj is not None else ())

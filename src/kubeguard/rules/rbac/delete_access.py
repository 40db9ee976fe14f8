"""Subject can delete workloads, their data or namespaces.

## What it checks
Every binding subject (User, Group, ServiceAccount, cloud principal) whose effective grants
allow `delete` or `deletecollection` on pods, the workload controllers (Deployments,
StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers, Jobs, CronJobs), Services,
Secrets, ConfigMaps or PersistentVolumeClaims at the binding's scope; `delete` on
PersistentVolumes (cluster-wide only); or `delete` on a Namespace (a RoleBinding's own
namespace counts, as upstream attributes that request to it).  Wildcard verbs, resources
and groups match; `resourceNames` restrict the finding to those objects and never match
`deletecollection`, which carries no name.

## Why it matters
Data destruction (MITRE T1485, Microsoft MS-TA9038): one `kubectl delete` of a namespace,
a claim whose StorageClass has `reclaimPolicy: Delete`, or every Deployment of a team takes
a service and its data down, and a stolen token with these rights is a ransom tool.

## Failing example
```yaml
kind: Role
metadata: {name: janitor, namespace: shop}
rules:
  - apiGroups: ["", "apps"]
    resources: ["persistentvolumeclaims", "deployments"]
    verbs: ["delete", "deletecollection"]
```

## Passing example
```yaml
kind: Role
metadata: {name: viewer, namespace: shop}
rules:
  - apiGroups: ["", "apps"]
    resources: ["persistentvolumeclaims", "deployments"]
    verbs: ["get", "list", "watch"]
```

## Remediation
Keep delete rights with the deployment pipeline and the controllers that need them; give
people read access and break-glass roles, and protect volumes with `reclaimPolicy: Retain`.

## Exceptions and known false positives/negatives
The default `edit` and `admin` ClusterRoles include these rights, so every binding to them
is reported: that is the point (CIS 5.1 asks for least privilege).  Controllers (garbage
collection, operators, CI deployers) need them; exempt their bindings with an owner.
Bindings owned by the platform are skipped unless `include_platform` is set; subjects with
full authority at the scope are reported once by RB002 instead.

## Differences from Kubescape
C-0007 matches rule text: `delete`, `deletecollection` or `*` on Secrets, Pods, Services and the
apps/batch workloads in the groups `""`, `apps`, `batch` or `*`, whatever the binding's scope.
Here grants are resolved as the API server authorizes them (aggregated and default roles,
`resourceNames`, a RoleBinding's namespace), and ConfigMaps, PersistentVolumeClaims,
ReplicationControllers, PersistentVolumes and Namespaces count too: deleting them destroys
data as surely.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.rbac_escalation import NS, Need, Primitive
from kubeguard.graph.rbac_match import ANY_NAME, Request
from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, permission_violations

META = RuleMeta(
    code="RB030",
    slug="delete-access",
    title="Subject can delete workloads, their data or namespaces",
    severity="medium",
    category="rbac",
    tags=("mitre:T1485",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Delete rights on workloads, claims, Secrets or namespaces let one stolen credential destroy a service "
        "and its data (MITRE T1485)."
    ),
    remediation=(
        "Keep delete rights with the deployment pipeline and the controllers that need them; give people read "
        "access and break-glass roles, and protect volumes with reclaimPolicy: Retain."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
        "https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Data%20destruction/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0007",)},
)

_NAMESPACED = (("", ("pods", "services", "secrets", "configmaps", "persistentvolumeclaims",
                     "replicationcontrollers")),
               ("apps", ("deployments", "statefulsets", "daemonsets", "replicasets")),
               ("batch", ("jobs", "cronjobs")))
DELETE = Primitive(
    "delete-data", "delete workloads, their data or namespaces", "medium",
    (Need("delete/deletecollection workloads, pods, Services, Secrets, ConfigMaps or claims; delete "
          "PersistentVolumes or namespaces", tuple(
              [Request(verb=v, resource=r, group=g, name=ANY_NAME, namespace=NS)
               for g, rs in _NAMESPACED for r in rs for v in ("delete", "deletecollection")]
              + [Request(verb="delete", resource="persistentvolumes", name=ANY_NAME, namespace=NS),
                 Request(verb="delete", resource="namespaces", name=NS, namespace=NS)])),),
    False, "running services and their volumes removed; deleting a namespace removes everything in it", "T1485")


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from permission_violations(ctx, (DELETE,))

"""Subject can delete Kubernetes events.

## What it checks
Every binding subject whose effective grants allow `delete` or `deletecollection` on
`events` in the core group or in `events.k8s.io` (the same objects through two APIs), at the
binding's scope; wildcards match, `resourceNames` restrict the finding.

## Why it matters
Events record what happened to pods and nodes (image pulls, kills, scheduling, failed
mounts); an intruder deletes them to hide an attack (Microsoft MS-TA9022, MITRE T1070).
Events live about an hour in etcd, so in a cluster that does not ship them elsewhere deleting
them erases the trail.

## Failing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["events.k8s.io"]
    resources: ["events"]
    verbs: ["deletecollection"]
```

## Passing example
```yaml
kind: ClusterRole
rules:
  - apiGroups: ["", "events.k8s.io"]
    resources: ["events"]
    verbs: ["get", "list", "watch", "create", "patch"]
```

## Remediation
Remove `delete` and `deletecollection` on events from roles; controllers only need to create
and patch them.  Ship events and audit logs off the cluster so deletion cannot erase them.

## Exceptions and known false positives/negatives
The default `edit` and `admin` ClusterRoles write events, `delete` included, so bindings to
them are reported.  Bindings owned by the platform are skipped unless `include_platform` is
set; subjects with full authority at the scope are reported once by RB002 instead.

## Differences from Kubescape
C-0031 matches rules whose `apiGroups` list `""` or `*`, so `events.k8s.io` grants (the same
Event objects through the newer API) pass there and fail here; it also ignores
`resourceNames`, which here restrict the finding to the named events.

## Differences from Trivy
KSV-0042 ("Delete pod logs") looks for `delete` on `pods/log`.  That subresource only serves
`get`; container logs go away with the pod (RB030) or on the node, so such a grant allows
nothing, is not reported here, and KSV-0042 is not treated as an equivalent of this rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.rbac_escalation import NS, Need, Primitive
from kubeguard.graph.rbac_match import ANY_NAME, Request
from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM, permission_violations

META = RuleMeta(
    code="RB031",
    slug="event-deletion-access",
    title="Subject can delete Kubernetes events",
    severity="low",
    category="rbac",
    tags=("mitre:T1070",),
    target="cluster",
    requires=("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"),
    rationale=(
        "Deleting events hides an intrusion: image pulls, kills and scheduling decisions vanish from the "
        "cluster's own record."
    ),
    remediation=(
        "Remove delete and deletecollection on events from roles (controllers only create and patch them) and "
        "ship events and audit logs off the cluster."
    ),
    references=(
        "https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Delete%20K8S%20events/",
        "https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0031",)},
)

EVENTS_DELETE = Primitive(
    "events-delete", "delete Kubernetes events", "low",
    (Need("delete/deletecollection events (core or events.k8s.io)", tuple(
        Request(verb=v, resource="events", group=g, name=ANY_NAME, namespace=NS)
        for g in ("", "events.k8s.io") for v in ("delete", "deletecollection"))),),
    False, "the record of what happened to pods and nodes erased", "T1070")


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    yield from permission_violations(ctx, (EVENTS_DELETE,))

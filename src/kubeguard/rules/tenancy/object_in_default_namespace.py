"""Object is created in the default namespace.

## What it checks
Every namespaced object that is not a workload (Services, ConfigMaps, Secrets, Roles,
RoleBindings, ServiceAccounts, claims, custom resources...) whose namespace is `default`,
except those Kubernetes itself creates there: the `kubernetes` Service with its Endpoints and
EndpointSlice, the `default` ServiceAccount and its legacy token Secret, the
`kube-root-ca.crt` ConfigMap, and Events.  Workloads are covered by TN001.  As in TN001,
manifests without `metadata.namespace` are UNKNOWN unless `unset_namespace_is_default` is true.

## Why it matters
Secrets, Roles and Services in `default` share a namespace with everything else dropped there
by accident, and are readable and bindable by anyone given rights "in default".

## Failing example
```yaml
kind: Secret
metadata: {name: db-password, namespace: default}
```

## Passing example
```yaml
kind: Secret
metadata: {name: db-password, namespace: shop}
```

## Differences from Checkov
Same difference as TN001 with Checkov's CKV_K8S_21: a missing namespace is decided at apply time, so
only an explicit `default` fails here.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation, pod_specs
from kubeguard.model.objects import CLUSTER_SCOPED_KINDS
from kubeguard.rules._helpers.namespaces import in_default_namespace
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="TN002",
    slug="object-in-default-namespace",
    title="Object is created in the default namespace",
    severity="low",
    category="tenancy",
    tags=("cis-k8s:5.6.4",),
    target="object",
    rationale=(
        "Objects in the default namespace share it with everything deployed there by accident and are "
        "exposed to anyone granted rights in default."
    ),
    remediation="Create the object in the namespace of the application it belongs to.",
    references=("https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",),
    params=(
        Param(name="unset_namespace_is_default", type="bool", default=False,
              description="Treat manifests without metadata.namespace as deployed to default."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0212",), "checkov": ("CKV_K8S_21",)},
)

BUILT_IN = {("Service", "kubernetes"), ("Endpoints", "kubernetes"), ("ServiceAccount", "default"),
            ("ConfigMap", "kube-root-ca.crt")}
SKIPPED_KINDS = frozenset({"Event", "List"}) | CLUSTER_SCOPED_KINDS


def _built_in(obj: K8sObject) -> bool:
    if (obj.kind, obj.name) in BUILT_IN:
        return True
    if obj.kind == "EndpointSlice" and obj.labels.get("kubernetes.io/service-name") == "kubernetes":
        return True
    return (obj.kind == "Secret" and obj.raw.get("type") == "kubernetes.io/service-account-token"
            and obj.annotations.get("kubernetes.io/service-account.name") == "default")


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.kind in SKIPPED_KINDS or obj.namespace is None or _built_in(obj) or pod_specs(obj):
        return
    yield from in_default_namespace(obj, ctx, "is in")

"""Object uses an API version that Kubernetes has removed.

## What it checks
The `apiVersion` and `kind` of every object against the upstream removal schedule (beta APIs
removed in 1.16, 1.22, 1.25, 1.26, 1.27, 1.29 and 1.32), and names the version to move to.
When the cluster's Kubernetes version is known the message says whether it still serves the
API.

## Why it matters
`kubectl apply` and Helm fail with "no matches for kind" on a cluster that no longer serves the
version, typically right after a control-plane upgrade; a chart that still ships such manifests
blocks the upgrade or breaks after it.

## Failing example
```yaml
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
```

## Passing example
```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL034",
    slug="deprecated-api-version",
    title="Object uses an API version that Kubernetes has removed",
    severity="medium",
    category="reliability",
    target="object",
    rationale=(
        "Removed API versions are no longer served: applying such manifests fails after a control-plane "
        "upgrade, and charts that still use them block or break upgrades."
    ),
    remediation="Migrate the manifest to the replacement apiVersion named in the finding (kubectl convert can help).",
    references=(
        "https://kubernetes.io/docs/reference/using-api/deprecation-guide/",
        "https://kubernetes.io/docs/reference/using-api/deprecation-policy/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0107",), "kube-linter": ("no-extensions-v1beta",), "kube-score": ("stable-version",),
           "popeye": ("POP-403",)},
)

_16, _22, _25, _26, _27, _29, _32 = (1, 16), (1, 22), (1, 25), (1, 26), (1, 27), (1, 29), (1, 32)
# (apiVersion, kind) -> (first Kubernetes version that no longer serves it, replacement)
REMOVED: dict[tuple[str, str], tuple[tuple[int, int], str]] = {}


def _add(api: str, kinds: str, removed: tuple[int, int], replacement: str) -> None:
    for kind in kinds.split():
        REMOVED[(api, kind)] = (removed, replacement)


_add("extensions/v1beta1", "Deployment DaemonSet ReplicaSet", _16, "apps/v1")
_add("extensions/v1beta1", "NetworkPolicy", _16, "networking.k8s.io/v1")
_add("extensions/v1beta1", "PodSecurityPolicy", _16, "policy/v1beta1 (itself removed in 1.25)")
_add("extensions/v1beta1", "Ingress", _22, "networking.k8s.io/v1")
_add("apps/v1beta1", "Deployment StatefulSet ReplicaSet ControllerRevision", _16, "apps/v1")
_add("apps/v1beta2", "Deployment StatefulSet DaemonSet ReplicaSet ControllerRevision", _16, "apps/v1")
_add("networking.k8s.io/v1beta1", "Ingress IngressClass", _22, "networking.k8s.io/v1")
_add("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration ValidatingWebhookConfiguration", _22,
     "admissionregistration.k8s.io/v1")
_add("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", _22, "apiextensions.k8s.io/v1")
_add("apiregistration.k8s.io/v1beta1", "APIService", _22, "apiregistration.k8s.io/v1")
_add("authentication.k8s.io/v1beta1", "TokenReview", _22, "authentication.k8s.io/v1")
_add("authorization.k8s.io/v1beta1", "SubjectAccessReview LocalSubjectAccessReview SelfSubjectAccessReview", _22,
     "authorization.k8s.io/v1")
_add("certificates.k8s.io/v1beta1", "CertificateSigningRequest", _22, "certificates.k8s.io/v1")
_add("coordination.k8s.io/v1beta1", "Lease", _22, "coordination.k8s.io/v1")
for _v in ("v1alpha1", "v1beta1"):
    _add(f"rbac.authorization.k8s.io/{_v}", "ClusterRole ClusterRoleBinding Role RoleBinding", _22,
         "rbac.authorization.k8s.io/v1")
_add("scheduling.k8s.io/v1beta1", "PriorityClass", _22, "scheduling.k8s.io/v1")
_add("storage.k8s.io/v1beta1", "CSIDriver CSINode StorageClass VolumeAttachment", _22, "storage.k8s.io/v1")
_add("storage.k8s.io/v1beta1", "CSIStorageCapacity", _27, "storage.k8s.io/v1")
_add("batch/v1beta1", "CronJob", _25, "batch/v1")
_add("discovery.k8s.io/v1beta1", "EndpointSlice", _25, "discovery.k8s.io/v1")
_add("events.k8s.io/v1beta1", "Event", _25, "events.k8s.io/v1")
_add("autoscaling/v2beta1", "HorizontalPodAutoscaler", _25, "autoscaling/v2")
_add("autoscaling/v2beta2", "HorizontalPodAutoscaler", _26, "autoscaling/v2")
_add("policy/v1beta1", "PodDisruptionBudget", _25, "policy/v1")
_add("policy/v1beta1", "PodSecurityPolicy", _25, "nothing: use Pod Security Admission namespace labels")
_add("node.k8s.io/v1beta1", "RuntimeClass", _25, "node.k8s.io/v1")
_add("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema PriorityLevelConfiguration", _26,
     "flowcontrol.apiserver.k8s.io/v1")
_add("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema PriorityLevelConfiguration", _29,
     "flowcontrol.apiserver.k8s.io/v1")
_add("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema PriorityLevelConfiguration", _32,
     "flowcontrol.apiserver.k8s.io/v1")

_VERSION = re.compile(r"^v?(\d+)\.(\d+)")


def cluster_version(ctx) -> tuple[int, int] | None:
    m = _VERSION.match(ctx.cluster.facts.kubernetes_version or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    hit = REMOVED.get((obj.api_version, obj.kind))
    if hit is None:
        return
    removed, replacement = hit
    when = f"{removed[0]}.{removed[1]}"
    have = cluster_version(ctx)
    if have is None:
        status = f"removed in Kubernetes {when}"
    elif have >= removed:
        status = f"not served by this cluster (Kubernetes {have[0]}.{have[1]}; removed in {when})"
    else:
        status = f"still served by this cluster but removed in Kubernetes {when}"
    yield Violation(f"{obj.api_version} {obj.kind} is {status}; use {replacement}", ("apiVersion",))

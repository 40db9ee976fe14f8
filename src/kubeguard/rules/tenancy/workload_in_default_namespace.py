"""Workload runs in the default namespace.

## What it checks
Every workload (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods, pod-bearing
custom resources) whose namespace is `default`.

A manifest without `metadata.namespace` lands in whatever namespace the `kubectl apply -n`,
Helm release or GitOps application chooses; treating it as `default` would flag nearly every
chart (Checkov's CKV_K8S_21 does, and that is its most frequent finding).  Such objects are
reported UNKNOWN unless `unset_namespace_is_default` is true.  Live objects always carry their
namespace.

## Why it matters
`default` is where everything lands by accident: RBAC, quotas, network policies and Pod
Security labels are rarely set there, and every user with namespace-wide rights can reach it.
Workloads there escape the boundaries that namespaces are meant to draw.

## Failing example
```yaml
kind: Deployment
metadata: {name: web, namespace: default}
```

## Passing example
```yaml
kind: Deployment
metadata: {name: web, namespace: shop}
```

## Differences from Checkov
Checkov's CKV_K8S_21 treats an object with no `metadata.namespace` as being in `default`. The
namespace of such a manifest is chosen when it is applied (`kubectl apply -n NS`, Helm's
`--namespace`, Argo CD's destination), so this rule reports only an explicit `default` and leaves
the rest undecided. On the shared corpus this is 678 objects Checkov fails and we do not (Argo CD's
own install manifests among them).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation, pod_specs
from kubeguard.rules._helpers.namespaces import in_default_namespace
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="TN001",
    slug="workload-in-default-namespace",
    title="Workload runs in the default namespace",
    severity="low",
    category="tenancy",
    tags=("cis-k8s:5.6.4",),
    target="workload",
    rationale=(
        "The default namespace rarely has quotas, network policies, RBAC boundaries or Pod Security labels, "
        "so workloads placed there escape the isolation namespaces provide."
    ),
    remediation="Deploy the workload into a dedicated namespace and set metadata.namespace explicitly.",
    references=(
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    params=(
        Param(name="unset_namespace_is_default", type="bool", default=False,
              description="Treat manifests without metadata.namespace as deployed to default."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0061", "C-0212"), "trivy": ("KSV-0110",), "checkov": ("CKV_K8S_21",),
           "kube-linter": ("use-namespace",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if pod.base != pod_specs(pod.obj)[0].base:
        return  # report an object once, whatever number of pod templates it carries
    yield from in_default_namespace(pod.obj, ctx, "runs in")

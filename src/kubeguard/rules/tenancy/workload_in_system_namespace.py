"""User workload runs in a Kubernetes system namespace.

## What it checks
Workloads in `kube-system`, `kube-public` or `kube-node-lease` that are not cluster components.
In `kube-system` a workload counts as a component when it is a static or mirror pod, carries a
label that add-on managers and cloud providers put on their components
(`addonmanager.kubernetes.io/mode`, `kubernetes.io/cluster-service`,
`eks.amazonaws.com/component`, `k8s-app`, `tier: control-plane`), or its name matches
`system_workloads`.  The other two namespaces should hold no workloads at all.

## Why it matters
`kube-system` holds the cluster's most privileged service accounts and secrets; anyone allowed
to run pods there can mount them.  Teams that deploy into it inherit that reach and blur the
line between platform and application, and Pod Security and network policies are usually
relaxed there.

## Failing example
```yaml
kind: Deployment
metadata: {name: billing-api, namespace: kube-system}
```

## Passing example
```yaml
kind: Deployment
metadata: {name: billing-api, namespace: billing}
```
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation, pod_specs
from kubeguard.rules._helpers.namespaces import SYSTEM_NAMESPACES
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="TN003",
    slug="workload-in-system-namespace",
    title="User workload runs in a Kubernetes system namespace",
    severity="medium",
    category="tenancy",
    tags=("mitre:T1078",),
    target="workload",
    rationale=(
        "kube-system holds the cluster's most privileged service accounts and secrets; application "
        "workloads deployed there can reach them and weaken the platform boundary."
    ),
    remediation="Move application workloads to their own namespaces; keep kube-system for cluster components.",
    references=(
        "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces",
        "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
    ),
    params=(
        Param(name="system_workloads", type="list[str]",
              default=["coredns*", "kube-dns*", "kube-proxy*", "kube-apiserver*", "kube-controller-manager*",
                       "kube-scheduler*", "etcd*", "cloud-controller-manager*", "cloud-node-manager*",
                       "aws-node*", "aws-load-balancer-controller*", "ebs-csi-*", "efs-csi-*",
                       "eks-pod-identity-agent*", "cilium*", "calico*", "kindnet*", "konnectivity-*",
                       "metrics-server*", "cluster-autoscaler*", "azure-*", "ama-*", "csi-*", "gke-*",
                       "pdcsi-*", "fluentbit-gke*", "event-exporter*", "l7-default-backend*", "vpa-*",
                       "tigera-*", "node-local-dns*", "snapshot-controller*"],
              description="Name patterns (fnmatch) of kube-system workloads that are cluster components."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0037",)},
)

COMPONENT_LABELS = ("addonmanager.kubernetes.io/mode", "kubernetes.io/cluster-service",
                    "eks.amazonaws.com/component", "k8s-app")


def is_component(pod: PodSpecView, patterns: list[str]) -> bool:
    obj = pod.obj
    if "kubernetes.io/config.mirror" in obj.annotations or any(o.get("kind") == "Node" for o in obj.owner_references):
        return True
    for labels in (obj.labels, pod.labels):
        if any(k in labels for k in COMPONENT_LABELS) or labels.get("tier") == "control-plane":
            return True
    return any(fnmatch.fnmatchcase(obj.name, p) for p in patterns)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    ns = pod.namespace
    if ns not in SYSTEM_NAMESPACES or pod.base != pod_specs(pod.obj)[0].base:
        return
    if ns == "kube-system" and is_component(pod, ctx.params.system_workloads):
        return
    yield Violation(f"{pod.kind} {pod.obj.name!r} is not a cluster component but runs in {ns}",
                    ("metadata", "namespace"))

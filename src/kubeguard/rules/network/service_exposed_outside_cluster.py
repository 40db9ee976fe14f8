"""Service is exposed outside the cluster.

## What it checks
Every Service of type LoadBalancer or NodePort, or with `externalIPs`, outside
`exempt_namespaces`.  A LoadBalancer is left alone when `loadBalancerSourceRanges` (or the
older `service.beta.kubernetes.io/load-balancer-source-ranges` annotation) limits its
clients, or when it is marked internal with one of the cloud annotations
(`service.beta.kubernetes.io/aws-load-balancer-internal` other than `false`,
`service.beta.kubernetes.io/aws-load-balancer-scheme: internal` of the AWS Load Balancer
Controller, `...azure-load-balancer-internal: "true"`, `networking.gke.io/load-balancer-type:
Internal`, `service.beta.kubernetes.io/oci-load-balancer-internal: "true"`).

## Why it matters
Every exposed Service is attack surface reachable from outside the cluster network; NodePorts
open the port on every node, externalIPs can capture traffic for addresses the cluster does
not own (CVE-2020-8554).  Exposure should be deliberate and go through an ingress controller or
gateway where possible.

## Failing example
```yaml
kind: Service
spec: {type: NodePort, selector: {app: admin}, ports: [{port: 8080}]}
```

## Passing example
```yaml
kind: Service
spec: {type: ClusterIP, selector: {app: admin}, ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.namespaces import SYSTEM_NAMESPACES
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="NW017",
    slug="service-exposed-outside-cluster",
    title="Service is exposed outside the cluster",
    severity="low",
    category="network",
    tags=("mitre:T1133",),
    target="object",
    kinds=("Service",),
    rationale=(
        "LoadBalancer, NodePort and externalIPs Services are reachable from outside the cluster network; each is "
        "attack surface that should be deliberate."
    ),
    remediation="Use ClusterIP behind an ingress controller or gateway, restrict loadBalancerSourceRanges, or mark "
                "the load balancer internal.",
    references=("https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types",
                "https://github.com/kubernetes/kubernetes/issues/97076"),
    params=(Param(name="exempt_namespaces", type="list[str]", default=list(SYSTEM_NAMESPACES),
                  description="Namespaces whose Services may be exposed."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0256",), "trivy": ("KSV-0108",), "kube-linter": ("exposed-services",),
           "kube-score": ("service-type",), "popeye": ("POP-1103", "POP-1104")},
)

# annotation -> the value that makes the load balancer internal (None: any value but "false")
_INTERNAL = {"service.beta.kubernetes.io/aws-load-balancer-internal": None,
             "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
             "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
             "service.beta.kubernetes.io/oci-load-balancer-internal": "true",
             "networking.gke.io/load-balancer-type": "Internal",
             "cloud.google.com/load-balancer-type": "Internal"}
SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"


def _internal(obj: K8sObject) -> bool:
    for key, want in _INTERNAL.items():
        if key in obj.annotations:
            v = str(obj.annotations[key]).strip()
            if (v.lower() != "false") if want is None else v.lower() == want.lower():
                return True
    return False


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.namespace in ctx.params.exempt_namespaces:
        return
    spec = obj.spec
    t = spec.get("type")
    if spec.get("externalIPs"):
        yield Violation(f"Service {obj.name} claims externalIPs {', '.join(map(str, spec['externalIPs'][:3]))}",
                        ("spec", "externalIPs"))
    if t == "NodePort":
        yield Violation(f"Service {obj.name} is a NodePort: its port is open on every node", ("spec", "type"))
    elif t == "LoadBalancer":
        ranges = spec.get("loadBalancerSourceRanges") or str(obj.annotations.get(SOURCE_RANGES_ANNOTATION, "")).strip()
        if not _internal(obj) and not ranges:
            yield Violation(f"Service {obj.name} is a LoadBalancer open to every source address", ("spec", "type"))

"""Workload reachable from outside the cluster has no ingress policy.

## What it checks
Every way a Service is reachable from outside the cluster -- type LoadBalancer or NodePort,
externalIPs, an Ingress backend, a Gateway API route backend -- and the pods behind that
Service.  It fails when some of those pods are selected by no ingress policy, so that not only
the published port but every port of the pod is open to everything that can reach it.

## Why it matters
An internet-facing workload is the usual first foothold; without an ingress policy, its
debug, metrics and admin ports are reachable as well, and nothing limits which in-cluster
pods may connect to it after a compromise elsewhere.

## Failing example
```yaml
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 443, targetPort: 8443}]}
# no NetworkPolicy in shop selects app=web for Ingress
```

## Passing example
```yaml
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{ports: [{port: 8443}]}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.network_exposure import exposures, service_pods
from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW004",
    slug="exposed-workload-without-ingress-policy",
    title="Workload reachable from outside the cluster has no ingress policy",
    severity="high",
    category="network",
    tags=("mitre:T1133",),
    target="cluster",
    requires=("NetworkPolicy",),
    rationale=(
        "An externally reachable pod without an ingress policy exposes every port it listens on, not just the "
        "published one, and accepts connections from any compromised pod in the cluster."
    ),
    remediation="Add an ingress NetworkPolicy for the exposed pods that allows only the published target ports "
                "(and, where possible, only the ingress controller or load balancer sources).",
    references=("https://kubernetes.io/docs/concepts/services-networking/network-policies/",
                "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types"),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0256", "C-0266")},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    for e in exposures(cluster):
        svc = cluster.get("Service", e.namespace, e.service)
        if svc is None:
            continue
        open_pods = [p for p in service_pods(g, svc) if not p.host_network and not g.isolation(p, "ingress")]
        if not open_pods:
            continue
        owners = sorted({f"{(p.workload or p.obj).kind}/{(p.workload or p.obj).name}" for p in open_pods})
        yield Violation(f"{e.how} exposes Service {e.service} whose pods ({', '.join(owners[:5])}) no policy "
                        f"selects for ingress: every port they listen on is reachable", e.path, obj=e.obj,
                        related=(svc.ref, *sorted({(p.workload or p.obj).ref for p in open_pods},
                                                  key=str)),
                        evidence={"service": f"{e.namespace}/{e.service}", "exposure": e.how})

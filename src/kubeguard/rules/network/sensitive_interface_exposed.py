"""Sensitive interface is exposed outside the cluster.

## What it checks
Every way a Service is reachable from outside the cluster (type LoadBalancer or NodePort,
externalIPs, an Ingress backend, a Gateway API route backend) and the pods behind it: it fails
when those pods run a web UI or API that was not built to face the internet, recognised by
image (and command for multi-purpose images): Kubernetes Dashboard, Argo Workflows and Argo CD
servers, Kubeflow dashboards, Jupyter and JupyterHub, Apache NiFi, Weave Scope, Ray, model
servers (vLLM, Text Generation Inference, Triton, TensorFlow Serving, TorchServe, Ollama, Open
WebUI, MLflow), Prometheus, Alertmanager, Grafana, Kibana, Jenkins and Airflow.  Workloads whose
names contain one of `interface_names` (Kubescape's list) and images matching `extra_images`
count as well.

## Why it matters
Microsoft's threat matrix lists exposed sensitive interfaces as an initial-access technique:
the Tesla cryptojacking went through an open Kubernetes Dashboard, Argo Workflows and Kubeflow
servers have been used to start miners, Ray's job API runs code for anyone (ShadowRay), and an
open model server hands out inference paid for by you, and sometimes its files.

## Failing example
```yaml
kind: Service
metadata: {name: grafana, namespace: monitoring}
spec: {type: LoadBalancer, selector: {app: grafana}, ports: [{port: 80, targetPort: 3000}]}
---
kind: Deployment
metadata: {name: grafana, namespace: monitoring}
spec: {template: {metadata: {labels: {app: grafana}},
                  spec: {containers: [{name: grafana, image: grafana/grafana:11.3.0}]}}}
```

## Passing example
```yaml
kind: Service
metadata: {name: grafana, namespace: monitoring}
spec: {type: ClusterIP, selector: {app: grafana}, ports: [{port: 80, targetPort: 3000}]}
```

## Remediation
Keep these interfaces on ClusterIP and reach them through `kubectl port-forward`, a VPN or an
identity-aware proxy (OAuth2 Proxy, IAP, Pomerium); if they must be public, put authentication
in front of them at the ingress and restrict source ranges.

## Exceptions and known false positives/negatives
An interface published deliberately behind single sign-on at the ingress (oauth2-proxy
annotations, an IAP backend config) is still reported: exempt it with that reason.
Internal load balancers count as exposure, as in NW004.  Interfaces run from other images
(a custom build of Jupyter) are missed unless listed in `extra_images`.

## Differences from Kubescape
C-0021 recognises an interface only by workload name (`sensitiveInterfaces`, this rule's
`interface_names`) and reports NodePort Services, and LoadBalancer Services once they have an
address in `status.loadBalancer`; a manifest's LoadBalancer, externalIPs, Ingress and Gateway
routes pass there.  Here the image identifies the interface (names only when no image does),
and every way out of the cluster counts, before the load balancer is provisioned too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kubeguard.graph.network_exposure import exposures, service_pods
from kubeguard.model import ClusterInventory, K8sObject, Violation, pod_specs
from kubeguard.rules._helpers.interfaces import interfaces_of
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="NW019",
    slug="sensitive-interface-exposed",
    title="Sensitive interface is exposed outside the cluster",
    severity="high",
    category="network",
    tags=("mitre:T1133", "mitre:T1190"),
    target="cluster",
    requires=("Service",),
    rationale=(
        "Dashboards, notebooks, workflow servers and model servers were not built for the internet; exposed, they "
        "are a common first foothold (Tesla dashboard, Argo and Kubeflow miners, ShadowRay)."
    ),
    remediation=(
        "Keep the interface on ClusterIP and reach it through port-forward, a VPN or an identity-aware proxy; if it "
        "must be public, authenticate at the ingress and restrict source ranges."
    ),
    references=(
        "https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Exposed%20sensitive%20interfaces/",
        "https://hub.armosec.io/docs/c-0021",
    ),
    params=(
        Param(name="interface_names", type="list[str]", default=["nifi", "argo-server", "weave-scope-app", "kubeflow",
                                                                  "kubernetes-dashboard"],
              description="Workload name fragments that mark a sensitive interface whatever its image (Kubescape's "
                          "sensitiveInterfaces)."),
        Param(name="extra_images", type="list[regex]", default=[],
              description="More image patterns (searched in the image reference) of interfaces to treat as sensitive."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0021",)},
)


def _interfaces(owner: K8sObject, ctx, extra) -> list[str]:
    found: list[str] = []
    for view in pod_specs(owner):
        for name in interfaces_of(view, extra):
            if name not in found:
                found.append(name)
    if not found and any(n and n in owner.name for n in ctx.params.interface_names):
        found.append(f"{owner.name} (named like a sensitive interface)")
    return found


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    extra = tuple(re.compile(p) for p in ctx.params.extra_images)
    g = ctx.graph("network")
    cache: dict[int, list[str]] = {}
    for e in exposures(cluster):
        svc = cluster.get("Service", e.namespace, e.service)
        if svc is None:
            continue
        hits: dict[tuple, tuple[K8sObject, list[str]]] = {}
        for p in service_pods(g, svc):
            owner = p.workload or p.obj
            names = cache.get(id(owner))
            if names is None:
                names = cache[id(owner)] = _interfaces(owner, ctx, extra)
            if names:
                hits.setdefault((owner.kind, owner.namespace, owner.name), (owner, names))
        if not hits:
            continue
        owners = sorted(hits.values(), key=lambda h: (h[0].kind, h[0].name))
        what = "; ".join(f"{', '.join(n)} ({o.kind} {o.name})" for o, n in owners[:3])
        yield Violation(f"{e.how} exposes Service {e.namespace}/{e.service} outside the cluster, and its pods run "
                        f"{what}", e.path, obj=e.obj,
                        related=tuple(dict.fromkeys([svc.ref] + [o.ref for o, _ in owners])),
                        evidence={"service": f"{e.namespace}/{e.service}", "exposure": e.how,
                                  "interfaces": sorted({n for _, ns in owners for n in ns})})

"""Container binds a port on the node (hostPort).

## What it checks
Every port of every container, init container and ephemeral container for a
`hostPort` other than 0.  This is the Pod Security Standards baseline control
*Host Ports*: upstream admission allows no host port at all (the standard's
"known list" is left to other admission tools).  `allowed_ports` lists ports
to accept anyway; setting it departs from the standard.

## Why it matters
A host port exposes the container on every address of the node, bypassing
Service and NetworkPolicy controls, and ties the pod to nodes where the port is
free.  It is also how a pod can shadow a node service.

## Failing example
```yaml
containers:
  - name: web
    image: nginx:1.27
    ports:
      - containerPort: 8080
        hostPort: 80
```

## Passing example
```yaml
containers:
  - name: web
    image: nginx:1.27
    ports:
      - containerPort: 8080
```

## Exceptions
Ingress controllers and node-local DNS caches on bare metal use host ports;
exempt them by name.  With `hostNetwork: true` the API server fills
`hostPort` from `containerPort`; manifests do not show that, and `host-network`
reports such pods anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.securitycontext import container_ports
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="WL009",
    slug="host-port",
    title="Container binds a port on the node (hostPort)",
    severity="medium",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "cis-k8s:5.2.12"),
    target="workload",
    rationale=(
        "A hostPort publishes the container on every node address, outside Services and NetworkPolicies, "
        "and can shadow services of the node."
    ),
    remediation="Remove hostPort and expose the container through a Service (ClusterIP, NodePort or LoadBalancer).",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",),
    params=(
        Param(name="allowed_ports", type="list[int]", default=[],
              description="Host ports accepted anyway. Non-empty departs from the Pod Security Standards."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0044", "C-0204"), "checkov": ("CKV_K8S_26",), "trivy": ("KSV-0024",),
           "polaris": ("hostPortSet",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    allowed = ctx.params.allowed_ports
    for c in pod.all_containers():
        for j, p in container_ports(c):
            hp = p.get("hostPort")
            if hp is None or hp == 0 or hp in allowed:
                continue
            yield Violation(f"container {c.name!r} binds host port {hp}", c.path("ports", j, "hostPort"),
                            container=c.name)

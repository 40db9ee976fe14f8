"""Service targets a port its pods do not declare.

## What it checks
Every Service with a selector and every entry of its `ports`: a named `targetPort` must be a
container port name on each selected pod (with the same protocol); a numeric `targetPort`
must be declared by pods that declare container ports at all.  An unset, `0` or `""`
`targetPort` is the `port`, as the API server defaults it.  In a manifest folder holding
variants of one install (one deploy.yaml per cloud provider), a Service is judged against
the selected workloads nearest to it: those of its own file, else of its folder, else all.  Pods are the real ones of a
live cluster or those synthesised from workload templates.

## Why it matters
A named target port that no container declares sends no traffic (the endpoints stay
empty), and NetworkPolicies written against the same name open nothing.  A numeric mismatch
usually means the Service points at the wrong port, and policies written from the Service
open the wrong one.

## Failing example
```yaml
kind: Service
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: http}]   # the container port is named web
```

## Passing example
```yaml
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: web}]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.network_exposure import service_pods
from kubeguard.model import ClusterInventory, Violation
from kubeguard.rules._helpers.workloads import inventory_is_complete, nearness
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW014",
    slug="service-target-port-missing",
    title="Service targets a port its pods do not declare",
    severity="low",
    category="network",
    target="cluster",
    rationale=(
        "A Service whose target port the pods do not declare routes nowhere, and NetworkPolicies derived from "
        "it open the wrong port or none."
    ),
    remediation="Point targetPort at a containerPort name or number the selected pods declare.",
    references=("https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"popeye": ("POP-1106",)},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    complete = inventory_is_complete(cluster)
    for svc in cluster.of_kind("Service"):
        pods = service_pods(g, svc)
        if pods and not complete:  # install variants: judge a Service by the workloads nearest to it
            near = min(nearness(p.obj, svc) for p in pods)
            pods = [p for p in pods if nearness(p.obj, svc) == near]
        if not pods:
            continue
        for i, sp in enumerate(svc.spec.get("ports") or []):
            if not isinstance(sp, dict):
                continue
            proto = str(sp.get("protocol") or "TCP")
            target = sp.get("targetPort")
            if target in (None, 0, ""):  # the API server defaults an unset, 0 or "" targetPort to port
                target = sp.get("port")
            if isinstance(target, str) and not target.isdigit():
                missing = [p for p in pods if not any(n == target and pr == proto for n, pr, _ in p.ports)]
                what = f"{proto} container port named {target!r}"
            elif isinstance(target, (int, str)) and not isinstance(target, bool):
                num = int(target)
                missing = [p for p in pods if p.ports and not any(n == num and pr == proto for _, pr, n in p.ports)]
                what = f"{proto} container port {num}"
            else:
                continue
            if missing:
                owners = sorted({(p.workload or p.obj).name for p in missing})
                yield Violation(f"Service {svc.name} port {sp.get('name') or sp.get('port')}: selected pods of "
                                f"{', '.join(owners[:5])} have no {what}",
                                ("spec", "ports", i, "targetPort" if "targetPort" in sp else "port"), obj=svc,
                                related=tuple(sorted({(p.workload or p.obj).ref for p in missing}, key=str)))

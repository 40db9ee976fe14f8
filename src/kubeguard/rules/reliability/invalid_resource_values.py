"""Container resource values are invalid or requests exceed limits.

## What it checks
Every `resources.requests` and `resources.limits` entry of every init and app container:

* the value must be a valid Kubernetes quantity (`500m`, `0.5`, `1Gi`, `1e3`) and not negative;
* a request may not exceed the limit of the same resource;
* for resources that cannot be overcommitted (extended resources such as `nvidia.com/gpu`, and
  `hugepages-*`) a request needs a limit and must equal it.

These are the API server's own validation rules; a manifest that breaks them is rejected when
applied, usually long after review, and a Helm upgrade that contains it fails half-way.

## Failing example
```yaml
resources:
  requests: {cpu: "2", memory: 1Gi, nvidia.com/gpu: 1}
  limits: {cpu: "1", memory: 512Mi}
```

## Passing example
```yaml
resources:
  requests: {cpu: 500m, memory: 512Mi, nvidia.com/gpu: 1}
  limits: {cpu: "1", memory: 512Mi, nvidia.com/gpu: 1}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.quantities import format_quantity, try_quantity
from kubeguard.rules._helpers.resources import resource_containers
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="RL006",
    slug="invalid-resource-values",
    title="Container resource values are invalid or requests exceed limits",
    severity="medium",
    category="reliability",
    target="workload",
    rationale=(
        "The API server rejects pods whose quantities do not parse, whose requests exceed their limits, "
        "or whose GPU and hugepage requests differ from the limits; such manifests fail at deploy time."
    ),
    remediation=(
        "Write quantities in Kubernetes notation (500m, 0.5, 1Gi), keep each request at or below its limit, "
        "and set extended resources and hugepages with equal requests and limits."
    ),
    references=(
        "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/",
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
        "https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def overcommit_allowed(resource: str) -> bool:
    """Native resources (no domain, or a kubernetes.io domain) except hugepages may be overcommitted."""
    if resource.startswith("hugepages-"):
        return False
    domain = resource.split("/", 1)[0] if "/" in resource else ""
    return domain == "" or domain == "kubernetes.io" or domain.endswith(".kubernetes.io")


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in resource_containers(pod):
        parsed: dict[str, dict[str, Fraction]] = {"requests": {}, "limits": {}}
        for section in ("requests", "limits"):
            values = c.resources.get(section)
            if not isinstance(values, dict):
                continue
            for res, raw in values.items():
                q = try_quantity(raw)
                path = c.path("resources", section, res)
                if q is None:
                    yield Violation(f"container {c.name!r} {section}.{res} {raw!r} is not a valid quantity",
                                    path, container=c.name)
                elif q < 0:
                    yield Violation(f"container {c.name!r} {section}.{res} is negative", path, container=c.name)
                else:
                    parsed[section][str(res)] = q
        requests, limits = parsed["requests"], parsed["limits"]
        raw_limits = c.resources.get("limits")
        declared_limits = raw_limits if isinstance(raw_limits, dict) else {}
        for res, req in requests.items():
            path = c.path("resources", "requests", res)
            lim = limits.get(res)
            if lim is None and res in declared_limits:
                continue  # the limit itself is invalid and already reported
            if overcommit_allowed(res):
                if lim is not None and req > lim:
                    yield Violation(
                        f"container {c.name!r} requests {format_quantity(req, res)} {res} but its limit is "
                        f"{format_quantity(lim, res)}", path, container=c.name)
            elif lim is None:
                yield Violation(f"container {c.name!r} requests {res} without a limit; {res} cannot be "
                                "overcommitted, so a limit equal to the request is required", path, container=c.name)
            elif req != lim:
                yield Violation(f"container {c.name!r} {res} request {format_quantity(req, res)} differs from its "
                                f"limit {format_quantity(lim, res)}; they must be equal", path, container=c.name)

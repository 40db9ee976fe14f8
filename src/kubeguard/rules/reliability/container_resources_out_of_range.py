"""Container CPU or memory is outside the configured plausible range.

## What it checks
The effective requests and limits (after API and LimitRange defaulting) of every init and app
container against the bounds in the rule parameters.  The defaults catch unit mistakes rather
than enforce a policy: `memory: 512` is 512 bytes (a container cannot start below a few
mebibytes), `cpu: 500` is 500 cores (no node has that many).  Tighten the bounds in
`.kubeguard.yaml` to enforce a platform's per-container ceiling.

## Why it matters
A request larger than any node leaves the pod Pending forever; a memory limit of a few bytes
makes the container fail at start.  Both usually come from a missing unit suffix and are only
noticed after deployment.

## Failing example
```yaml
resources:
  requests: {cpu: "500", memory: "512"}
```

## Passing example
```yaml
resources:
  requests: {cpu: 500m, memory: 512Mi}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.quantities import format_quantity, parse_quantity
from kubeguard.rules._helpers.resources import effective_limit, effective_request, limit_ranges, resource_containers
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="RL009",
    slug="container-resources-out-of-range",
    title="Container CPU or memory is outside the configured plausible range",
    severity="medium",
    category="reliability",
    target="workload",
    requires=("LimitRange",),
    rationale=(
        "A request bigger than any node keeps the pod Pending forever, and a memory limit of a few bytes "
        "kills the container at start; both usually come from a missing unit suffix."
    ),
    remediation="Use the intended units (500m, 512Mi) or adjust the bounds in the rule parameters.",
    references=(
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-cpu",
        "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-memory",
    ),
    params=(
        Param(name="min_cpu", type="quantity", default="1m",
              description="Smallest plausible CPU request or limit per container; empty for no bound."),
        Param(name="max_cpu", type="quantity", default="64",
              description="Largest CPU request or limit per container; empty for no bound."),
        Param(name="min_memory", type="quantity", default="4Mi",
              description="Smallest memory request or limit per container; below this runtimes fail to start it."),
        Param(name="max_memory", type="quantity", default="256Gi",
              description="Largest memory request or limit per container; empty for no bound."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    p = ctx.params
    bounds = {
        "cpu": (p.min_cpu and parse_quantity(p.min_cpu), p.max_cpu and parse_quantity(p.max_cpu)),
        "memory": (p.min_memory and parse_quantity(p.min_memory), p.max_memory and parse_quantity(p.max_memory)),
    }
    lr = limit_ranges(ctx.cluster, pod.namespace)
    for c in resource_containers(pod):
        for res, (low, high) in bounds.items():
            for section, eff in (("requests", effective_request(c, res, lr)), ("limits", effective_limit(c, res, lr))):
                if eff.value is None or (section == "requests" and eff.source == "limit"):
                    continue
                below, above = bool(low) and eff.value < low, bool(high) and eff.value > high
                if not (below or above):
                    continue
                path = c.path("resources", section, res) if eff.source == "container" else c.path("resources")
                label = f"container {c.name!r} {res} {section[:-1]} {format_quantity(eff.value, res)}"
                if eff.source != "container":
                    label += f" (from {eff.source})"
                if below:
                    yield Violation(f"{label} is below {format_quantity(low, res)}; is a unit suffix missing?",
                                    path, container=c.name)
                else:
                    yield Violation(f"{label} is above {format_quantity(high, res)}", path, container=c.name)

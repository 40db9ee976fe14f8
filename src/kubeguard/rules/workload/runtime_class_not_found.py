"""Pod names a RuntimeClass that does not exist.

## What it checks
Every pod spec with `runtimeClassName`, looked up among the cluster's `node.k8s.io`
RuntimeClasses (cluster-scoped).  On a live cluster or snapshot a missing RuntimeClass is a
failure; in a manifest scan only when the workload's folder defines other RuntimeClasses
(a likely typo), otherwise UNKNOWN: managed platforms create theirs (GKE Sandbox `gvisor`,
AKS `kata-vm-isolation`) outside the application's manifests.

## Why it matters
The RuntimeClass admission plugin rejects such a pod ("RuntimeClass not found"), so the
workload never starts; when the name was meant to select a sandbox (gVisor, Kata), a fix
that simply drops the field runs the untrusted code on the host kernel instead.

## Failing example
```yaml
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: gvisor}
handler: runsc
---
kind: Deployment
spec: {template: {spec: {runtimeClassName: gviser, containers: [{name: app, image: app:1}]}}}
```

## Passing example
```yaml
kind: Deployment
spec: {template: {spec: {runtimeClassName: gvisor, containers: [{name: app, image: app:1}]}}}
```

## Remediation
Create the RuntimeClass (with the handler the nodes' container runtime configures) or fix
`runtimeClassName`.

## Exceptions and known false positives/negatives
The rule does not check that a node's container runtime actually has the handler; a
RuntimeClass whose handler no node offers leaves the pod failing at sandbox creation.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, PodSpecView, Violation
from kubeguard.rules._helpers.runtimeclass import runtime_class_of, runtime_classes_from
from kubeguard.rules._helpers.workloads import inventory_is_complete
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL040",
    slug="runtime-class-not-found",
    title="Pod names a RuntimeClass that does not exist",
    severity="medium",
    category="workload",
    target="workload",
    requires=("RuntimeClass",),
    rationale=(
        "Admission rejects a pod whose RuntimeClass is missing, so the workload never runs; when the class was "
        "meant to sandbox untrusted code, the quick fix of dropping it removes the sandbox."
    ),
    remediation="Create the RuntimeClass with the handler your nodes configure, or correct runtimeClassName.",
    references=("https://kubernetes.io/docs/concepts/containers/runtime-class/",
                "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#runtimeclass"),
    lifecycle=Lifecycle.preview("0.1.0"),
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    ref = runtime_class_of(pod, ctx.cluster)
    if ref.name is None or ref.obj is not None:
        return
    known = runtime_classes_from(ctx.cluster, pod.obj)
    if not known and not inventory_is_complete(ctx.cluster):
        raise NotEvaluated(f"RuntimeClass {ref.name!r} is not among the scanned objects")
    names = ", ".join(sorted(o.name for o in known)) or "none"
    yield Violation(f"runtimeClassName {ref.name!r} names no RuntimeClass (defined: {names}); "
                    "admission rejects the pod", pod.path("runtimeClassName"),
                    evidence={"runtimeClassName": ref.name, "runtimeClasses": sorted(o.name for o in known)})

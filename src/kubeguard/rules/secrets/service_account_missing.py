"""Pod runs as a service account that does not exist.

## What it checks
The service account of every pod spec (`serviceAccountName`, or the deprecated
`serviceAccount`) other than `default`, which every namespace has, looked up in the pod's
namespace.  On a live cluster or snapshot a missing account is a failure.  In a manifest scan
it is one only when the folder that defines the workload defines other ServiceAccounts of that
namespace; otherwise the result is UNKNOWN.

## Why it matters
The ServiceAccount admission plugin refuses pods whose account does not exist, so the workload
never gets a pod; a later-created account of that name (by someone else) silently inherits the
workload.

## Failing example
```yaml
spec:
  serviceAccountName: web-sa      # only "web" exists
```

## Passing example
```yaml
spec:
  serviceAccountName: web
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, PodSpecView, Violation
from kubeguard.rules._helpers.serviceaccounts import service_account_name
from kubeguard.rules._helpers.workloads import inventory_is_complete, objects_in, same_input
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC012",
    slug="service-account-missing",
    title="Pod runs as a service account that does not exist",
    severity="medium",
    category="secrets",
    target="workload",
    requires=("ServiceAccount",),
    rationale=(
        "Pods naming a missing ServiceAccount are rejected at creation, and whoever later creates an account "
        "with that name takes over the workload's identity."
    ),
    remediation="Create the ServiceAccount in the pod's namespace or fix serviceAccountName.",
    references=("https://kubernetes.io/docs/concepts/security/service-accounts/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0307",), "kube-linter": ("non-existent-service-account",),
           "popeye": ("POP-307", "POP-507")},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    name = service_account_name(pod)
    if name == "default":
        return
    accounts = objects_in(ctx.cluster, "ServiceAccount", pod.namespace)
    if any(a.name == name for a in accounts):
        return
    if not inventory_is_complete(ctx.cluster) and not any(same_input(a, pod.obj) for a in accounts):
        raise NotEvaluated(f"the ServiceAccounts of namespace {pod.namespace!r} are not in the scanned folder")
    field = "serviceAccountName" if pod.spec.get("serviceAccountName") else "serviceAccount"
    yield Violation(f"ServiceAccount {name!r} does not exist in namespace {pod.namespace!r}", pod.path(field))

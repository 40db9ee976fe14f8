"""Pod uses the deprecated serviceAccount field.

## What it checks
Every pod spec that sets `spec.serviceAccount`, the deprecated alias of `serviceAccountName`.
When both are set and differ, the API server uses `serviceAccountName` and the alias is
misleading.

Objects read from a cluster (live, snapshot, or a `kubectl get -o yaml` dump, recognised by the
`uid` and `resourceVersion` the server adds) always carry the alias: the API server copies
`serviceAccountName` into it on every read.  There the alias counts only when it differs.

## Why it matters
Reviewers and policy tools that look only at `serviceAccountName` see the wrong identity (or
none), and the field may disappear in a future API version.

## Failing example
```yaml
spec:
  serviceAccount: web
```

## Passing example
```yaml
spec:
  serviceAccountName: web
```

## Differences from kube-linter
kube-linter's `deprecated-service-account-field` reports any non-empty alias, so every workload
read from a live cluster fails it (the API server fills the alias in).  This rule judges manifests
the same way but ignores the alias the server wrote.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.workloads import inventory_is_complete
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC013",
    slug="deprecated-service-account-field",
    title="Pod uses the deprecated serviceAccount field",
    severity="low",
    category="secrets",
    target="workload",
    rationale=(
        "spec.serviceAccount is a deprecated alias; tools reading only serviceAccountName see the wrong "
        "identity, and when the two differ the alias is ignored."
    ),
    remediation="Replace spec.serviceAccount with spec.serviceAccountName.",
    references=("https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#security",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0294",), "kube-linter": ("deprecated-service-account-field",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    alias, name = pod.spec.get("serviceAccount"), pod.spec.get("serviceAccountName")
    if not alias:
        return
    if name == alias and (inventory_is_complete(ctx.cluster) or _read_from_server(pod)):
        return  # the API server mirrors serviceAccountName into the alias on read
    if name and name != alias:
        msg = f"serviceAccount {alias!r} differs from serviceAccountName {name!r}, which is the one used"
    else:
        msg = f"uses the deprecated serviceAccount field ({alias!r}); use serviceAccountName"
    yield Violation(msg, pod.path("serviceAccount"))


def _read_from_server(pod: PodSpecView) -> bool:
    """Whether the object was dumped from an API server: only the server sets uid and resourceVersion."""
    meta = pod.obj.metadata
    return bool(meta.get("uid")) and bool(meta.get("resourceVersion"))

"""Default service account automounts its token.

## What it checks
Every ServiceAccount named `default` for `automountServiceAccountToken: false`.

## Why it matters
Pods that do not name a service account get `default`; if it automounts, each of them carries
an API token they did not ask for.  Disabling automounting on the default account makes
"no identity" the safe default for the namespace (CIS 5.1.5).

## Failing example
```yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
```

## Passing example
```yaml
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: shop}
automountServiceAccountToken: false
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC003",
    slug="default-service-account-automount-enabled",
    title="Default service account automounts its token",
    severity="low",
    category="secrets",
    tags=("cis-k8s:5.1.5",),
    target="object",
    kinds=("ServiceAccount",),
    rationale=(
        "Pods that name no service account use default; while it automounts, each of them carries an API "
        "token it never asked for."
    ),
    remediation="Set automountServiceAccountToken: false on every namespace's default ServiceAccount.",
    references=(
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"checkov": ("CKV_K8S_41",), "kubescape": ("C-0189",), "popeye": ("POP-303",)},
)


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.name == "default" and obj.raw.get("automountServiceAccountToken") is not False:
        yield Violation(f"the default service account of {obj.namespace!r} automounts its token",
                        ("automountServiceAccountToken",))

"""Ingress serves hosts without TLS.

## What it checks
Every Ingress (networking.k8s.io) for a `spec.tls` section, and every host named in its rules
for a TLS entry covering it (exact name or a `*.` wildcard one level up).

## Why it matters
Without TLS the ingress controller serves plain HTTP: credentials, session cookies and data
cross the network readable and changeable by anyone on the path.

## Failing example
```yaml
kind: Ingress
spec:
  rules: [{host: shop.example.com, http: {paths: [...]}}]
```

## Passing example
```yaml
kind: Ingress
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules: [{host: shop.example.com, http: {paths: [...]}}]
```

## Exceptions
TLS terminated in front of the controller (a cloud load balancer with its own certificate)
does not show in the Ingress; exempt such Ingresses with a reason.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW015",
    slug="ingress-without-tls",
    title="Ingress serves hosts without TLS",
    severity="medium",
    category="network",
    tags=("mitre:T1557",),
    target="object",
    kinds=("Ingress",),
    rationale="Plain-HTTP ingress exposes credentials, cookies and data to anyone on the network path.",
    remediation="Add a spec.tls entry with a certificate Secret for every host the Ingress serves.",
    references=("https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0263",), "polaris": ("tlsSettingsMissing",)},
)


def _covered(host: str, tls_hosts: set[str]) -> bool:
    if host in tls_hosts:
        return True
    parent = host.split(".", 1)[1] if "." in host else ""
    return bool(parent) and f"*.{parent}" in tls_hosts


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.group not in ("networking.k8s.io", "extensions"):
        return
    tls = obj.spec.get("tls")
    if not isinstance(tls, list) or not tls:
        yield Violation(f"Ingress {obj.name} has no spec.tls: it serves plain HTTP", ("spec",))
        return
    hosts = {str(h) for t in tls if isinstance(t, dict) for h in t.get("hosts") or []}
    for i, rule in enumerate(obj.spec.get("rules") or []):
        host = rule.get("host") if isinstance(rule, dict) else None
        if host and not _covered(str(host), hosts):
            yield Violation(f"Ingress {obj.name}: host {host} has no TLS entry", ("spec", "rules", i, "host"))

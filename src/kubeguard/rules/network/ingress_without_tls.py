"""Ingress serves hosts without TLS.

## What it checks
Every Ingress (networking.k8s.io) for a `spec.tls` section, and every host named in its rules
for a TLS entry covering it (exact name or a `*.` wildcard one level up).  A TLS entry without
`hosts` covers every host (the API's default: the controller's wildcard host).  Certificates
attached through the load balancer's own annotations count as TLS:
`alb.ingress.kubernetes.io/certificate-arn` or an HTTPS `listen-ports` (AWS Load Balancer
Controller), `networking.gke.io/managed-certificates` and
`ingress.gcp.kubernetes.io/pre-shared-cert` (GKE), `appgw.ingress.kubernetes.io/appgw-ssl-certificate`
(Application Gateway).

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
TLS terminated in front of the controller by other means (a CDN, a load balancer configured
outside Kubernetes) does not show in the Ingress; exempt such Ingresses with a reason.

## Differences from Polaris and Kubescape
tlsSettingsMissing and C-0263 look only at `spec.tls`, so they fail Ingresses whose cloud load
balancer terminates TLS with an annotated certificate; those serve HTTPS, and this rule passes
them.
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


# Annotations with which a cloud load balancer controller terminates TLS itself.
LB_CERTIFICATE_ANNOTATIONS = ("alb.ingress.kubernetes.io/certificate-arn", "networking.gke.io/managed-certificates",
                              "ingress.gcp.kubernetes.io/pre-shared-cert",
                              "appgw.ingress.kubernetes.io/appgw-ssl-certificate")


def _lb_terminates_tls(obj: K8sObject) -> bool:
    ann = obj.annotations
    return any(ann.get(k) for k in LB_CERTIFICATE_ANNOTATIONS) or \
        "HTTPS" in str(ann.get("alb.ingress.kubernetes.io/listen-ports", ""))


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.group not in ("networking.k8s.io", "extensions") or _lb_terminates_tls(obj):
        return
    tls = obj.spec.get("tls")
    if not isinstance(tls, list) or not tls:
        yield Violation(f"Ingress {obj.name} has no spec.tls: it serves plain HTTP", ("spec", "tls"))
        return
    entries = [t for t in tls if isinstance(t, dict)]
    if any(not t.get("hosts") for t in entries):
        return  # an entry without hosts applies to every host the Ingress serves
    hosts = {str(h) for t in entries for h in t["hosts"] if isinstance(t["hosts"], list)}
    for i, rule in enumerate(obj.spec.get("rules") or []):
        host = rule.get("host") if isinstance(rule, dict) else None
        if host and not _covered(str(host), hosts):
            yield Violation(f"Ingress {obj.name}: host {host} has no TLS entry", ("spec", "rules", i, "host"))

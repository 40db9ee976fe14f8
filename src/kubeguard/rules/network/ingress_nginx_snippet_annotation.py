"""Ingress uses ingress-nginx snippet annotations.

## What it checks
Every Ingress for `nginx.ingress.kubernetes.io/*-snippet` annotations
(configuration-snippet, server-snippet, auth-snippet, stream-snippet...), which paste raw
NGINX configuration into the controller.

## Why it matters
Snippets run with the controller's privileges: CVE-2021-25742 showed that anyone allowed to
create an Ingress could read the controller's service account token and every Secret it can
reach (often all of them) through a crafted snippet.  Recent controllers disable snippets by
default for this reason.

## Failing example
```yaml
metadata:
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Frame-Options: DENY";
```

## Passing example
```yaml
metadata:
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW016",
    slug="ingress-nginx-snippet-annotation",
    title="Ingress uses ingress-nginx snippet annotations",
    severity="high",
    category="network",
    tags=("cve:CVE-2021-25742", "mitre:T1552"),
    target="object",
    kinds=("Ingress",),
    rationale=(
        "Snippet annotations inject raw NGINX configuration that runs with the controller's rights; "
        "CVE-2021-25742 turned them into a path to every Secret the controller can read."
    ),
    remediation="Replace the snippet with the dedicated annotation or a ConfigMap setting, and run the "
                "controller with allow-snippet-annotations disabled.",
    references=("https://github.com/kubernetes/ingress-nginx/issues/7837",
                "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/"),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0059",), "checkov": ("CKV_K8S_152", "CKV_K8S_153", "CKV_K8S_154")},
)

_PREFIX = "nginx.ingress.kubernetes.io/"


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    for key in sorted(obj.annotations):
        if key.startswith(_PREFIX) and key.endswith("-snippet"):
            yield Violation(f"Ingress {obj.name} sets {key}", ("metadata", "annotations", key))

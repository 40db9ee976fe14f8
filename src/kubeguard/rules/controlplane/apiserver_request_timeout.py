"""API server request timeout is unbounded or too long.

## What it checks
kube-apiserver's `--request-timeout` (a Go duration, default `1m0s`) in the
kube-apiserver static pod in kube-system (a manifest from /etc/kubernetes/manifests, or
the mirror Pod a live cluster returns): it must be positive and at most the
`max_seconds` parameter (300).

## Why it matters
Long or unbounded request timeouts let slow clients hold API server connections and
memory, a cheap denial of service.

## Failing example
```yaml
command:
  - kube-apiserver
  - --request-timeout=30m
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --request-timeout=300s
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER, format_seconds
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

from ._common import Instance, component_rule

META = RuleMeta(
    code="CP020",
    slug="apiserver-request-timeout",
    title="API server request timeout is unbounded or too long",
    severity="low",
    category="controlplane",
    tags=("cis-k8s:1.2.20",),
    target="cluster",
    requires=("Pod",),
    rationale="Very long request timeouts let slow or malicious clients tie up API server resources.",
    remediation="Leave --request-timeout at its default of 1m0s, or raise it only as far as slow links need.",
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://www.cisecurity.org/benchmark/kubernetes",
    ),
    params=(
        Param(name="max_seconds", type="int", default=300,
              description="Longest acceptable request timeout, in seconds."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0134",), "checkov": ("CKV_K8S_95",)},
)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    s = inst.flags["request-timeout"]
    seconds = s.seconds() or 0.0
    limit = ctx.params.max_seconds
    if seconds <= 0:
        yield inst.fail(s, f"sets no request timeout: {s.shown()}")
    elif seconds > limit:
        yield inst.fail(s, f"lets requests run longer than {format_seconds(limit)}: {s.shown()}")


applies, evaluate = component_rule(KUBE_APISERVER, check)

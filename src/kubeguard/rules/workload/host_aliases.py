"""Pod overrides name resolution with hostAliases.

## What it checks
Every pod spec for a non-empty `hostAliases` list.

## Why it matters
`hostAliases` writes entries into the pod's `/etc/hosts`, silently redirecting
names (a registry, an API, a database) to other addresses; it is hard to
audit and a convenient way to send traffic and credentials somewhere else.

## Failing example
```yaml
spec:
  hostAliases:
    - ip: 10.1.2.3
      hostnames: ["api.example.com"]
```

## Passing example
```yaml
spec:
  containers:
    - name: app
      image: app:1.0
```

## Exceptions
Legacy applications with hard-coded host names; prefer DNS (a Service or an
ExternalName) and exempt the rest.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL035",
    slug="host-aliases",
    title="Pod overrides name resolution with hostAliases",
    severity="low",
    category="workload",
    tags=("mitre:T1565",),
    target="workload",
    rationale=(
        "hostAliases rewrites /etc/hosts inside the pod, silently redirecting names to other addresses; it is "
        "hard to audit and easy to abuse."
    ),
    remediation="Remove spec.hostAliases and resolve the names through DNS (Services, ExternalName).",
    references=("https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0007",), "kubesec": ("HostAliases",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    aliases = pod.spec.get("hostAliases")
    if isinstance(aliases, list) and aliases:
        yield Violation(f"hostAliases adds {len(aliases)} /etc/hosts entr{'y' if len(aliases) == 1 else 'ies'}",
                        pod.path("hostAliases"))

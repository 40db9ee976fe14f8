"""Probe or lifecycle handler targets another host.

## What it checks
The `host` field of `httpGet` and `tcpSocket` in `livenessProbe`,
`readinessProbe`, `startupProbe` and `lifecycle.postStart` / `preStop` of
every container, init container and ephemeral container: it must be unset or
empty.  This is the Pod Security Standards baseline control *Host Probes /
Lifecycle Hooks*, enforced from policy 1.34; upstream forbids every non-empty
value, `localhost` and `127.0.0.1` included.

## Why it matters
The kubelet performs these requests from the node, to whatever host the pod
names: a blind server-side request forgery from the node's network position
(cloud metadata, node-local services, other tenants' endpoints).

## Failing example
```yaml
livenessProbe:
  httpGet:
    host: 169.254.169.254
    path: /latest/meta-data/
    port: 80
```

## Passing example
```yaml
livenessProbe:
  httpGet:
    path: /healthz
    port: 8080
```

## Exceptions
Probes of a `hostNetwork` pod on its own node address; use an exec probe
instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import HANDLER_ACTIONS, LIFECYCLE_FIELDS, PROBE_FIELDS, policy_version
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL031",
    slug="probe-or-lifecycle-host",
    title="Probe or lifecycle handler targets another host",
    severity="medium",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1090"),
    target="workload",
    rationale=(
        "The kubelet sends probe and lifecycle requests from the node to the named host: a blind request forgery "
        "towards metadata endpoints and node-local services."
    ),
    remediation="Remove the host field from httpGet and tcpSocket handlers (they then target the pod IP), or use an exec probe.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
                "https://github.com/kubernetes/enhancements/tree/master/keps/sig-auth/4940-psa-block-host-field-in-probes"),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if policy_version(ctx) < (1, 34):
        return
    for c in pod.all_containers():
        raw = c.raw
        for probe in PROBE_FIELDS:
            handler = raw.get(probe)
            if isinstance(handler, dict):
                yield from _check(c, handler, (probe,))
        lifecycle = raw.get("lifecycle")
        if isinstance(lifecycle, dict):
            for hook in LIFECYCLE_FIELDS:
                handler = lifecycle.get(hook)
                if isinstance(handler, dict):
                    yield from _check(c, handler, ("lifecycle", hook))


def _check(c, handler: dict, where: tuple[str, ...]) -> Iterator[Violation]:
    for action in HANDLER_ACTIONS:
        a = handler.get(action)
        if isinstance(a, dict):
            host = a.get("host")
            if host is not None and host != "":
                yield Violation(f"container {c.name!r} {'.'.join(where)}.{action} targets host {host!r}",
                                c.path(*where, action, "host"), container=c.name)

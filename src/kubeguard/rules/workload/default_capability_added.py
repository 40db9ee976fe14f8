"""Container adds a default capability other than NET_BIND_SERVICE.

## What it checks
`securityContext.capabilities.add` of every container, init container and
ephemeral container for names of the baseline set other than
`NET_BIND_SERVICE` (`CHOWN`, `SETUID`, `KILL`...).  Together with
`non-default-capability-added`, which reports every name outside the baseline
set, this is the Pod Security Standards restricted rule "add may only contain
`NET_BIND_SERVICE`"; the two never report the same entry.  Windows pods are
not checked from policy 1.25, as upstream.

## Why it matters
Re-adding default capabilities after `drop: [ALL]` undoes the hardening:
`SETUID`/`SETGID` change identity, `DAC_OVERRIDE` ignores file permissions,
`CHOWN` and `FOWNER` take over files.

## Failing example
```yaml
securityContext:
  capabilities:
    drop: ["ALL"]
    add: ["CHOWN"]
```

## Passing example
```yaml
securityContext:
  capabilities:
    drop: ["ALL"]
    add: ["NET_BIND_SERVICE"]
```

## Exceptions
Images that chown files at start-up need `CHOWN`; fix the image instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.capabilities import entries
from kubeguard.rules._helpers.pss import BASELINE_CAPABILITIES, RESTRICTED_ADD_ALLOWED, policy_version, windows_exempt
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL018",
    slug="default-capability-added",
    title="Container adds a default capability other than NET_BIND_SERVICE",
    severity="low",
    category="workload",
    tags=("pss:restricted",),
    target="workload",
    rationale=(
        "Adding back default capabilities such as SETUID, DAC_OVERRIDE or CHOWN undoes drop: [ALL] and lets the "
        "process change identity or ignore file permissions."
    ),
    remediation="Remove the capability from capabilities.add; only NET_BIND_SERVICE may be added back.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0106",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if windows_exempt(pod.spec, policy_version(ctx)):
        return
    for c in pod.all_containers():
        for i, name in entries(c, "add"):
            if name in BASELINE_CAPABILITIES and name != RESTRICTED_ADD_ALLOWED:
                yield Violation(f"container {c.name!r} adds capability {name!r}; only NET_BIND_SERVICE may be added",
                                c.path("securityContext", "capabilities", "add", i), container=c.name)

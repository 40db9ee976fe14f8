"""AppArmor profile is set to unconfined or another disallowed value.

## What it checks
The Pod Security Standards baseline control *AppArmor*, through both channels
upstream admission reads:

- `securityContext.appArmorProfile.type` of the pod and of every container,
  init container and ephemeral container must be `RuntimeDefault` or
  `Localhost` (`Unconfined`, or a profile without a type, fail);
- the deprecated pod annotations
  `container.apparmor.security.beta.kubernetes.io/<container>` must be empty,
  `runtime/default` or `localhost/<profile>`.

Leaving AppArmor unset is allowed: the runtime's default profile applies.

## Why it matters
`unconfined` removes the mandatory access control layer that blocks writes to
`/proc` and `/sys` entries, mounts and raw access used by many escapes.

## Failing example
```yaml
metadata:
  annotations:
    container.apparmor.security.beta.kubernetes.io/app: unconfined
spec:
  securityContext:
    appArmorProfile:
      type: Unconfined
```

## Passing example
```yaml
spec:
  securityContext:
    appArmorProfile:
      type: RuntimeDefault
```

## Exceptions
Only Linux nodes with AppArmor enforce it; the standard checks it anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.pss import (
    APPARMOR_ANNOTATION_PREFIX,
    APPARMOR_TYPES,
    apparmor_annotation_allowed,
    metadata_path,
)
from kubeguard.rules._helpers.securitycontext import disallowed_profiles
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL024",
    slug="apparmor-profile-disallowed",
    title="AppArmor profile is set to unconfined or another disallowed value",
    severity="medium",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611"),
    target="workload",
    rationale=(
        "An unconfined AppArmor profile removes the mandatory access control that blocks writes to /proc and "
        "/sys, mounts and other escape steps."
    ),
    remediation=(
        "Set appArmorProfile.type to RuntimeDefault or Localhost (or remove it), and remove annotations that set "
        "unconfined."
    ),
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
                "https://kubernetes.io/docs/tutorials/security/apparmor/"),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"trivy": ("KSV-0002",), "kubesec": ("ApparmorUnconfined",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    yield from disallowed_profiles(pod, "appArmorProfile", APPARMOR_TYPES)
    for key, value in pod.annotations.items():
        if isinstance(key, str) and key.startswith(APPARMOR_ANNOTATION_PREFIX) and not apparmor_annotation_allowed(value):
            container = key[len(APPARMOR_ANNOTATION_PREFIX):]
            yield Violation(f"annotation {key} sets AppArmor profile {value!r} for container {container!r}",
                            metadata_path(pod, "annotations", key), container=container or None)


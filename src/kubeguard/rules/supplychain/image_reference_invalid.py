"""Container image reference is empty or malformed.

## What it checks
The `image` of every container, init container and ephemeral container against the reference
grammar container runtimes use: `[registry[:port]/]path[:tag][@digest]` with a lower-case
path, a tag of at most 128 characters from `[A-Za-z0-9_.-]` not starting with `.` or `-`, and a
digest of a supported algorithm with the exact hex length.  Empty images are reported too.

## Why it matters
The kubelet cannot pull a malformed reference: the pod sits in `InvalidImageName` and the
rollout never completes.  Upper-case repository names and stray whitespace from templating
are the usual causes.

## Failing example
```yaml
image: "ghcr.io/Example/Web:1.4.2 "
```

## Passing example
```yaml
image: ghcr.io/example/web:1.4.2
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.images import parse_image
from kubeguard.rules._helpers.sensitive import credential_kinds
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SU008",
    slug="image-reference-invalid",
    title="Container image reference is empty or malformed",
    severity="medium",
    category="supplychain",
    target="workload",
    rationale=(
        "A malformed image reference cannot be pulled: the pod stays in InvalidImageName and the rollout "
        "never completes."
    ),
    remediation="Write the image as registry/path:tag@sha256:digest with a lower-case path and no whitespace.",
    references=(
        "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        "https://github.com/distribution/reference/blob/main/reference.go",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


# $VAR / ${VAR}, <placeholder>, {{ template }}, UPPER_CASE_TOKENS and the usual single-word ones
_PLACEHOLDER = re.compile(r"\$\{?[A-Za-z_]|<[^>]+>|\{\{|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b(REGION|REPOSITORY)\b")


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        raw = c.raw.get("image")
        if raw is not None and not isinstance(raw, str):
            yield Violation(f"container {c.name!r} image is not a string", c.path("image"), container=c.name)
            continue
        ref = parse_image(raw or "")
        if not ref.valid:
            if raw and raw.startswith("ko://"):
                hint = "; it is a ko build path, which `ko resolve` replaces with an image"
            elif raw and _PLACEHOLDER.search(raw):
                hint = "; it looks like an unsubstituted template placeholder"
            else:
                hint = ""
            kinds = credential_kinds(raw)
            shown = f"image ({kinds[0]}, not repeated)" if kinds else f"image {raw!r}"
            yield Violation(f"container {c.name!r} {shown}: {ref.error}{hint}", c.path("image"), container=c.name)

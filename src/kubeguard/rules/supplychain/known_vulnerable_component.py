"""Container runs a component version with a known critical vulnerability.

## What it checks
The image tag of well-known cluster components against versions affected by vulnerabilities
that peers track as configuration checks:

* Argo CD before 2.1.9, 2.2.0 to 2.2.3 and 2.3.0 release candidates: CVE-2022-24348, path
  traversal that lets a user with create-app rights read any file of the repo server;
* Grafana 9.2.0 to 9.2.3: CVE-2022-39328, authentication bypass of admin endpoints;
* Kyverno 1.8.3 and 1.8.4: CVE-2022-47633, image signature verification bypass.

The component is recognised by repository path (`argoproj/argocd`, `grafana/grafana*`,
`kyverno/kyverno`) on any registry; versions come from the tag (`v` prefix and variant
suffixes such as `-ubuntu` ignored, `-rcN` treated as a pre-release).  Images without a
readable version (digest only, `latest`) are not judged; use an image scanner for the full
picture.

## Why it matters
These components hold cluster-wide power (deploy anything, read dashboards' data sources,
decide which images may run); a known exploit in them is a direct path to the cluster.

## Failing example
```yaml
image: quay.io/argoproj/argocd:v2.2.3
```

## Passing example
```yaml
image: quay.io/argoproj/argocd:v2.12.3
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.images import parse_image
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SU010",
    slug="known-vulnerable-component",
    title="Container runs a component version with a known critical vulnerability",
    severity="high",
    category="supplychain",
    tags=("mitre:T1190",),
    target="workload",
    rationale=(
        "Cluster components such as Argo CD, Grafana and Kyverno hold wide power; running a version with a "
        "public exploit hands that power to whoever uses it."
    ),
    remediation="Upgrade the component to a fixed release (the finding names the first fixed version).",
    references=(
        "https://nvd.nist.gov/vuln/detail/CVE-2022-24348",
        "https://nvd.nist.gov/vuln/detail/CVE-2022-39328",
        "https://nvd.nist.gov/vuln/detail/CVE-2022-47633",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0081", "C-0090", "C-0091")},
)

Version = tuple[int, int, int, int, int]  # major, minor, patch, release flag (1 = final), pre-release number


@dataclass(frozen=True)
class Advisory:
    cve: str
    component: str
    paths: re.Pattern[str]
    affected: tuple[tuple[Version, Version], ...]  # [low, high) ranges
    fixed: str


def v(text: str) -> Version:
    found = parse_version(text)
    assert found is not None, text
    return found


_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-(?:(rc|alpha|beta)\.?(\d*))?[0-9A-Za-z.-]*)?$")


def parse_version(tag: str) -> Version | None:
    m = _VERSION.match(tag)
    if m is None:
        return None
    pre = m.group(4)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)), 0 if pre else 1, int(m.group(5) or 0))


ADVISORIES = (
    Advisory("CVE-2022-24348", "Argo CD", re.compile(r"(^|/)argoproj/argocd$"),
             ((v("0.0.0-rc0"), v("2.1.9")), (v("2.2.0-rc0"), v("2.2.4")), (v("2.3.0-rc0"), v("2.3.0"))),
             "2.1.9, 2.2.4 or 2.3.0"),
    Advisory("CVE-2022-39328", "Grafana", re.compile(r"(^|/)grafana/grafana(-oss|-enterprise)?$"),
             ((v("9.2.0"), v("9.2.4")),), "9.2.4"),
    Advisory("CVE-2022-47633", "Kyverno", re.compile(r"(^|/)kyverno/kyverno$"),
             ((v("1.8.3"), v("1.8.5")),), "1.8.5"),
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        ref = parse_image(c.image)
        if not ref.valid or not ref.tag:
            continue
        version = parse_version(ref.tag)
        if version is None:
            continue
        for adv in ADVISORIES:
            if adv.paths.search(ref.path) and any(low <= version < high for low, high in adv.affected):
                yield Violation(f"container {c.name!r} runs {adv.component} {ref.tag}, affected by {adv.cve}; "
                                f"upgrade to {adv.fixed} or later", c.path("image"), container=c.name)

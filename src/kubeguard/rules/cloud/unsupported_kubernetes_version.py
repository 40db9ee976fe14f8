"""The cluster runs a Kubernetes version its provider no longer supports.

## What it checks
The control-plane minor version against the provider's support calendar (one
table in `rules/_helpers/support_calendar.py` with its sources): EKS
`cluster.version` (or `versionStatus` from `aws eks describe-cluster-versions`
when exported), AKS `currentKubernetesVersion` (long-term support counts when
`supportPlan` is `AKSLongTermSupport`), GKE `currentMasterVersion` (the Extended
release channel counts as extended support).  Past the end of all support it
fails; on paid extended support it fails only with
`require_standard_support: true`.  `as_of` pins the date (default: today).

## Why it matters
Unsupported versions get no security patches: every Kubernetes CVE published
after the end date stays open, and forced provider upgrades arrive unplanned.

## Failing example
```json
{"cluster": {"name": "legacy", "version": "1.28"}}
```

## Passing example
```json
{"cluster": {"name": "current", "version": "1.35"}}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from kubeguard.model import NotEvaluated, Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._helpers.support_calendar import SOURCES, minor_of, support
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="CL011",
    slug="unsupported-kubernetes-version",
    title="Kubernetes version is past its provider's support",
    severity="high",
    category="cloud",
    tags=("lifecycle",),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "A version past its support date receives no security fixes, so every later Kubernetes CVE stays "
        "exploitable and the provider eventually forces an unplanned upgrade."
    ),
    remediation="Upgrade the control plane, then the node pools, to a minor version in standard support.",
    references=tuple(SOURCES.values()),
    params=(
        Param(name="as_of", type="str", default="",
              description="Date (YYYY-MM-DD) to judge support on; empty means today."),
        Param(name="require_standard_support", type="bool", default=False,
              description="Also fail versions on paid extended or long-term support."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0273",)},
)

applies = applies_to()


def _today(params) -> date:
    if not params.as_of:
        return date.today()
    try:
        return date.fromisoformat(params.as_of)
    except ValueError:
        raise NotEvaluated(f"parameter as_of {params.as_of!r} is not a YYYY-MM-DD date") from None


def _judge(c: Cloud, params, path: tuple[str, ...], version: str, extended_ok: bool) -> Iterator[Violation]:
    """``extended_ok``: the cluster is entitled to the second date (EKS always, AKS LTS plan, GKE Extended channel)."""
    status, std, ext = support(c.provider, version, _today(params))
    if status == "unknown":
        raise NotEvaluated(f"version {version!r} is not in the {c.provider} support calendar")
    if status == "extended" and not extended_ok:
        status = "unsupported"
    if status == "unsupported":
        end = ext if extended_ok else std
        yield c.fail(f"Kubernetes {minor_of(version)} is out of support" + (f" since {end}" if end else ""),
                     path, version)
    elif status == "extended" and params.require_standard_support:
        yield c.fail(f"Kubernetes {minor_of(version)} is on extended support since {std}", path, version)


def _eks(c: Cloud, params) -> Iterator[Violation]:
    version = c.require("version")
    for v in c.facts.get("clusterVersions") or []:
        if v.get("clusterVersion") == version and v.get("versionStatus"):
            status = v["versionStatus"]
            if status == "UNSUPPORTED" or (status == "EXTENDED_SUPPORT" and params.require_standard_support):
                yield c.fail(f"Kubernetes {version} is {status}", ("version",), version,
                             more={"clusterVersions[].versionStatus": status})
            return
    yield from _judge(c, params, ("version",), version, extended_ok=True)


def _aks(c: Cloud, params) -> Iterator[Violation]:
    key = "currentKubernetesVersion" if c.value("currentKubernetesVersion") else "kubernetesVersion"
    version = c.require(key)
    yield from _judge(c, params, (key,), version, extended_ok=c.value("supportPlan") == "AKSLongTermSupport")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    version = c.require("currentMasterVersion")
    yield from _judge(c, params, ("currentMasterVersion",), version,
                      extended_ok=c.value("releaseChannel", "channel") == "EXTENDED")


evaluate = by_provider(eks=_eks, aks=_aks, gke=_gke)

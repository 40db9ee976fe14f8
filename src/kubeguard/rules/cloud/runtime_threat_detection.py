"""No runtime threat detection watches the nodes and containers.

## What it checks
EKS: GuardDuty (`aws guardduty get-detector`) must be `ENABLED` with the
`RUNTIME_MONITORING` (or `EKS_RUNTIME_MONITORING`) feature on and its
`EKS_ADDON_MANAGEMENT` configuration enabled, or the `aws-guardduty-agent`
add-on `ACTIVE`.  AKS `securityProfile.defender.securityMonitoring.enabled`
must be `true`.  For every provider a known runtime agent DaemonSet in the
cluster (Falco, Tetragon, GuardDuty, Defender, Sysdig...) also passes.  GKE
Container Threat Detection is a Security Command Center setting outside the
cluster description, so without an agent the GKE result is UNKNOWN; so is EKS
without the GuardDuty or add-on export.

## Why it matters
Preventive controls fail eventually; runtime detection is what notices a shell
in a container, a crypto miner or credential access while it happens.

## Failing example
```json
{"securityProfile": {"defender": null}}
```

## Passing example
```json
{"securityProfile": {"defender": {"securityMonitoring": {"enabled": true}}}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, Violation
from kubeguard.rules._helpers.cloud import applies_to, cloud_of, runtime_agents
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL015",
    slug="runtime-threat-detection",
    title="No runtime threat detection for the cluster",
    severity="medium",
    category="cloud",
    tags=("cis-aks:5.1.1",),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Runtime detection notices shells in containers, miners and credential theft as they happen; without it "
        "a breach that slips past admission controls goes unseen."
    ),
    remediation=(
        "EKS: enable GuardDuty Runtime Monitoring with automated agent management; AKS: az aks update "
        "--enable-defender; GKE: enable Security Command Center Container Threat Detection, or run a runtime "
        "agent such as Falco or Tetragon."
    ),
    references=(
        "https://docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring.html",
        "https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction",
        "https://cloud.google.com/security-command-center/docs/concepts-container-threat-detection-overview",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
)

applies = applies_to()
EKS_FEATURES = ("RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING")


def evaluate(cluster, ctx) -> Iterator[Violation]:
    c = cloud_of(ctx)
    if runtime_agents(cluster):
        return
    if c.provider == "eks":
        agent = (c.facts.get("addons") or {}).get("aws-guardduty-agent") or {}
        if agent.get("status") == "ACTIVE":
            return
        gd = c.facts.get("guardDuty")
        if gd is None:
            raise c.unknown("GuardDuty settings (aws guardduty get-detector)", "guardDuty")
        for f in gd.get("Features") or []:
            if f.get("Name") in EKS_FEATURES and f.get("Status") == "ENABLED" and gd.get("Status") == "ENABLED":
                extra = {a.get("Name"): a.get("Status") for a in f.get("AdditionalConfiguration") or []}
                if extra.get("EKS_ADDON_MANAGEMENT") == "ENABLED":
                    return
        features = {f.get("Name"): f.get("Status") for f in gd.get("Features") or [] if f.get("Name") in EKS_FEATURES}
        yield c.fail("GuardDuty runtime monitoring does not cover EKS", ("Features",), features or None,
                     part="guardDuty", root=None, more={"Status": gd.get("Status")})
    elif c.provider == "aks":
        c.require("name")
        path = ("securityProfile", "defender", "securityMonitoring", "enabled")
        if c.value(*path) is not True:
            yield c.fail("Microsoft Defender runtime monitoring is off", path, c.get(*path))
    else:
        raise NotEvaluated("GKE Container Threat Detection is a Security Command Center setting, not part of the "
                           "cluster description, and no runtime agent DaemonSet was found")

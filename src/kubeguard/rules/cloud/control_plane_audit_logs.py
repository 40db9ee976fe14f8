"""Control-plane audit logs are not collected.

## What it checks
EKS `cluster.logging.clusterLogging[]` must enable every type in the
`eks_log_types` parameter (by default all five the CIS benchmark asks for:
`api`, `audit`, `authenticator`, `controllerManager`, `scheduler`).  AKS needs a
diagnostic setting (`az monitor diagnostic-settings list --resource <cluster id>`)
that sends `kube-audit` or `kube-audit-admin` (or the `audit`/`allLogs` category
group) to a destination; without that export the result is UNKNOWN.  GKE
`loggingService` must be `logging.googleapis.com/kubernetes` (Admin Activity
audit logs are always written by Cloud Audit Logs; this checks that cluster and
control-plane logs reach Cloud Logging at all).

## Why it matters
Audit logs are how you find out who read a Secret, created a privileged pod or
changed RBAC; without them an intrusion leaves no trail.

## Failing example
```json
{"cluster": {"logging": {"clusterLogging": [{"types": ["api", "audit"], "enabled": false}]}}}
```

## Passing example
```json
{"cluster": {"logging": {"clusterLogging": [{"types": ["api", "audit", "authenticator",
  "controllerManager", "scheduler"], "enabled": true}]}}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="CL004",
    slug="control-plane-audit-logs",
    title="Control-plane audit logs are not collected",
    severity="high",
    category="cloud",
    tags=("cis-eks:2.1.1", "cis-aks:2.1.1", "cis-gke:5.7.1", "mitre:T1562"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Audit logs record every API request: without them there is no way to see who read Secrets, created "
        "privileged pods or changed RBAC, before or after an incident."
    ),
    remediation=(
        "EKS: aws eks update-cluster-config --logging with the audit types enabled; AKS: add a diagnostic "
        "setting sending kube-audit-admin (or kube-audit) to Log Analytics or storage; GKE: gcloud container "
        "clusters update --logging=SYSTEM,WORKLOAD,API_SERVER."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
        "https://learn.microsoft.com/azure/aks/monitor-aks-reference#resource-logs",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/audit-logging",
    ),
    params=(Param(name="eks_log_types", type="list[str]",
                  default=["api", "audit", "authenticator", "controllerManager", "scheduler"],
                  description="EKS control-plane log types that must be enabled (CIS EKS 2.1.1 asks for all five)."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0067", "C-0254"), "trivy": ("AVD-AWS-0038", "AVD-GCP-0060")},
)

applies = applies_to()
AKS_AUDIT = ("kube-audit", "kube-audit-admin")
AKS_GROUPS = ("audit", "alllogs")
DESTINATIONS = ("workspaceId", "storageAccountId", "eventHubAuthorizationRuleId", "marketplacePartnerId")


def _eks(c: Cloud, params) -> Iterator[Violation]:
    setups = c.require("logging", "clusterLogging")
    enabled = {t for s in setups if isinstance(s, dict) and s.get("enabled") is True for t in s.get("types") or []}
    missing = [t for t in params.eks_log_types if t not in enabled]
    if missing:
        yield c.fail(f"control-plane log types not enabled: {', '.join(missing)}", ("logging", "clusterLogging"),
                     setups)


def _aks(c: Cloud, params) -> Iterator[Violation]:
    if not c.has("diagnosticSettings"):
        raise c.unknown("diagnostic settings (az monitor diagnostic-settings list --resource <cluster id>)",
                        "diagnosticSettings")
    settings = c.facts.get("diagnosticSettings") or []
    for s in settings:
        if not any(s.get(k) for k in DESTINATIONS):
            continue
        for log in s.get("logs") or []:
            if log.get("enabled") is True and (log.get("category") in AKS_AUDIT
                                               or str(log.get("categoryGroup") or "").lower() in AKS_GROUPS):
                return
    shown = [{"name": s.get("name"), "audit": [lg.get("category") for lg in s.get("logs") or []
                                               if lg.get("category") in AKS_AUDIT and lg.get("enabled")]}
             for s in settings]
    yield c.fail("no diagnostic setting sends kube-audit or kube-audit-admin logs to a destination",
                 ("diagnosticSettings",), shown, part="diagnosticSettings", root=None)


def _gke(c: Cloud, params) -> Iterator[Violation]:
    service = c.require("loggingService")
    if service != "logging.googleapis.com/kubernetes":
        yield c.fail("cluster logging to Cloud Logging is off", ("loggingService",), service)


evaluate = by_provider(eks=_eks, aks=_aks, gke=_gke)

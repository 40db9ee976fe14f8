"""Pods can reach the node's cloud metadata service and its credentials.

## What it checks
EKS: each node group's launch template (`aws ec2 describe-launch-template-versions`)
must set `MetadataOptions.HttpTokens: required` and `HttpPutResponseHopLimit: 1`
(or disable the endpoint), so pods behind the extra network hop cannot fetch the
node role's credentials; Auto Mode enforces this; without the launch-template
export the result is UNKNOWN.  GKE: every node pool must run the GKE metadata
server (`config.workloadMetadataConfig.mode: GKE_METADATA`) and must not
re-enable the legacy endpoints (`config.metadata["disable-legacy-endpoints"]:
"false"`).  AKS has no generally available setting (the preview
`networkProfile.podLinkLocalAccess: None` passes); otherwise the result is
UNKNOWN and a NetworkPolicy denying egress to 169.254.169.254/32 is the control.

## Why it matters
The metadata service hands out the node's cloud credentials; a pod that can reach
it, through SSRF or code execution, acts as the node in the cloud account.

## Failing example
```json
{"nodePools": [{"name": "default-pool", "config": {"metadata": {"disable-legacy-endpoints": "false"}}}]}
```

## Passing example
```json
{"nodePools": [{"name": "default-pool", "config": {"workloadMetadataConfig": {"mode": "GKE_METADATA"},
  "metadata": {"disable-legacy-endpoints": "true"}}}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, Violation
from kubeguard.rules._helpers.cloud import Cloud, applies_to, by_provider, eks_nodegroups, gke_standard_node_pools
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL013",
    slug="metadata-server-protection",
    title="Pods can reach the node's cloud metadata credentials",
    severity="high",
    category="cloud",
    tags=("cis-gke:5.4.1", "mitre:T1552.005"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "The instance metadata service returns the node's cloud credentials to any caller that reaches it; "
        "from a pod that is a one-request path from SSRF to the node's cloud role."
    ),
    remediation=(
        "EKS: set HttpTokens=required and HttpPutResponseHopLimit=1 in the node group launch template; GKE: "
        "--workload-metadata=GKE_METADATA on every node pool; AKS: deny egress to 169.254.169.254/32 with a "
        "NetworkPolicy (or podLinkLocalAccess None where available)."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata",
        "https://learn.microsoft.com/azure/aks/operator-best-practices-cluster-security",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"trivy": ("AVD-GCP-0057",)},
)

applies = applies_to()


def _eks(c: Cloud, params) -> Iterator[Violation]:
    templates = c.facts.get("launchTemplates") or {}
    unknown = []
    for ng in eks_nodegroups(c):
        name = ng.get("nodegroupName")
        lt = ng.get("launchTemplate") or {}
        version = templates.get(str(lt.get("id")), {}).get(str(lt.get("version")))
        if version is None:
            unknown.append(f"{name} ({'launch template ' + str(lt.get('id')) if lt else 'EKS default template'})")
            continue
        opts = c.at(version, ("LaunchTemplateData", "MetadataOptions"))
        opts = opts if isinstance(opts, dict) else {}
        if opts.get("HttpEndpoint") == "disabled":
            continue
        tokens, hops = opts.get("HttpTokens", "optional"), opts.get("HttpPutResponseHopLimit", 1)
        if tokens != "required" or (isinstance(hops, int) and hops > 1):
            yield c.fail(f"node group {name} lets pods reach IMDS", ("launchTemplate",), lt, part="nodegroup",
                         root="nodegroup", more={"LaunchTemplateData.MetadataOptions.HttpTokens": tokens,
                                                 "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit": hops})
    if unknown:
        raise NotEvaluated("instance metadata options of node groups " + ", ".join(unknown) +
                           " are not in the export (aws ec2 describe-launch-template-versions)")


def _aks(c: Cloud, params) -> Iterator[Violation]:
    c.require("name")
    if c.value("networkProfile", "podLinkLocalAccess") == "None":
        return
    raise NotEvaluated("AKS has no generally available setting that blocks pod access to IMDS; check for a "
                       "NetworkPolicy denying egress to 169.254.169.254/32")


def _gke(c: Cloud, params) -> Iterator[Violation]:
    for i, p in enumerate(gke_standard_node_pools(c)):
        mode = c.at(p, ("config", "workloadMetadataConfig", "mode"))
        if mode != "GKE_METADATA":
            yield c.fail(f"node pool {p.get('name')} exposes the VM metadata server to pods",
                         ("nodePools", i, "config", "workloadMetadataConfig", "mode"), mode)
        legacy = c.at(p, ("config", "metadata", "disable-legacy-endpoints"))
        if legacy == "false":
            yield c.fail(f"node pool {p.get('name')} re-enables the legacy metadata endpoints",
                         ("nodePools", i, "config", "metadata", "disable-legacy-endpoints"), legacy)


evaluate = by_provider(eks=_eks, aks=_aks, gke=_gke)

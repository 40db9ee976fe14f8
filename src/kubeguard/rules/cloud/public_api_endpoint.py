"""The Kubernetes API server is reachable through a public endpoint.

## What it checks
The managed control plane's endpoint exposure, per provider:
EKS `cluster.resourcesVpcConfig.endpointPublicAccess` must be `false` (with
`endpointPrivateAccess: true`); AKS `apiServerAccessProfile.enablePrivateCluster`
must be `true` and `enablePrivateClusterPublicFqdn` not `true`; GKE
`controlPlaneEndpointsConfig.ipEndpointsConfig.enablePublicEndpoint` must be
`false` (older descriptions: `privateClusterConfig.enablePrivateEndpoint: true`)
and `controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic` not `true`.

## Why it matters
A public API endpoint can be attacked from anywhere: credential stuffing with
leaked kubeconfigs, exploitation of API server CVEs, and anonymous discovery.
A private endpoint limits that to networks you control.

## Failing example
```json
{"cluster": {"resourcesVpcConfig": {"endpointPublicAccess": true, "endpointPrivateAccess": false}}}
```

## Passing example
```json
{"cluster": {"resourcesVpcConfig": {"endpointPublicAccess": false, "endpointPrivateAccess": true}}}
```

## Exceptions
A public endpoint restricted to a few CIDRs is a common, accepted compromise;
`api-server-authorized-networks` checks that restriction.  Exempt this rule for
such clusters with an owner and an expiry.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import applies_to, cloud_of, public_endpoint
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL001",
    slug="public-api-endpoint",
    title="Kubernetes API server has a public endpoint",
    severity="high",
    category="cloud",
    tags=("cis-eks:5.4.2", "cis-aks:5.4.2", "cis-gke:5.6.4", "mitre:T1133"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "A control plane reachable from the internet is exposed to credential stuffing, stolen kubeconfigs and "
        "API server vulnerabilities; a private endpoint keeps it inside networks you control."
    ),
    remediation=(
        "Disable the public endpoint: EKS aws eks update-cluster-config --resources-vpc-config "
        "endpointPublicAccess=false,endpointPrivateAccess=true; AKS create the cluster with "
        "--enable-private-cluster; GKE gcloud container clusters update --no-enable-public-endpoint (or "
        "--enable-private-endpoint)."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        "https://learn.microsoft.com/azure/aks/private-clusters",
        "https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0228", "C-0252"), "checkov": ("CKV_AWS_39",), "trivy": ("AVD-AWS-0040",)},
)

applies = applies_to()


def evaluate(cluster, ctx) -> Iterator[Violation]:
    c = cloud_of(ctx)
    public, path, value, more = public_endpoint(c)
    if public is None:
        raise c.unknown(c.field(*path) if path else "the cluster description")
    if public:
        yield c.fail("the API server has a public endpoint", path, value, more=more)

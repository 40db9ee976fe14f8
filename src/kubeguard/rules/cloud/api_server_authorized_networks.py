"""The public API endpoint accepts connections from any address.

## What it checks
Only for clusters whose API server has a public endpoint (see
`public-api-endpoint`): EKS `cluster.resourcesVpcConfig.publicAccessCidrs` must be
non-empty without `0.0.0.0/0` or `::/0`; AKS `apiServerAccessProfile.authorizedIpRanges`
must be non-empty without `0.0.0.0/0`; GKE authorized networks
(`controlPlaneEndpointsConfig.ipEndpointsConfig.authorizedNetworksConfig`, older
`masterAuthorizedNetworksConfig`) must be `enabled`, list no `0.0.0.0/0` and not
set `gcpPublicCidrsAccessEnabled`.  Private clusters are not applicable: EKS keeps
showing a stale `publicAccessCidrs: ["0.0.0.0/0"]` after public access is turned
off, and that must not fail.

## Why it matters
An allow-list turns an internet-facing API server into one reachable from a few
known networks, which removes most opportunistic attacks.

## Failing example
```json
{"cluster": {"resourcesVpcConfig": {"endpointPublicAccess": true, "publicAccessCidrs": ["0.0.0.0/0"]}}}
```

## Passing example
```json
{"cluster": {"resourcesVpcConfig": {"endpointPublicAccess": true, "publicAccessCidrs": ["203.0.113.0/24"]}}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.cloud import MISSING, Cloud, cloud_of, public_endpoint
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL002",
    slug="api-server-authorized-networks",
    title="Public API endpoint is open to every address",
    severity="high",
    category="cloud",
    tags=("cis-eks:5.4.1", "cis-aks:5.4.1", "cis-gke:5.6.3"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "When the API server must stay public, an allow-list of source CIDRs is what keeps scanners, "
        "credential stuffing and exploit attempts away from it."
    ),
    remediation=(
        "Restrict the public endpoint to known CIDRs: EKS --resources-vpc-config publicAccessCidrs=CIDR,...; "
        "AKS az aks update --api-server-authorized-ip-ranges CIDR,...; GKE gcloud container clusters update "
        "--enable-master-authorized-networks --master-authorized-networks CIDR,...; or make the endpoint private."
    ),
    references=(
        "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges",
        "https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0227", "C-0247"), "trivy": ("AVD-AWS-0041", "AVD-GCP-0061")},
)

OPEN = ("0.0.0.0/0", "::/0")


def applies(cluster, ctx) -> bool:
    c = cloud_of(ctx)
    return c is not None and public_endpoint(c)[0] is True


def evaluate(cluster, ctx) -> Iterator[Violation]:
    c = cloud_of(ctx)
    yield from {"eks": _eks, "aks": _aks, "gke": _gke}[c.provider](c)


def _eks(c: Cloud) -> Iterator[Violation]:
    path = ("resourcesVpcConfig", "publicAccessCidrs")
    cidrs = c.get(*path)
    if cidrs is MISSING:
        raise c.unknown(c.field(*path))
    if not cidrs or any(x in OPEN for x in cidrs):
        yield c.fail("the public API endpoint accepts every source address", path, cidrs)


def _aks(c: Cloud) -> Iterator[Violation]:
    path = ("apiServerAccessProfile", "authorizedIpRanges")
    ranges = c.value(*path, default=[])
    if not ranges or any(x in OPEN for x in ranges):
        yield c.fail("the public API endpoint has no authorized IP ranges", path, ranges or None)


def _gke(c: Cloud) -> Iterator[Violation]:
    base = ("controlPlaneEndpointsConfig", "ipEndpointsConfig", "authorizedNetworksConfig")
    if c.get(*base) is MISSING:
        base = ("masterAuthorizedNetworksConfig",)
    if c.value(*base, "enabled") is not True:
        yield c.fail("authorized networks are not enabled on the public endpoint", (*base, "enabled"),
                     c.get(*base, "enabled"))
        return
    for i, block in enumerate(c.value(*base, "cidrBlocks", default=[])):
        if isinstance(block, dict) and block.get("cidrBlock") in OPEN:
            yield c.fail("an authorized network allows every address", (*base, "cidrBlocks", i, "cidrBlock"),
                         block.get("cidrBlock"))
    if c.value(*base, "gcpPublicCidrsAccessEnabled") is True:
        yield c.fail("every Google Cloud public IP may reach the endpoint", (*base, "gcpPublicCidrsAccessEnabled"),
                     True)

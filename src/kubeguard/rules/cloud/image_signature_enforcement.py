"""Nothing enforces image signatures or provenance at admission.

## What it checks
GKE `binaryAuthorization.evaluationMode` must be `PROJECT_SINGLETON_POLICY_ENFORCE` or
`POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE` (older descriptions:
`binaryAuthorization.enabled: true`); the project policy
itself is not in the cluster description.  EKS has no managed setting and AKS
only a preview one (`securityProfile.imageIntegrity.enabled`), so for them the
rule looks among the cluster's objects for an image-verification policy
(Kyverno `verifyImages`, sigstore `ClusterImagePolicy`, Ratify, Portieris).
When none is found it fails for a whole cluster (live or snapshot) and is
UNKNOWN for partial manifests.

## Why it matters
Without signature verification any image that can be pushed or typo-squatted
runs in the cluster; admission-time verification limits it to images your
pipeline signed.

## Failing example
```json
{"binaryAuthorization": {}}
```

## Passing example
```json
{"binaryAuthorization": {"evaluationMode": "PROJECT_SINGLETON_POLICY_ENFORCE"}}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, Violation
from kubeguard.rules._helpers.cloud import applies_to, cloud_of, full_inventory, image_signature_policies
from kubeguard.rules._helpers.imagesigning import binauthz_enforced, platform_verifier
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="CL014",
    slug="image-signature-enforcement",
    title="No admission control verifies image signatures",
    severity="medium",
    category="cloud",
    tags=("cis-gke:5.1.4", "cis-eks:5.1.4", "cis-aks:5.1.4", "mitre:T1525"),
    target="cluster",
    requires=("cloud",),
    rationale=(
        "Without signature or provenance checks at admission, any pushed, compromised or typo-squatted image "
        "runs; verification limits the cluster to what your pipeline signed."
    ),
    remediation=(
        "GKE: gcloud container clusters update --binauthz-evaluation-mode=PROJECT_SINGLETON_POLICY_ENFORCE with "
        "a project policy that requires attestations; EKS and AKS: deploy an image verification policy "
        "(Kyverno verifyImages, sigstore policy-controller or Ratify with Gatekeeper)."
    ),
    references=(
        "https://cloud.google.com/binary-authorization/docs/setting-up",
        "https://kyverno.io/docs/writing-policies/verify-images/",
        "https://docs.sigstore.dev/policy-controller/overview/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0078",)},
)

applies = applies_to()


def evaluate(cluster, ctx) -> Iterator[Violation]:
    c = cloud_of(ctx)
    if c.provider == "gke":
        c.require("name")
        if binauthz_enforced(c):
            return
        yield c.fail("Binary Authorization is not enforced", ("binaryAuthorization", "evaluationMode"),
                     c.get("binaryAuthorization", "evaluationMode"))
        return
    if platform_verifier(c):
        return
    if image_signature_policies(cluster):
        return
    if full_inventory(cluster):
        yield c.fail("no image signature verification policy found in the cluster", (), None, root=None)
        return
    raise NotEvaluated(f"{c.provider} has no managed image-signature setting and the scanned objects are not "
                       "a whole cluster; scan it live or from a snapshot")

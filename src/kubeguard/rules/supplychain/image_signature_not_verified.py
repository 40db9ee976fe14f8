"""No admission policy verifies image signatures.

## What it checks
Whether the cluster enforces image signature or attestation verification when pods are
admitted: a Kyverno `verifyImages` rule or `ImageValidatingPolicy`, a Sigstore
policy-controller `ClusterImagePolicy`, Ratify through a Gatekeeper constraint, Portieris or
Connaisseur, or, from the cloud facts, GKE Binary Authorization
(`PROJECT_SINGLETON_POLICY_ENFORCE`, alone or with policy bindings; `POLICY_BINDINGS` alone is
continuous validation, which admits every image) or AKS image integrity.  A policy that only audits or
warns (Kyverno's default `Audit`, policy-controller `mode: warn`, a Gatekeeper `dryrun`
constraint, a ClusterImagePolicy while no namespace carries
`policy.sigstore.dev/include: "true"`) does not count.  kube-apiserver's `ImagePolicyWebhook`
admission plugin (CIS 5.5.1) counts when the API server's static pod enables it.  Decided
for whole clusters (live, snapshot); a manifest folder without such a policy is UNKNOWN,
since the policy may live elsewhere.

## Why it matters
Without verification at admission any image that can be pushed, typo-squatted or swapped
behind a mutable tag runs in the cluster; requiring signatures (cosign, Notation) from your
build pipeline limits the cluster to what the pipeline produced.

## Failing example
```yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: verify-images}
spec:
  validationFailureAction: Audit          # logs unsigned images, admits them
  rules:
    - name: cosign
      match: {any: [{resources: {kinds: [Pod]}}]}
      verifyImages: [{imageReferences: ["registry.example.com/*"], attestors: [...]}]
```

## Passing example
```yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: verify-images}
spec:
  rules:
    - name: cosign
      match: {any: [{resources: {kinds: [Pod]}}]}
      verifyImages:
        - imageReferences: ["registry.example.com/*"]
          failureAction: Enforce
          attestors: [...]
```

## Remediation
Sign images in the build pipeline (cosign or Notation) and enforce the signatures at
admission with Kyverno `verifyImages` (Enforce), Sigstore policy-controller, Ratify with
Gatekeeper, or the platform's feature (GKE Binary Authorization, AKS image integrity).

## Exceptions and known false positives/negatives
Which images and namespaces a policy covers (match and exclude clauses, image patterns) is
not evaluated: one enforcing policy passes the cluster.  Connaisseur's detection mode lives in
its Helm values, not in the objects, and counts as enforcing.  GKE's project policy is not in
the cluster description: an enforced Binary Authorization whose policy allows every image
passes.

## Differences from Kubescape
C-0236 and C-0237 verify each workload image's cosign signature against its registry (network
access and keys in the control's configuration); here the question is whether the cluster
refuses unsigned images at admission, decided from its objects and cloud facts.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import ClusterInventory, NotEvaluated, Violation
from kubeguard.rules._helpers.cloud import cloud_of
from kubeguard.rules._helpers.imagesigning import platform_verifier, verification
from kubeguard.rules._helpers.workloads import inventory_is_complete
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SU011",
    slug="image-signature-not-verified",
    title="No admission policy verifies image signatures",
    severity="medium",
    category="supplychain",
    tags=("mitre:T1525", "mitre:T1610"),
    target="cluster",
    requires=("ClusterPolicy", "Policy", "ClusterImagePolicy", "MutatingWebhookConfiguration"),
    rationale=(
        "Without signature verification at admission, any pushed, compromised or typo-squatted image runs; "
        "enforcing signatures limits the cluster to images your pipeline signed."
    ),
    remediation=(
        "Sign images in the build pipeline (cosign or Notation) and enforce the signatures at admission with "
        "Kyverno verifyImages (Enforce), Sigstore policy-controller, Ratify with Gatekeeper, GKE Binary "
        "Authorization or AKS image integrity."
    ),
    references=(
        "https://kyverno.io/docs/writing-policies/verify-images/",
        "https://docs.sigstore.dev/policy-controller/overview/",
        "https://ratify.dev/docs/quickstarts/ratify-with-gatekeeper",
        "https://cloud.google.com/binary-authorization/docs/overview",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0236", "C-0237")},
)


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    if platform_verifier(cloud_of(ctx)):
        return
    v = verification(cluster)
    if v.enforcing:
        return
    weak = [f"{o} ({why})" for o, why in v.audit_only]
    if not weak and not inventory_is_complete(cluster):
        raise NotEvaluated("no image verification policy among the scanned manifests; it may be installed "
                           "separately (scan the cluster or a snapshot)")
    msg = ("image signature policies only audit: " + "; ".join(weak) if weak
           else "no admission policy verifies image signatures (Kyverno verifyImages, Sigstore policy-controller, "
                "Ratify, Portieris, Connaisseur)")
    yield Violation(msg, related=tuple(o.ref for o in v.found),
                    evidence={"auditOnly": weak, "other": [str(o) for o in v.other]})

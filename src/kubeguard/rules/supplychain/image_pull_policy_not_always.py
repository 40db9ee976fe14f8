"""Container image pull policy is not Always.

## What it checks
The effective `imagePullPolicy` of every container, init container and ephemeral container: the
value set, or the API server's default when unset (`Always` for `:latest` or an image with
neither tag nor digest, `IfNotPresent` otherwise, digest-only images included).  With
`exempt_digest_pinned`, images pinned by digest pass.

## Why it matters
With `IfNotPresent` or `Never` the kubelet starts a cached image without asking the registry,
so a pod can run a private image cached on the node by another tenant without holding pull
credentials for it, and a re-pushed tag is never picked up.  `Always` makes the kubelet
re-check credentials and the tag's digest on every start (the check is cheap when the layers
are cached).

## Failing example
```yaml
image: ghcr.io/example/web:1.4.2     # defaults to IfNotPresent
```

## Passing example
```yaml
image: ghcr.io/example/web:1.4.2
imagePullPolicy: Always
```

## Exceptions
Clusters that run the AlwaysPullImages admission plugin get this protection without the field,
as do kubelets (Kubernetes 1.33 and later) with the KubeletEnsureSecretPulledImages feature
enabled, which re-check credentials for cached images.

## Differences from Checkov
Checkov's CKV_K8S_15 reads `:latest` in a templated reference and assumes the API server defaults
`imagePullPolicy` to `Always`. The API server's defaulting parses the reference as the runtime does:
an unparseable one has no tag, so the default is `IfNotPresent`, which this rule reports (55
containers on the corpus).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.images import effective_pull_policy, parse_image
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="SU005",
    slug="image-pull-policy-not-always",
    title="Container image pull policy is not Always",
    severity="low",
    category="supplychain",
    target="workload",
    rationale=(
        "Without Always the kubelet runs cached images without checking the pod's pull credentials or the "
        "tag's current content, so private images cached for one tenant can be used by another."
    ),
    remediation="Set imagePullPolicy: Always, or enable the AlwaysPullImages admission plugin cluster-wide.",
    references=(
        "https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy",
        "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages",
    ),
    params=(
        Param(name="exempt_digest_pinned", type="bool", default=False,
              description="Accept IfNotPresent for images pinned by digest (content cannot change)."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"checkov": ("CKV_K8S_15",), "polaris": ("pullPolicyNotAlways",),
           "kube-score": ("container-image-pull-policy",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    for c in pod.all_containers():
        policy, explicit = effective_pull_policy(c.raw)
        if policy == "Always":
            continue
        if ctx.params.exempt_digest_pinned and parse_image(c.image).pinned:
            continue
        how = "" if explicit else " (the default for this image)"
        yield Violation(f"container {c.name!r} pulls with {policy}{how}", c.path("imagePullPolicy"), container=c.name)

"""Secret holds a long-lived service account token.

## What it checks
Every Secret of type `kubernetes.io/service-account-token`.  Secrets read from a live cluster
carry metadata only (no type); there the `kubernetes.io/service-account.name` annotation, which
the API server requires on such Secrets, identifies them.  Since Kubernetes 1.24 these are no
longer created automatically; each one present was created by hand or by an old cluster, and
holds a token that never expires.

## Why it matters
Unlike the short-lived, audience-bound tokens the kubelet projects into pods, a legacy token is
valid until the Secret is deleted: it works from outside the cluster, survives the pod and is
copied into CI systems and laptops, where it is later found.

## Failing example
```yaml
apiVersion: v1
kind: Secret
type: kubernetes.io/service-account-token
metadata:
  name: ci-token
  annotations: {kubernetes.io/service-account.name: ci}
```

## Passing example
```yaml
# use a projected serviceAccountToken volume, or `kubectl create token ci --duration=1h`
```

## Exceptions
Clusters still on 1.23 or older create such Secrets for every ServiceAccount; upgrade rather
than exempt.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation
from kubeguard.rules._helpers.refs import contents_known
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="SC010",
    slug="legacy-service-account-token-secret",
    title="Secret holds a long-lived service account token",
    severity="medium",
    category="secrets",
    tags=("mitre:T1528",),
    target="object",
    kinds=("Secret",),
    rationale=(
        "A service-account-token Secret holds a token that never expires and works from anywhere, so a "
        "single leak grants the account's rights indefinitely."
    ),
    remediation=(
        "Delete the Secret and use projected serviceAccountToken volumes or the TokenRequest API "
        "(kubectl create token) for short-lived tokens."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token",
        "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
)


ACCOUNT_ANNOTATION = "kubernetes.io/service-account.name"


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    account = obj.annotations.get(ACCOUNT_ANNOTATION)
    if obj.raw.get("type") == "kubernetes.io/service-account-token":
        yield Violation(f"long-lived token for service account {account or '?'!r}", ("type",))
    elif not contents_known(obj) and isinstance(account, str) and account:
        # read as metadata only (live clusters): the account annotation marks a token Secret
        yield Violation(f"long-lived token for service account {account!r} (the Secret was read without its "
                        "type; the service-account annotation marks it)", ("metadata", "annotations", ACCOUNT_ANNOTATION))

"""Pod has the Kubernetes API token of its service account mounted.

## What it checks
Every pod spec, with the upstream precedence: the pod's `automountServiceAccountToken` wins;
when unset, the ServiceAccount's own field decides; when neither sets it the token is mounted
at `/var/run/secrets/kubernetes.io/serviceaccount`.  A pod that sets
`automountServiceAccountToken: true` itself, or mounts an API token through a `projected`
`serviceAccountToken` source without `audience`, has asked for API access on purpose and passes
unless `flag_explicit_opt_in` is true.  A token for another audience (Vault, a cloud STS) is
not an API credential and does not stop automounting.  Pods read from a live cluster carry the
`kube-api-access-<suffix>` volume the ServiceAccount admission plugin adds when automounting
is on; that volume is the default at work, not an opt-in.  When the ServiceAccount is not in
the scanned input its own setting cannot be read; the message says so.

## Why it matters
Most applications never call the Kubernetes API, yet by default every pod carries a token that
can.  Code execution in the container then becomes API access with the service account's
rights (MITRE T1528 "Steal Application Access Token").

## Failing example
```yaml
spec:
  containers: [{name: app, image: "ghcr.io/example/web:1.4.2"}]
```

## Passing example
```yaml
spec:
  automountServiceAccountToken: false
  containers: [{name: app, image: "ghcr.io/example/web:1.4.2"}]
```

## Exceptions
Operators, controllers and CI agents need the token; set `automountServiceAccountToken: true`
on their pods to record that decision.

## Differences from Checkov
Checkov's CKV_K8S_38 also fails workloads that set `automountServiceAccountToken: true` explicitly
(Gatekeeper, prometheus-operator, Argo CD's HAProxy). Those are API clients that chose the token;
this rule flags only the implicit default, where the token is mounted without anyone deciding so.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._helpers.serviceaccounts import token_mount
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="SC001",
    slug="service-account-token-automounted",
    title="Pod has the Kubernetes API token of its service account mounted",
    severity="medium",
    category="secrets",
    tags=("mitre:T1528", "cis-k8s:5.1.6"),
    target="workload",
    requires=("ServiceAccount",),
    rationale=(
        "Pods get an API token by default; an attacker with code execution in a pod that never needed it "
        "gains the service account's Kubernetes permissions."
    ),
    remediation=(
        "Set automountServiceAccountToken: false on the pod (or its ServiceAccount) unless it calls the "
        "Kubernetes API; set it to true explicitly where it does."
    ),
    references=(
        "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
        "https://kubernetes.io/docs/concepts/security/service-accounts/",
    ),
    params=(
        Param(name="flag_explicit_opt_in", type="bool", default=False,
              description="Also report pods that request the token explicitly (automount true or projected)."),
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0034", "C-0190", "C-0261"), "trivy": ("KSV-0036",), "checkov": ("CKV_K8S_38",),
           "polaris": ("automountServiceAccountToken",), "kubesec": ("AutomountServiceAccountToken",),
           "popeye": ("POP-301",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    tm = token_mount(ctx.cluster, pod)
    if tm.mounted and (not tm.explicit_pod_opt_in or ctx.params.flag_explicit_opt_in):
        yield Violation(f"the service account token is mounted: {tm.reason}", tm.path)

"""Pod uses the host's network namespace.

## What it checks
Every pod spec for `hostNetwork: true`.  Part of the Pod Security Standards
baseline control *Host Namespaces*.

## Why it matters
A pod on the host network binds node ports directly, reaches services listening
on the node's loopback (kubelet read-only port, local proxies, cloud metadata
routes), sniffs node traffic with `NET_RAW`, and is not isolated by
NetworkPolicies.

## Failing example
```yaml
spec:
  hostNetwork: true
  containers:
    - name: app
      image: nginx:1.27
```

## Passing example
```yaml
spec:
  hostNetwork: false
  containers:
    - name: app
      image: nginx:1.27
```

## Exceptions
CNI plugins, kube-proxy and some ingress controllers need it; exempt them by
name with an owner and an expiry.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import PodSpecView, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="WL004",
    slug="host-network",
    title="Pod uses the host network namespace",
    severity="high",
    category="workload",
    tags=("pss:baseline", "pss:restricted", "mitre:T1611", "mitre:T1040", "cis-k8s:5.2.5"),
    target="workload",
    rationale=(
        "hostNetwork gives the pod the node's interfaces: it reaches node-local services, can sniff traffic "
        "and escapes NetworkPolicy isolation."
    ),
    remediation="Remove spec.hostNetwork or set it to false; expose the workload through a Service.",
    references=("https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kubescape": ("C-0041", "C-0196", "C-0216"), "checkov": ("CKV_K8S_19",), "trivy": ("KSV-0009",),
           "polaris": ("hostNetworkSet",), "kube-linter": ("host-network",), "kubesec": ("HostNetwork",)},
)


def evaluate(pod: PodSpecView, ctx) -> Iterator[Violation]:
    if pod.spec.get("hostNetwork") is True:
        yield Violation("hostNetwork is true: the pod uses the node's network namespace", pod.path("hostNetwork"))

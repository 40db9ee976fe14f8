"""EventRateLimit admission plugin is not enabled with limits.

## What it checks
Whether kube-apiserver runs the `EventRateLimit` admission plugin (off by default) in
the kube-apiserver static pod in kube-system (a manifest from /etc/kubernetes/manifests,
or the mirror Pod a live cluster returns), after defaults, `--enable-admission-plugins`,
`--disable-admission-plugins` and the deprecated `--admission-control`; and whether
`--admission-control-config-file` is set, since the plugin takes its limits from that
file (without it there are none). The file's content needs node access and is not read.

## Why it matters
A flood of Events (from a misbehaving controller or a tenant) fills etcd and slows every
API request.

## Failing example
```yaml
command:
  - kube-apiserver
  - --enable-admission-plugins=NodeRestriction
```

## Passing example
```yaml
command:
  - kube-apiserver
  - --enable-admission-plugins=NodeRestriction,EventRateLimit
  - --admission-control-config-file=/etc/kubernetes/admission.yaml
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; the rule does not apply there
and the provider's own settings are checked by the cloud rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, admission, admission_plugin, component_rule

META = RuleMeta(
    code="CP009",
    slug="apiserver-event-rate-limit-disabled",
    title="EventRateLimit admission plugin is not enabled with limits",
    severity="low",
    category="controlplane",
    tags=("cis-k8s:1.2.9",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without EventRateLimit one noisy client can write Events fast enough to exhaust etcd and "
        "slow the API server for everyone."
    ),
    remediation=(
        "Add EventRateLimit to kube-apiserver --enable-admission-plugins and configure its limits in "
        "the file named by --admission-control-config-file."
    ),
    references=(
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#eventratelimit",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0121",), "trivy": ("KCV-0010",), "checkov": ("CKV_K8S_78",)},
)


_plugin = admission_plugin("EventRateLimit", True)


def check(inst: Instance, ctx) -> Iterator[Violation]:
    if "EventRateLimit" not in admission(inst).enabled:
        yield from _plugin(inst, ctx)
        return
    cfg = inst.flags["admission-control-config-file"]
    if not (cfg.raw or "").strip():
        yield inst.fail(cfg, "admission plugin EventRateLimit is enabled without --admission-control-config-file, "
                             "so it has no limits to enforce", "")


applies, evaluate = component_rule(KUBE_APISERVER, check)

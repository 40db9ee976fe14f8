"""EventRateLimit admission plugin is not enabled with limits.

## What it checks
Whether kube-apiserver runs the `EventRateLimit` admission plugin (off by default) in
the kube-apiserver static pod in kube-system (a manifest from /etc/kubernetes/manifests,
or the mirror Pod a live cluster returns), after defaults, `--enable-admission-plugins`,
`--disable-admission-plugins` and the deprecated `--admission-control`; and whether
`--admission-control-config-file` is set, since the plugin takes its limits from that
file (without it there are none). The limits themselves are checked when that
`AdmissionConfiguration` is given with `--node-config` (`[NODE=]FILE`): its
`EventRateLimit` plugin must carry a configuration with at least one limit. Without the
file the rule is UNKNOWN; limits in a separate file named by the plugin's `path` are not
read (UNKNOWN).

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

from kubeguard.model import NotEvaluated, Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, admission, admission_plugin, component_rule, given_file

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
    given = given_file(inst, ctx, "admission-control-config-file")
    if given is None:
        yield inst.fail(cfg, "admission plugin EventRateLimit is enabled without --admission-control-config-file, "
                             "so it has no limits to enforce", "")
        return
    plugin = next((p for p in given.config.get("plugins") or [] if p.get("name") == "EventRateLimit"), None)
    if plugin is None:
        yield given.fail(inst, "no EventRateLimit plugin configuration, so it has no limits to enforce",
                         plugin="EventRateLimit")
    elif isinstance(plugin.get("configuration"), dict):
        if not plugin["configuration"].get("limits"):
            yield given.fail(inst, "the EventRateLimit configuration sets no limits", plugin="EventRateLimit")
    elif plugin.get("path"):
        raise NotEvaluated(f"EventRateLimit reads its limits from {plugin['path']} (in {given.file}), which needs "
                           "node access")
    else:
        yield given.fail(inst, "the EventRateLimit plugin entry has neither a configuration nor a path",
                         plugin="EventRateLimit")


applies, evaluate = component_rule(KUBE_APISERVER, check)

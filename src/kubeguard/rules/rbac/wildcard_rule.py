"""Role rule uses a wildcard for verbs, resources, API groups or URLs.

## What it checks
Every rule of every Role and ClusterRole for `"*"` in `verbs`, `resources`, `apiGroups`
or `nonResourceURLs`; each field holding a wildcard is reported on its own path
(`rules[2].verbs`).  Partial forms are not wildcards upstream and are not reported:
`pods/*` only matches a subresource literally named `*`, and `*/scale` names one
subresource.  Aggregated ClusterRoles are judged by the rules of their source roles.

## Why it matters
A wildcard grants more than its author saw: every verb added later (`escalate`, `bind`,
`impersonate`, the 1.35 `impersonate:*` verbs), every subresource, and every custom
resource any CRD adds to the matched groups.

## Failing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["*"]
```

## Passing example
```yaml
kind: Role
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "list", "watch", "update"]
```

## Remediation
List the verbs, resources and groups explicitly.

## Exceptions and known false positives/negatives
Platform roles (`system:` / `eks:` / `gce:` / `gke:` names, and the upstream defaults
cluster-admin, admin, edit and view when labelled `kubernetes.io/bootstrapping=rbac-defaults`)
are skipped unless `include_platform` is set.  The label alone is not trusted: anyone can put
it on their own role (Velero's `velero-admin` carries it and grants `*` on `*`).

## Differences from Checkov
This rule also flags `*` in `resources` or `apiGroups` with read-only verbs (Calico, Gatekeeper),
which Checkov's CKV_K8S_49 accepts: a wildcard read includes Secrets and every future resource.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.graph.rbac import is_platform_object
from kubeguard.model import K8sObject, Violation
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import PLATFORM_PARAM

META = RuleMeta(
    code="RB001",
    slug="wildcard-rule",
    title="Role rule uses a wildcard for verbs, resources, API groups or URLs",
    severity="medium",
    category="rbac",
    tags=("mitre:T1078",),
    target="object",
    kinds=("Role", "ClusterRole"),
    rationale=(
        "Wildcards silently grant verbs, subresources and custom resources that appear after the role "
        "was written, including escalate, bind and impersonate."
    ),
    remediation="List the verbs, resources and API groups the subject needs explicitly.",
    references=(
        "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-use-of-wildcards",
    ),
    params=(PLATFORM_PARAM,),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={
        "kubescape": ("C-0187",),
        "trivy": ("KSV-0044", "KSV-0045", "KSV-0046", "KSV-0112"),
        "checkov": ("CKV_K8S_49",),
        "kube-linter": ("wildcard-in-rules",),
    },
)
_FIELDS = ("verbs", "resources", "apiGroups", "nonResourceURLs")


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if is_platform_object(obj, obj.name) and not ctx.params.include_platform:
        return
    if isinstance(obj.raw.get("aggregationRule"), dict):
        return  # its rules are the controller's copy of the source roles', which are reported themselves
    rules = obj.raw.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict):
            continue
        for field in _FIELDS:
            values = rule.get(field)
            if isinstance(values, list) and "*" in values:
                yield Violation(f"{obj.kind} {obj.name!r} rules[{i}] has '*' in {field}", ("rules", i, field))

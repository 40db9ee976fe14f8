"""API server audit policy misses key events or logs Secret contents.

## What it checks
The audit `Policy` that kube-apiserver's `--audit-policy-file` names, when that file is
given with `--node-config` (`[NODE=]FILE`; without a node it applies to every
kube-apiserver of the cluster), evaluated as the API server does: the first matching
rule gives the level, no match means `None`. Per CIS 3.2.2:

- requests on `secrets`, `configmaps` and `tokenreviews` are logged at `Metadata` and
  never at `Request` or `RequestResponse`, for any user, group, namespace or name the
  policy singles out (those levels write the objects, Secret values included, to the log);
- changes to Pods and Deployments (create, update, patch, delete) are logged;
- `pods/exec`, `pods/portforward`, `pods/proxy` and `services/proxy` are logged.

"Logged" is judged for a user no rule names (exceptions for named system users, such
as kube-proxy's watches, are common and fine). Without `--audit-policy-file` the rule
fails; with it but without the file, it is UNKNOWN.

## Why it matters
An audit log that misses exec into Pods or workload changes cannot show an intrusion;
one that records Secret bodies turns the log into a second, less protected copy of every
credential in the cluster.

## Failing example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
```

## Passing example
```yaml
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets, configmaps]
      - group: authentication.k8s.io
        resources: [tokenreviews]
  - level: RequestResponse
```

## Exceptions and known false positives/negatives
Managed control planes (EKS, AKS, GKE) expose no such Pod; their audit logs are checked
by the cloud rules. A webhook backend (`--audit-webhook-config-file`) uses the same
policy.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import Violation
from kubeguard.rules._helpers.audit_policy import GENERIC_NAME, PolicyError, Request, level_of, probes
from kubeguard.rules._helpers.flags import KUBE_APISERVER, FlagError
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, component_rule, given_file

META = RuleMeta(
    code="CP051",
    slug="apiserver-audit-policy-incomplete",
    title="API server audit policy misses key events or logs Secret contents",
    severity="medium",
    category="controlplane",
    tags=("cis-k8s:3.2.2",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Audit logs are the record of an intrusion only if they hold exec and workload changes, and must not "
        "become a readable copy of every Secret."
    ),
    remediation=(
        "Put a Metadata rule for secrets, configmaps and tokenreviews first in the audit Policy, and make sure "
        "later rules log pods/exec, pods/portforward, pods/proxy, services/proxy and Pod and Deployment changes."
    ),
    references=(
        "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy",
        "https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0161",)},
)

SENSITIVE = (("", "secrets", True), ("", "configmaps", True), ("authentication.k8s.io", "tokenreviews", False))
ALL_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection")
WRITES = ("create", "update", "patch", "delete")
CHANGES = (("", "pods", ""), ("apps", "deployments", ""))
STREAMS = (("", "pods", "exec"), ("", "pods", "portforward"), ("", "pods", "proxy"), ("", "services", "proxy"))


def check(inst: Instance, ctx) -> Iterator[Violation]:
    given = given_file(inst, ctx, "audit-policy-file")
    if given is None:
        s = inst.flags["audit-policy-file"]
        yield inst.fail(s, "--audit-policy-file is not set: the API server records no audit events", "")
        return
    rules = given.config.get("rules") or []
    try:
        yield from _judge(inst, given, rules)
    except PolicyError as exc:
        raise FlagError(f"{given.file}: {exc}, which the API server rejects") from None


def _judge(inst: Instance, given, rules) -> Iterator[Violation]:
    def rule_name(i: int | None) -> str:
        return f"rules[{i}]" if i is not None else "no rule matches"

    for group, resource, namespaced in SENSITIVE:
        for req in probes(rules, ALL_VERBS, group, resource, namespaced=namespaced):
            level, i = level_of(rules, req)
            if level in ("Request", "RequestResponse"):
                yield given.fail(inst, f"{req.describe()} is logged at {level} ({rule_name(i)}): the audit log "
                                       f"would hold {resource} contents", request=req.describe(),
                                 level=level, rule=rule_name(i))
                break
        else:
            for verb in ALL_VERBS:
                req = Request(verb, group, resource, namespace="default" if namespaced else "", name=GENERIC_NAME)
                level, i = level_of(rules, req)
                if level == "None":
                    yield given.fail(inst, f"{req.describe()} is not logged ({rule_name(i)})",
                                     request=req.describe(), level=level, rule=rule_name(i))
                    break
    for verbs, targets, what in ((WRITES, CHANGES, "a change"), (("create", "get"), STREAMS, "a session")):
        for group, resource, sub in targets:
            for verb in verbs:
                req = Request(verb, group, resource, sub, namespace="default", name=GENERIC_NAME)
                level, i = level_of(rules, req)
                if level == "None":
                    yield given.fail(inst, f"{req.describe()} ({what}) is not logged ({rule_name(i)})",
                                     request=req.describe(), level=level, rule=rule_name(i))
                    break


applies, evaluate = component_rule(KUBE_APISERVER, check)

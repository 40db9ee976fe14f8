"""OpenShift SecurityContextConstraints allow privileged or host access.

## What it checks
Every `security.openshift.io` SecurityContextConstraints that admits privileged containers
(`allowPrivilegedContainer`), the host's namespaces (`allowHostNetwork`, `allowHostPID`,
`allowHostIPC`), host ports (`allowHostPorts`), host directories (`allowHostDirVolumePlugin`)
or any capability (`*` in `allowedCapabilities`).  hostPath volumes are allowed exactly when
`allowHostDirVolumePlugin` is true: OpenShift's defaulting gives the boolean precedence, adding
`hostPath` to `volumes` when it is true and removing `hostPath` (and narrowing `*`) when it is
false or absent, so `volumes` alone never allows host directories.
OpenShift's own SCCs that grant these on purpose (`privileged`, `hostaccess`,
`hostmount-anyuid`, `hostnetwork`, `hostnetwork-v2`, `node-exporter`) are reported only when
their `users` or `groups` hand them to everyone (`system:authenticated`,
`system:authenticated:oauth`, `system:unauthenticated`, `system:serviceaccounts` or all
ServiceAccounts of a namespace), or with `include_defaults`.

## Why it matters
On OpenShift the SCC, not Pod Security admission, decides what a pod may do: whoever may use
an SCC that allows privileged or host access can start a pod that owns the node.

## Failing example
```yaml
apiVersion: security.openshift.io/v1
kind: SecurityContextConstraints
metadata: {name: build-privileged}
allowPrivilegedContainer: true
allowHostPID: true
users: ["system:serviceaccount:ci:builder"]
```

## Passing example
```yaml
apiVersion: security.openshift.io/v1
kind: SecurityContextConstraints
metadata: {name: build-restricted}
allowPrivilegedContainer: false
allowHostDirVolumePlugin: false
volumes: [configMap, emptyDir, projected, secret, persistentVolumeClaim]
```

## Remediation
Grant workloads `restricted-v2` (or `nonroot-v2`) and add only the capabilities they need;
keep host-level SCCs for node agents, granted by RBAC `use` to their ServiceAccounts only.

## Exceptions and known false positives/negatives
Node agents (CSI drivers, monitoring, CNI) need host access; exempt their SCC with an owner.
Who may use an SCC through RBAC (`use` on `securitycontextconstraints`) is not evaluated here;
the `users` and `groups` fields are.

## Differences from kube-linter
`scc-deny-privileged-container` looks at `allowPrivilegedContainer` only, on every SCC,
OpenShift's own `privileged` SCC included; here host namespaces, host ports, host directories
and `*` capabilities count too, and OpenShift's default host-level SCCs count only when handed
to everyone (`include_defaults` reports them always).
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import K8sObject, Violation, render_path
from kubeguard.rules._meta import Lifecycle, Param, RuleMeta

META = RuleMeta(
    code="TN010",
    slug="scc-allows-host-access",
    title="OpenShift SecurityContextConstraints allow privileged or host access",
    severity="high",
    category="tenancy",
    tags=("mitre:T1611", "mitre:T1610"),
    target="object",
    kinds=("SecurityContextConstraints",),
    rationale=(
        "On OpenShift the SCC decides what pods may do; one that allows privileged containers, host namespaces, "
        "host ports or hostPath lets whoever may use it take over the node."
    ),
    remediation=(
        "Run workloads under restricted-v2 or nonroot-v2 and add only the capabilities they need; keep host-level "
        "SCCs for node agents, granted by RBAC use to their ServiceAccounts only."
    ),
    references=(
        "https://docs.openshift.com/container-platform/latest/authentication/managing-security-context-constraints.html",
        "https://docs.kubelinter.io/#/generated/checks?id=scc-deny-privileged-container",
    ),
    params=(Param(name="include_defaults", type="bool", default=False,
                  description="Also report OpenShift's own host-level SCCs (privileged, hostaccess, hostnetwork...) "
                              "when only their default users and groups may use them."),),
    lifecycle=Lifecycle.preview("0.1.0"),
    admission=True,
    peers={"kube-linter": ("scc-deny-privileged-container",)},
)

GROUP = "security.openshift.io"
DEFAULT_HOST_SCCS = frozenset({"privileged", "hostaccess", "hostmount-anyuid", "hostnetwork", "hostnetwork-v2",
                               "node-exporter"})
BROAD = frozenset({"system:authenticated", "system:authenticated:oauth", "system:unauthenticated",
                   "system:serviceaccounts"})
_FLAGS = (("allowPrivilegedContainer", "privileged containers"), ("allowHostNetwork", "the host network"),
          ("allowHostPID", "the host PID namespace"), ("allowHostIPC", "the host IPC namespace"),
          ("allowHostPorts", "host ports"), ("allowHostDirVolumePlugin", "hostPath volumes"))


def _grants(obj: K8sObject) -> Iterator[tuple[tuple, str]]:
    for field, what in _FLAGS:
        if obj.raw.get(field) is True:
            yield (field,), what
    caps = obj.raw.get("allowedCapabilities")
    if isinstance(caps, list) and "*" in caps:
        yield ("allowedCapabilities", caps.index("*")), "every capability"


def _broad_subjects(obj: K8sObject) -> list[str]:
    out = []
    for field in ("groups", "users"):
        for s in obj.raw.get(field) or []:
            if isinstance(s, str) and (s in BROAD or s.startswith("system:serviceaccounts:")):
                out.append(s)
    return out


def evaluate(obj: K8sObject, ctx) -> Iterator[Violation]:
    if obj.group != GROUP:
        return
    broad = _broad_subjects(obj)
    if obj.name in DEFAULT_HOST_SCCS and not broad and not ctx.params.include_defaults:
        return
    who = f"; granted to {', '.join(broad)}" if broad else ""
    for path, what in _grants(obj):
        yield Violation(f"SCC {obj.name} allows {what} ({render_path(path)}){who}", path)

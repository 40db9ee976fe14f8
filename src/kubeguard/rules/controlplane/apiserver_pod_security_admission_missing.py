"""API server has no working pod security admission plugin.

## What it checks
kube-apiserver's admission plugins in the kube-apiserver static pod in kube-system, for the
release its image tag (else the cluster's server version) names:
* 1.25 and later: `PodSecurityPolicy` must not be listed (the plugin was removed: the API
  server refuses to start) and `PodSecurity` must stay enabled (it is by default);
* 1.23 and 1.24: `PodSecurity` (on by default, unless its feature gate is turned off) or
  `PodSecurityPolicy` must be enabled;
* 1.22: `PodSecurity` with the `PodSecurity=true` feature gate, or `PodSecurityPolicy`;
* earlier releases: `PodSecurityPolicy`.
`--enable-admission-plugins`, `--disable-admission-plugins` and the legacy
`--admission-control` (exactly the plugins it lists) are read as the API server reads them.

## Why it matters
Without a pod security admission controller nothing built in stops privileged, hostPath or
host-namespace pods: namespace `pod-security.kubernetes.io/*` labels are ignored, and
whoever may create a pod may take over its node.

## Failing example
```yaml
image: registry.k8s.io/kube-apiserver:v1.30.4
command:
  - kube-apiserver
  - --enable-admission-plugins=NodeRestriction,PodSecurityPolicy
```

## Passing example
```yaml
image: registry.k8s.io/kube-apiserver:v1.30.4
command:
  - kube-apiserver
  - --enable-admission-plugins=NodeRestriction
```

## Remediation
Keep the `PodSecurity` plugin enabled (remove it from `--disable-admission-plugins`), drop
`PodSecurityPolicy` from the plugin list before upgrading to 1.25, and label namespaces with
the Pod Security level they need.

## Exceptions and known false positives/negatives
A policy engine (Kyverno, Gatekeeper, ValidatingAdmissionPolicies) may enforce the same
controls; exempt the finding with that reason.  Managed control planes expose no API server
Pod.

## Differences from Checkov and Kubescape
CKV_K8S_84 and C-0068 still require `PodSecurityPolicy` in `--enable-admission-plugins`
whenever that flag is given, so every kubeadm API server of a supported release fails there,
one that lists the plugin on 1.25+ (which refuses to start) passes, and one without the flag
passes even with `PodSecurity` disabled.  Here the release decides which plugin must be on,
and `PodSecurity`, enabled by default since 1.23, passes unless it is disabled.
"""

from __future__ import annotations

from collections.abc import Iterator

from kubeguard.model import NotEvaluated, Violation
from kubeguard.rules._helpers.flags import KUBE_APISERVER
from kubeguard.rules._meta import Lifecycle, RuleMeta

from ._common import Instance, admission, component_rule, version_of

META = RuleMeta(
    code="CP049",
    slug="apiserver-pod-security-admission-missing",
    title="API server has no working pod security admission plugin",
    severity="high",
    category="controlplane",
    tags=("mitre:T1610",),
    target="cluster",
    requires=("Pod",),
    rationale=(
        "Without PodSecurity (or, before 1.25, PodSecurityPolicy) admission nothing built in stops privileged "
        "or hostPath pods; namespace Pod Security labels are ignored."
    ),
    remediation=(
        "Keep the PodSecurity admission plugin enabled, remove PodSecurityPolicy from the plugin list before "
        "1.25, and label namespaces with the Pod Security level they need."
    ),
    references=(
        "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
        "https://kubernetes.io/docs/tasks/configure-pod-container/migrate-from-psp/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0068",), "checkov": ("CKV_K8S_84",)},
)

PSP, PSA = "PodSecurityPolicy", "PodSecurity"


def check(inst: Instance, ctx) -> Iterator[Violation]:
    version, source = version_of(inst, ctx)
    adm = admission(inst)
    listed = set(adm.legacy.items() if adm.legacy.is_set else adm.enable.items()) - set(adm.disable.items())
    if version is None:
        if PSP not in listed and PSA not in adm.enabled:  # neither plugin, whatever the release
            yield _no_psa(inst, adm, source)
            return
        raise NotEvaluated("the Kubernetes version is unknown, and which "
                           "pod security plugins exist depends on it")
    if version >= (1, 25):
        if PSP in listed:
            s = adm.decider(PSP)
            yield inst.fail(s, f"names the PodSecurityPolicy admission plugin, removed in 1.25 ({source}): the API "
                               f"server refuses to start ({s.shown()})", ",".join(s.items()))
            return
        if PSA not in adm.enabled:
            yield _no_psa(inst, adm, source)
        return
    gate = inst.flags["feature-gates"].mapping().get(PSA)
    if version >= (1, 22):
        psa = PSA in adm.enabled and (gate is not False if version >= (1, 23) else gate is True)
    else:
        psa = False
    if psa or PSP in listed:
        return
    gates = inst.flags["feature-gates"]
    if PSA in adm.enabled and gate is False:
        yield inst.fail(gates, f"turns the PodSecurity feature gate off ({gates.shown()}; {source}) and enables no "
                               "PodSecurityPolicy admission: pods are admitted without pod security checks")
        return
    yield _no_psa(inst, adm, source)


def _no_psa(inst: Instance, adm, source: str) -> Violation:
    s = adm.decider(PSA)
    return inst.fail(s, f"admits pods without PodSecurity or PodSecurityPolicy admission ({s.shown()}; {source})",
                     ",".join(s.items()))


applies, evaluate = component_rule(KUBE_APISERVER, check)

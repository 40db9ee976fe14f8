"""Admission-time image signature verification found among a cluster's objects, and whether it enforces.

Recognised verifiers and what makes them enforce (rather than only audit or warn):

* Kyverno ``ClusterPolicy`` / ``Policy`` rules with ``verifyImages``: ``failureAction`` of the
  verifyImages entry (Kyverno 1.13+), else the policy's ``spec.validationFailureAction``;
  Kyverno's default is ``Audit``, which admits unsigned images.
* Kyverno ``ImageValidatingPolicy`` (``policies.kyverno.io``): ``Deny`` in ``validationActions``.
* Sigstore policy-controller ``ClusterImagePolicy`` (``policy.sigstore.dev``): ``spec.mode``
  other than ``warn``; it only acts in namespaces labelled ``policy.sigstore.dev/include: "true"``.
* Ratify through Gatekeeper: a constraint whose kind names Ratify or signatures, unless its
  ``enforcementAction`` is ``dryrun`` or ``warn``.  Ratify ``Verifier`` objects alone enforce nothing.
* Portieris ``ImagePolicy`` / ``ClusterImagePolicy`` and a Connaisseur admission webhook.
* kube-apiserver's ``ImagePolicyWebhook`` admission plugin (CIS 5.5.1), read from the API server
  static pod's flags; its backend lives in the admission configuration file.

Managed platforms (:func:`platform_verifier`): GKE Binary Authorization enforces at admission in
the evaluation modes of :data:`BINAUTHZ_ENFORCING` (``POLICY_BINDINGS`` alone is continuous
validation, which only reports on running pods); AKS image integrity when enabled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubeguard.model import ClusterInventory, K8sObject, pod_specs

from .flags import KUBE_APISERVER, FlagError, parse, runs
from .workloads import objects_in

BINAUTHZ_ENFORCING = frozenset({"PROJECT_SINGLETON_POLICY_ENFORCE",
                                "POLICY_BINDINGS_AND_PROJECT_SINGLETON_POLICY_ENFORCE"})
SIGSTORE_INCLUDE = "policy.sigstore.dev/include"
_RATIFY_VERIFIERS = {("config.ratify.deislabs.io", "Verifier"), ("config.ratify.dev", "Verifier")}
_PORTIERIS = "portieris.cloud.ibm.com"


@dataclass
class Verification:
    enforcing: list[K8sObject] = field(default_factory=list)
    audit_only: list[tuple[K8sObject, str]] = field(default_factory=list)  # (object, why it does not enforce)
    other: list[K8sObject] = field(default_factory=list)  # verification configuration that enforces nothing alone

    @property
    def found(self) -> list[K8sObject]:
        return self.enforcing + [o for o, _ in self.audit_only] + self.other


def _kyverno_mode(o: K8sObject) -> tuple[bool, bool, str]:
    """(has verifyImages, enforces, why not) for a Kyverno ClusterPolicy/Policy."""
    rules = o.get("spec", "rules")
    policy_action = str(o.get("spec", "validationFailureAction") or "Audit")
    found = enforce = False
    for r in rules if isinstance(rules, list) else []:
        entries = r.get("verifyImages") if isinstance(r, dict) else None
        for e in entries if isinstance(entries, list) else []:
            found = True
            action = e.get("failureAction") if isinstance(e, dict) else None
            if str(action or policy_action).lower() == "enforce":
                enforce = True
    return found, enforce, f"validationFailureAction {policy_action}"


def image_policy_webhook(cluster: ClusterInventory) -> list[K8sObject]:
    """kube-apiserver Pods in kube-system whose admission plugins include ImagePolicyWebhook."""
    out = []
    for pod in objects_in(cluster, "Pod", "kube-system"):
        for view in pod_specs(pod):
            for c in view.containers():
                if not runs(KUBE_APISERVER, c.raw):
                    continue
                flags = parse(KUBE_APISERVER, c.raw, c.base)
                try:
                    legacy = flags["admission-control"]
                    plugins = legacy.items() if legacy.is_set else flags["enable-admission-plugins"].items()
                except FlagError:
                    continue
                if "ImagePolicyWebhook" in plugins and pod not in out:
                    out.append(pod)
    return out


def verification(cluster: ClusterInventory) -> Verification:
    out = Verification()
    sigstore_namespaces = [ns for ns in cluster.of_kind("Namespace") if ns.labels.get(SIGSTORE_INCLUDE) == "true"]
    for o in cluster.objects:
        g, k = o.group, o.kind
        if g == "kyverno.io" and k in ("ClusterPolicy", "Policy"):
            found, enforce, why = _kyverno_mode(o)
            if found:
                (out.enforcing.append(o) if enforce else out.audit_only.append((o, why)))
        elif g == "policies.kyverno.io" and k == "ImageValidatingPolicy":
            actions = o.get("spec", "validationActions") or []
            if "Deny" in actions:
                out.enforcing.append(o)
            else:
                out.audit_only.append((o, f"validationActions {actions}"))
        elif g == "policy.sigstore.dev" and k == "ClusterImagePolicy":
            if o.get("spec", "mode") == "warn":
                out.audit_only.append((o, "mode warn"))
            elif cluster.facts.source != "manifests" and not sigstore_namespaces:
                out.audit_only.append((o, f"no namespace is labelled {SIGSTORE_INCLUDE}=true"))
            else:
                out.enforcing.append(o)
        elif g == "constraints.gatekeeper.sh" and any(w in k.lower() for w in ("ratify", "signature")):
            action = o.get("spec", "enforcementAction") or "deny"
            if action in ("dryrun", "warn"):
                out.audit_only.append((o, f"enforcementAction {action}"))
            else:
                out.enforcing.append(o)
        elif (g, k) in _RATIFY_VERIFIERS:
            out.other.append(o)
        elif g == _PORTIERIS and k in ("ImagePolicy", "ClusterImagePolicy"):
            out.enforcing.append(o)
        elif k == "MutatingWebhookConfiguration" and "connaisseur" in o.name.lower():
            out.enforcing.append(o)
    out.enforcing.extend(image_policy_webhook(cluster))
    return out


def binauthz_enforced(c) -> bool:
    """GKE: Binary Authorization enforces the project policy at admission (older descriptions say only
    ``enabled: true``)."""
    mode = c.value("binaryAuthorization", "evaluationMode")
    return mode in BINAUTHZ_ENFORCING or (mode is None and c.value("binaryAuthorization", "enabled") is True)


def platform_verifier(c) -> str | None:
    """The managed admission-time image verification a cloud description turns on, if any."""
    if c is None:
        return None
    if c.provider == "gke" and binauthz_enforced(c):
        return "GKE Binary Authorization"
    if c.provider == "aks" and c.value("securityProfile", "imageIntegrity", "enabled") is True:
        return "AKS image integrity"
    return None

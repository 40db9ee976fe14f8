"""Which service account a pod runs as, and whether its API token ends up in the pod.

Token automounting follows the upstream precedence: the pod's
``automountServiceAccountToken`` wins; when unset, the ServiceAccount's field decides; when
both are unset the token is mounted.  A ``projected`` volume with a ``serviceAccountToken``
source and no ``audience`` mounts an API token whatever automounting says; one with an
``audience`` (Vault, a cloud STS) is a credential for that audience, which the API server
rejects.  Pods read from a live cluster carry the ``kube-api-access-<suffix>`` volume the
ServiceAccount admission plugin adds when automounting is on: that is automounting, not an
opt-in.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubeguard.model import ClusterInventory, K8sObject, Path, PodSpecView


def service_account_name(pod: PodSpecView) -> str:
    """``serviceAccountName``, else the deprecated ``serviceAccount`` alias, else ``default``."""
    return pod.service_account_name


def service_account(cluster: ClusterInventory, pod: PodSpecView) -> K8sObject | None:
    return cluster.get("ServiceAccount", pod.namespace, service_account_name(pod))


@dataclass(frozen=True, slots=True)
class TokenMount:
    mounted: bool
    reason: str  # why, for messages
    path: Path  # the field that decided (or where to set it)
    explicit_pod_opt_in: bool = False  # the pod itself asks for the token


def token_mount(cluster: ClusterInventory, pod: PodSpecView) -> TokenMount:
    projected, injected = _projected_token_paths(pod)
    if projected is not None:
        return TokenMount(True, "a projected serviceAccountToken volume mounts it", projected, True)
    pod_value = pod.spec.get("automountServiceAccountToken")
    field = pod.path("automountServiceAccountToken")
    if isinstance(pod_value, bool):
        return TokenMount(pod_value, f"the pod sets automountServiceAccountToken: {str(pod_value).lower()}",
                          field, pod_value)
    if injected is not None:
        return TokenMount(True, f"automounting added volume {injected!r}", field)
    name = service_account_name(pod)
    sa = cluster.get("ServiceAccount", pod.namespace, name)
    if sa is not None and isinstance(sa.raw.get("automountServiceAccountToken"), bool):
        value = sa.raw["automountServiceAccountToken"]
        return TokenMount(value, f"ServiceAccount {name!r} sets automountServiceAccountToken: "
                                 f"{str(value).lower()}", field)
    if sa is None:
        return TokenMount(True, f"neither the pod nor ServiceAccount {name!r} (not in the scanned input) "
                                "disables automounting", field)
    return TokenMount(True, f"neither the pod nor ServiceAccount {name!r} disables automounting", field)


INJECTED_VOLUME = "kube-api-access"


def _projected_token_paths(pod: PodSpecView) -> tuple[Path | None, str | None]:
    """(path of the first API-audience token source the pod asks for itself, name of the automount volume)."""
    vols = pod.spec.get("volumes")
    if not isinstance(vols, list):
        return None, None
    injected = None
    for i, v in enumerate(vols):
        proj = v.get("projected") if isinstance(v, dict) else None
        sources = proj.get("sources") if isinstance(proj, dict) else None
        if not isinstance(sources, list):
            continue
        name = v.get("name")
        if isinstance(name, str) and (name == INJECTED_VOLUME or name.startswith(INJECTED_VOLUME + "-")):
            injected = name
            continue
        for j, s in enumerate(sources):
            token = s.get("serviceAccountToken") if isinstance(s, dict) else None
            if isinstance(token, dict) and not token.get("audience"):
                return pod.path("volumes", i, "projected", "sources", j, "serviceAccountToken"), None
    return None, injected

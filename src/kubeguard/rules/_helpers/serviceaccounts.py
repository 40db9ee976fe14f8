"""Which service account a pod runs as, and whether its API token ends up in the pod.

Token automounting follows the upstream precedence: the pod's
``automountServiceAccountToken`` wins; when unset, the ServiceAccount's field decides; when
both are unset the token is mounted.  A ``projected`` volume with a ``serviceAccountToken``
source mounts a token whatever automounting says.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubeguard.model import ClusterInventory, K8sObject, Path, PodSpecView


def service_account_name(pod: PodSpecView) -> str:
    """``serviceAccountName``, else the deprecated ``serviceAccount`` alias, else ``default``."""
    for field in ("serviceAccountName", "serviceAccount"):
        v = pod.spec.get(field)
        if isinstance(v, str) and v:
            return v
    return "default"


def service_account(cluster: ClusterInventory, pod: PodSpecView) -> K8sObject | None:
    return cluster.get("ServiceAccount", pod.namespace, service_account_name(pod))


@dataclass(frozen=True, slots=True)
class TokenMount:
    mounted: bool
    reason: str  # why, for messages
    path: Path  # the field that decided (or where to set it)
    explicit_pod_opt_in: bool = False  # the pod itself asks for the token


def token_mount(cluster: ClusterInventory, pod: PodSpecView) -> TokenMount:
    projected = _projected_token_path(pod)
    if projected is not None:
        return TokenMount(True, "a projected serviceAccountToken volume mounts it", projected, True)
    pod_value = pod.spec.get("automountServiceAccountToken")
    field = pod.path("automountServiceAccountToken")
    if isinstance(pod_value, bool):
        return TokenMount(pod_value, f"the pod sets automountServiceAccountToken: {str(pod_value).lower()}",
                          field, pod_value)
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


def _projected_token_path(pod: PodSpecView) -> Path | None:
    vols = pod.spec.get("volumes")
    if not isinstance(vols, list):
        return None
    for i, v in enumerate(vols):
        proj = v.get("projected") if isinstance(v, dict) else None
        sources = proj.get("sources") if isinstance(proj, dict) else None
        if isinstance(sources, list):
            for j, s in enumerate(sources):
                if isinstance(s, dict) and isinstance(s.get("serviceAccountToken"), dict):
                    return pod.path("volumes", i, "projected", "sources", j, "serviceAccountToken")
    return None

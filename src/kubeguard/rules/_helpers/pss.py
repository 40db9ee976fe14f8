"""Pod Security Standards as upstream's pod-security-admission defines them: data and version gates.

Everything here mirrors ``staging/src/k8s.io/pod-security-admission/policy/check_*.go``
in kubernetes/kubernetes (the code is the definition; the kubernetes.io page lags it).
The rules under ``rules/workload`` use these tables, so one edit here follows upstream.

Policy version
--------------
Upstream checks are versioned: a namespace enforcing ``latest`` on a cluster gets the
checks of that cluster's release.  :func:`policy_version` reproduces that: the cluster's
Kubernetes version when known (snapshots, live clusters, ``facts.yaml`` in tests),
clamped to the newest definition known here, else :data:`LATEST`.

Version-gated behaviour (minimum policy version):

=====  ==========================================================================
1.25   Windows pods (``spec.os.name: windows``) exempt from the restricted
       allowPrivilegeEscalation, seccomp and capabilities checks
1.27   sysctl ``net.ipv4.ip_local_reserved_ports`` safe
1.29   sysctls ``net.ipv4.tcp_keepalive_time``, ``tcp_fin_timeout``, ``tcp_keepalive_intvl``,
       ``tcp_keepalive_probes`` safe
1.31   SELinux type ``container_engine_t`` allowed
1.32   sysctls ``net.ipv4.tcp_rmem``, ``net.ipv4.tcp_wmem`` safe
1.34   ``host`` forbidden in probe and lifecycle handlers (baseline)
1.35   pods with ``hostUsers: false`` exempt from restricted runAsNonRoot / runAsUser and
       from the baseline procMount check; restricted still requires ``Default`` procMount
1.37   sysctls ``net.ipv4.tcp_slow_start_after_idle``, ``net.ipv4.tcp_notsent_lowat`` safe
=====  ==========================================================================
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

Version = tuple[int, int]

#: The newest policy version defined upstream (the sysctl additions of release-1.37).
LATEST: Version = (1, 37)

# --- baseline -------------------------------------------------------------------------

#: capabilities_baseline: ``capabilities.add`` may only hold these (exact, case-sensitive).
BASELINE_CAPABILITIES = frozenset({
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
})

#: seccompProfile_baseline / _restricted: the allowed ``seccompProfile.type`` values.
SECCOMP_TYPES = frozenset({"RuntimeDefault", "Localhost"})

#: appArmorProfile: the allowed ``appArmorProfile.type`` values.
APPARMOR_TYPES = frozenset({"RuntimeDefault", "Localhost"})
#: The deprecated per-container annotation, still checked by upstream.
APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"

#: procMount: the only allowed value.
PROC_MOUNT_DEFAULT = "Default"

_SELINUX_TYPES_1_0 = frozenset({"", "container_t", "container_init_t", "container_kvm_t"})
_SELINUX_TYPES_1_31 = _SELINUX_TYPES_1_0 | {"container_engine_t"}

_SYSCTLS_1_0 = frozenset({
    "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
})
_SYSCTLS_1_27 = _SYSCTLS_1_0 | {"net.ipv4.ip_local_reserved_ports"}
_SYSCTLS_1_29 = _SYSCTLS_1_27 | {
    "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
}
_SYSCTLS_1_32 = _SYSCTLS_1_29 | {"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"}
_SYSCTLS_1_37 = _SYSCTLS_1_32 | {"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"}
# Newest first, so the lookup stops at the first gate the version reaches.
_SYSCTL_GATES: tuple[tuple[Version, frozenset[str]], ...] = (
    ((1, 37), _SYSCTLS_1_37), ((1, 32), _SYSCTLS_1_32), ((1, 29), _SYSCTLS_1_29),
    ((1, 27), _SYSCTLS_1_27), ((1, 0), _SYSCTLS_1_0),
)

#: hostProbesAndHostLifecycle (1.34+): handlers whose ``host`` must be empty.
PROBE_FIELDS = ("livenessProbe", "readinessProbe", "startupProbe")
LIFECYCLE_FIELDS = ("postStart", "preStop")
HANDLER_ACTIONS = ("httpGet", "tcpSocket")

# --- restricted -----------------------------------------------------------------------

#: capabilities_restricted: ``drop`` must contain this; ``add`` may contain only NET_BIND_SERVICE.
CAPABILITY_ALL = "ALL"
RESTRICTED_ADD_ALLOWED = "NET_BIND_SERVICE"

#: restrictedVolumes: the only volume sources allowed (``image`` since release 1.33, at every version).
RESTRICTED_VOLUME_SOURCES = frozenset({
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim",
    "projected", "secret",
})

#: Every volume source of core/v1 Volume, to name a volume's type.
VOLUME_SOURCES = RESTRICTED_VOLUME_SOURCES | {
    "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd",
    "flexVolume", "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk",
    "photonPersistentDisk", "portworxVolume", "scaleIO", "storageos",
}

# --- versions -------------------------------------------------------------------------

_VERSION = re.compile(r"^\s*v?(\d+)\.(\d+)")


@lru_cache(maxsize=64)
def parse_version(text: str | None) -> Version | None:
    """``"1.30"``, ``"v1.30.2"``, ``"1.30.2-eks-1234"`` -> ``(1, 30)``; ``None`` when not a version."""
    if not text:
        return None
    m = _VERSION.match(str(text))
    return (int(m.group(1)), int(m.group(2))) if m else None


def policy_version(ctx: Any) -> Version:
    """The policy version ``latest`` resolves to on the scanned cluster (see module doc)."""
    facts = getattr(getattr(ctx, "cluster", None), "facts", None)
    v = parse_version(getattr(facts, "kubernetes_version", None))
    if v is None or v > LATEST:
        return LATEST
    return v


def allowed_sysctls(version: Version) -> frozenset[str]:
    for gate, names in _SYSCTL_GATES:
        if version >= gate:
            return names
    return _SYSCTLS_1_0


def allowed_selinux_types(version: Version) -> frozenset[str]:
    return _SELINUX_TYPES_1_31 if version >= (1, 31) else _SELINUX_TYPES_1_0


def user_namespace_exempt(spec: dict[str, Any], version: Version) -> bool:
    """A ``hostUsers: false`` pod, from 1.35 exempt from runAsNonRoot, runAsUser and baseline procMount."""
    return version >= (1, 35) and spec.get("hostUsers") is False


def windows_exempt(spec: dict[str, Any], version: Version) -> bool:
    """A ``spec.os.name: windows`` pod, from 1.25 exempt from restricted APE, seccomp and capabilities."""
    if version < (1, 25):
        return False
    os_ = spec.get("os")
    return isinstance(os_, dict) and os_.get("name") == "windows"


def volume_source(volume: dict[str, Any]) -> str | None:
    """The source key of a volume; ``emptyDir`` when none is given (the API server defaults it so).

    Returns the first known source key; an unknown key (a newer source) is returned as is.
    """
    unknown = None
    for key in volume:
        if key == "name":
            continue
        if key in VOLUME_SOURCES:
            return key
        if unknown is None:
            unknown = key
    return unknown if unknown is not None else "emptyDir"


def apparmor_annotation_allowed(value: Any) -> bool:
    """The deprecated annotation may be empty, ``runtime/default`` or ``localhost/<profile>``."""
    if not isinstance(value, str):
        return False
    return value == "" or value == "runtime/default" or value.startswith("localhost/")


def metadata_path(pod: Any, *rest: str | int) -> tuple[str | int, ...]:
    """Path of the pod metadata that goes with a pod spec view (``spec.template.metadata`` ...)."""
    return pod.base[:-1] + ("metadata",) + rest

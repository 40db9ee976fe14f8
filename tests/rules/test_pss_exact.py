"""Pod Security Standards, field by field, as the upstream admission controller decides them.

Each case is one pod: a restricted-compliant base pod (init, regular and ephemeral
container) with a few fields changed, the policy version it is judged at, and the
upstream decision (``k8s.io/pod-security-admission``, policy "latest" unless a
version is given): allowed at both levels, forbidden only by restricted, or
forbidden by baseline (and so by restricted).  For forbidden pods the case lists
the exact field paths that must be reported.

All cases go into one fleet snapshot, one cluster per policy version, and
``kubeguard scan --rules tag:pss:restricted`` / ``tag:pss:baseline`` run once each
on it.  The test then requires, per pod: findings exactly at the listed paths
when forbidden at that level, and no finding at all when allowed.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from kubeguard.collect.snapshot import SnapshotCluster, write_snapshot
from kubeguard.frameworks._model import all_frameworks
from kubeguard.model import ClusterFacts
from kubeguard.model.objects import parse_path
from kubeguard.rules._registry import default_registry

from ..conftest import CORPUS

DELETE = object()
LATEST = "latest"
B, R = "baseline", "restricted"  # forbidden by baseline (and restricted) / by restricted only

APP = "spec.containers[0]"
INIT = "spec.initContainers[0]"
EPH = "spec.ephemeralContainers[0]"
AA = "metadata.annotations"
AA_KEY = "container.apparmor.security.beta.kubernetes.io/"


@dataclass(frozen=True)
class Case:
    id: str
    changes: dict = field(default_factory=dict)  # path -> value (DELETE removes)
    forbid: str | None = None  # None | "baseline" | "restricted"
    paths: tuple[str, ...] = ()  # failing paths expected (restricted level; baseline too when forbid == B)
    version: str = LATEST
    baseline_paths: tuple[str, ...] | None = None  # when baseline reports fewer paths than restricted


def _container(name: str) -> dict:
    return {"name": name, "image": "registry.example/app:1.0",
            "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}


def base_pod(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "pss"},
            "spec": {"securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
                     "initContainers": [_container("init")], "containers": [_container("app")],
                     "ephemeralContainers": [_container("debug")]}}


def _set(doc: dict, path: str, value) -> None:
    parts = parse_path(path)
    cur = doc
    for i, p in enumerate(parts[:-1]):
        nxt = parts[i + 1]
        if isinstance(p, int):
            cur = cur[p]
        else:
            cur = cur.setdefault(p, [] if isinstance(nxt, int) else {})
    last = parts[-1]
    if value is DELETE:
        cur.pop(last, None)
    elif isinstance(last, int):
        while len(cur) <= last:
            cur.append({})
        cur[last] = value
    else:
        cur[last] = value


def pod_for(case: Case) -> dict:
    doc = base_pod(case.id)
    for path, value in case.changes.items():
        _set(doc, path, value if value is DELETE else copy.deepcopy(value))
    return doc


def sc(who: str, f: str) -> str:
    return f"{who}.securityContext.{f}"


PSC = "spec.securityContext"
BASELINE_CAPS = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "SETFCAP",
                 "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]  # NET_BIND_SERVICE apart
SAFE_SYSCTLS = {
    "kernel.shm_rmid_forced": "1.0", "net.ipv4.ip_local_port_range": "1.0", "net.ipv4.tcp_syncookies": "1.0",
    "net.ipv4.ping_group_range": "1.0", "net.ipv4.ip_unprivileged_port_start": "1.0",
    "net.ipv4.ip_local_reserved_ports": "1.27", "net.ipv4.tcp_keepalive_time": "1.29",
    "net.ipv4.tcp_fin_timeout": "1.29", "net.ipv4.tcp_keepalive_intvl": "1.29",
    "net.ipv4.tcp_keepalive_probes": "1.29", "net.ipv4.tcp_rmem": "1.32", "net.ipv4.tcp_wmem": "1.32",
    "net.ipv4.tcp_slow_start_after_idle": "1.37", "net.ipv4.tcp_notsent_lowat": "1.37",
}
ALLOWED_VOLUMES = {
    "configMap": {"name": "c"}, "csi": {"driver": "d.example.com"}, "downwardAPI": {"items": []},
    "emptyDir": {}, "ephemeral": {"volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOnce"]}}},
    "image": {"reference": "registry.example/data:1"}, "persistentVolumeClaim": {"claimName": "c"},
    "projected": {"sources": []}, "secret": {"secretName": "s"},
}
RESTRICTED_VOLUMES = {
    "gcePersistentDisk": {"pdName": "d"}, "awsElasticBlockStore": {"volumeID": "v"},
    "gitRepo": {"repository": "https://example.com/r.git"}, "nfs": {"server": "nfs", "path": "/"},
    "iscsi": {"targetPortal": "t:3260", "iqn": "iqn.2001-04.com.example:t", "lun": 0},
    "glusterfs": {"endpoints": "e", "path": "p"}, "rbd": {"monitors": ["m"], "image": "i"},
    "flexVolume": {"driver": "example.com/x"}, "cinder": {"volumeID": "v"}, "cephfs": {"monitors": ["m"]},
    "flocker": {"datasetName": "d"}, "fc": {"wwids": ["w"]}, "azureFile": {"secretName": "s", "shareName": "s"},
    "vsphereVolume": {"volumePath": "p"}, "quobyte": {"registry": "r", "volume": "v"},
    "azureDisk": {"diskName": "d", "diskURI": "u"}, "portworxVolume": {"volumeID": "v"},
    "scaleIO": {"gateway": "g", "system": "s", "secretRef": {"name": "s"}}, "storageos": {"volumeName": "v"},
    "photonPersistentDisk": {"pdID": "p"},
}


def _no_restricted_context(*who: str) -> dict:
    """Changes that remove APE and capabilities from containers and seccomp from the pod."""
    out = {sc(PSC.removesuffix(".securityContext"), "seccompProfile"): DELETE}
    for w in who:
        out[f"{w}.securityContext"] = DELETE
    return out


CASES: list[Case] = [
    Case("base-restricted-pod"),
    # --- Host namespaces ------------------------------------------------------------
    Case("host-network", {"spec.hostNetwork": True}, B, ("spec.hostNetwork",)),
    Case("host-network-false", {"spec.hostNetwork": False}),
    Case("host-pid", {"spec.hostPID": True}, B, ("spec.hostPID",)),
    Case("host-ipc", {"spec.hostIPC": True}, B, ("spec.hostIPC",)),
    Case("host-pid-ipc-false", {"spec.hostPID": False, "spec.hostIPC": False}),
    # --- Privileged -----------------------------------------------------------------
    Case("privileged-app", {sc(APP, "privileged"): True}, B, (sc(APP, "privileged"),)),
    Case("privileged-init", {sc(INIT, "privileged"): True}, B, (sc(INIT, "privileged"),)),
    Case("privileged-ephemeral", {sc(EPH, "privileged"): True}, B, (sc(EPH, "privileged"),)),
    Case("privileged-false", {sc(APP, "privileged"): False}),
    # --- Capabilities -------------------------------------------------------------------
    Case("cap-add-net-bind-service", {sc(APP, "capabilities.add"): ["NET_BIND_SERVICE"]}),
    *[Case(f"cap-add-{c.lower().replace('_', '-')}", {sc(APP, "capabilities.add"): [c]}, R,
           (sc(APP, "capabilities.add[0]"),)) for c in BASELINE_CAPS],
    Case("cap-add-net-raw", {sc(APP, "capabilities.add"): ["NET_RAW"]}, B, (sc(APP, "capabilities.add[0]"),)),
    Case("cap-add-sys-admin", {sc(INIT, "capabilities.add"): ["SYS_ADMIN"]}, B, (sc(INIT, "capabilities.add[0]"),)),
    Case("cap-add-all", {sc(EPH, "capabilities.add"): ["ALL"]}, B, (sc(EPH, "capabilities.add[0]"),)),
    Case("cap-add-lowercase", {sc(APP, "capabilities.add"): ["chown"]}, B, (sc(APP, "capabilities.add[0]"),)),
    Case("cap-add-cap-prefix", {sc(APP, "capabilities.add"): ["CAP_CHOWN"]}, B, (sc(APP, "capabilities.add[0]"),)),
    Case("cap-add-mixed", {sc(APP, "capabilities.add"): ["NET_BIND_SERVICE", "KILL", "NET_ADMIN"]}, B,
         (sc(APP, "capabilities.add[1]"), sc(APP, "capabilities.add[2]")),
         baseline_paths=(sc(APP, "capabilities.add[2]"),)),
    Case("cap-drop-missing-app", {sc(APP, "capabilities"): DELETE}, R, (sc(APP, "capabilities.drop"),)),
    Case("cap-drop-missing-ephemeral", {sc(EPH, "capabilities.drop"): []}, R, (sc(EPH, "capabilities.drop"),)),
    Case("cap-drop-lowercase-all", {sc(INIT, "capabilities.drop"): ["all"]}, R, (sc(INIT, "capabilities.drop"),)),
    Case("cap-drop-net-raw-only", {sc(APP, "capabilities.drop"): ["NET_RAW"]}, R, (sc(APP, "capabilities.drop"),)),
    Case("cap-drop-all-and-more", {sc(APP, "capabilities.drop"): ["NET_RAW", "ALL"]}),
    Case("cap-container-without-context", {f"{APP}.securityContext": DELETE}, R,
         (sc(APP, "capabilities.drop"), sc(APP, "allowPrivilegeEscalation"))),
    # --- HostPath volumes -------------------------------------------------------------
    Case("host-path", {"spec.volumes": [{"name": "h", "hostPath": {"path": "/var/lib/app"}}]}, B,
         ("spec.volumes[0].hostPath",)),
    # --- Host ports -------------------------------------------------------------------
    Case("host-port", {f"{APP}.ports": [{"containerPort": 80, "hostPort": 8080}]}, B, (f"{APP}.ports[0].hostPort",)),
    Case("host-port-init", {f"{INIT}.ports": [{"containerPort": 80, "hostPort": 80}]}, B, (f"{INIT}.ports[0].hostPort",)),
    Case("host-port-ephemeral", {f"{EPH}.ports": [{"containerPort": 80, "hostPort": 80}]}, B,
         (f"{EPH}.ports[0].hostPort",)),
    Case("host-port-zero", {f"{APP}.ports": [{"containerPort": 80, "hostPort": 0}]}),
    Case("container-port-only", {f"{APP}.ports": [{"containerPort": 80}]}),
    # --- AppArmor ---------------------------------------------------------------------
    Case("apparmor-pod-runtime-default", {sc("spec", "appArmorProfile"): {"type": "RuntimeDefault"}}),
    Case("apparmor-pod-localhost", {sc("spec", "appArmorProfile"): {"type": "Localhost", "localhostProfile": "p"}}),
    Case("apparmor-pod-unconfined", {sc("spec", "appArmorProfile"): {"type": "Unconfined"}}, B,
         (sc("spec", "appArmorProfile.type"),)),
    Case("apparmor-app-unconfined", {sc(APP, "appArmorProfile"): {"type": "Unconfined"}}, B,
         (sc(APP, "appArmorProfile.type"),)),
    Case("apparmor-ephemeral-unconfined", {sc(EPH, "appArmorProfile"): {"type": "Unconfined"}}, B,
         (sc(EPH, "appArmorProfile.type"),)),
    Case("apparmor-profile-without-type", {sc(INIT, "appArmorProfile"): {"localhostProfile": "p"}}, B,
         (sc(INIT, "appArmorProfile.type"),)),
    Case("apparmor-annotation-empty", {f'{AA}["{AA_KEY}app"]': ""}),
    Case("apparmor-annotation-runtime-default", {f'{AA}["{AA_KEY}app"]': "runtime/default"}),
    Case("apparmor-annotation-localhost-profile", {f'{AA}["{AA_KEY}init"]': "localhost/k8s-apparmor"}),
    Case("apparmor-annotation-unconfined", {f'{AA}["{AA_KEY}app"]': "unconfined"}, B, (f'{AA}["{AA_KEY}app"]',)),
    Case("apparmor-annotation-localhost-bare", {f'{AA}["{AA_KEY}debug"]': "localhost"}, B,
         (f'{AA}["{AA_KEY}debug"]',)),
    Case("apparmor-annotation-unknown-container", {f'{AA}["{AA_KEY}ghost"]': "unconfined"}, B,
         (f'{AA}["{AA_KEY}ghost"]',)),
    # --- SELinux ----------------------------------------------------------------------
    *[Case(f"selinux-type-{t.replace('_', '-') or 'empty'}", {sc(APP, "seLinuxOptions"): {"type": t}})
      for t in ("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t")],
    Case("selinux-engine-type-1-30", {sc(APP, "seLinuxOptions"): {"type": "container_engine_t"}}, B,
         (sc(APP, "seLinuxOptions.type"),), version="1.30"),
    Case("selinux-engine-type-1-31", {sc(APP, "seLinuxOptions"): {"type": "container_engine_t"}}, version="1.31"),
    Case("selinux-pod-spc", {sc("spec", "seLinuxOptions"): {"type": "spc_t"}}, B, (sc("spec", "seLinuxOptions.type"),)),
    Case("selinux-ephemeral-unconfined", {sc(EPH, "seLinuxOptions"): {"type": "unconfined_t"}}, B,
         (sc(EPH, "seLinuxOptions.type"),)),
    Case("selinux-user", {sc(APP, "seLinuxOptions"): {"user": "system_u"}}, B, (sc(APP, "seLinuxOptions.user"),)),
    Case("selinux-role", {sc("spec", "seLinuxOptions"): {"role": "object_r"}}, B,
         (sc("spec", "seLinuxOptions.role"),)),
    Case("selinux-empty-user-role", {sc(APP, "seLinuxOptions"): {"user": "", "role": "", "type": ""}}),
    Case("selinux-level", {sc("spec", "seLinuxOptions"): {"level": "s0:c123,c456"}}),
    # --- /proc mount type -------------------------------------------------------------
    Case("proc-mount-default", {sc(APP, "procMount"): "Default"}),
    Case("proc-mount-unmasked", {sc(APP, "procMount"): "Unmasked"}, B, (sc(APP, "procMount"),)),
    Case("proc-mount-unmasked-ephemeral", {sc(EPH, "procMount"): "Unmasked"}, B, (sc(EPH, "procMount"),)),
    Case("proc-mount-unmasked-userns", {"spec.hostUsers": False, sc(INIT, "procMount"): "Unmasked"}, R,
         (sc(INIT, "procMount"),)),
    Case("proc-mount-unmasked-userns-1-34", {"spec.hostUsers": False, sc(INIT, "procMount"): "Unmasked"}, B,
         (sc(INIT, "procMount"),), version="1.34"),
    # --- Seccomp ----------------------------------------------------------------------
    Case("seccomp-pod-localhost", {sc("spec", "seccompProfile"): {"type": "Localhost", "localhostProfile": "p.json"}}),
    Case("seccomp-pod-localhost-without-profile", {sc("spec", "seccompProfile"): {"type": "Localhost"}}),
    Case("seccomp-pod-unconfined", {sc("spec", "seccompProfile"): {"type": "Unconfined"}}, B,
         (sc("spec", "seccompProfile.type"),)),
    Case("seccomp-pod-without-type", {sc("spec", "seccompProfile"): {}}, B, (sc("spec", "seccompProfile.type"),)),
    Case("seccomp-app-unconfined", {sc(APP, "seccompProfile"): {"type": "Unconfined"}}, B,
         (sc(APP, "seccompProfile.type"),)),
    Case("seccomp-pod-unconfined-containers-set",
         {sc("spec", "seccompProfile"): {"type": "Unconfined"}, **{sc(w, "seccompProfile"): {"type": "RuntimeDefault"}
                                                                    for w in (APP, INIT, EPH)}}, B,
         (sc("spec", "seccompProfile.type"),)),
    Case("seccomp-containers-only", {sc("spec", "seccompProfile"): DELETE,
                                     **{sc(w, "seccompProfile"): {"type": "RuntimeDefault"} for w in (APP, INIT, EPH)}}),
    Case("seccomp-missing-one-container", {sc("spec", "seccompProfile"): DELETE,
                                           **{sc(w, "seccompProfile"): {"type": "Localhost"} for w in (APP, INIT)}}, R,
         (sc(EPH, "seccompProfile.type"),)),
    Case("seccomp-missing-everywhere", {sc("spec", "seccompProfile"): DELETE}, R,
         tuple(sc(w, "seccompProfile.type") for w in (APP, INIT, EPH))),
    Case("seccomp-container-overrides-pod", {sc(APP, "seccompProfile"): {"type": "Localhost", "localhostProfile": "a"}}),
    # --- Sysctls ----------------------------------------------------------------------
    *[Case(f"sysctl-{n.replace('.', '-').replace('_', '-')}", {sc("spec", "sysctls"): [{"name": n, "value": "1"}]},
           version=v if v != "1.0" else "1.19") for n, v in SAFE_SYSCTLS.items()],
    *[Case(f"sysctl-{n.replace('.', '-').replace('_', '-')}-before-{v}", {sc("spec", "sysctls"): [{"name": n, "value": "1"}]},
           B, (sc("spec", "sysctls[0].name"),), version=f"1.{int(v.split('.')[1]) - 1}")
      for n, v in SAFE_SYSCTLS.items() if v != "1.0"],
    Case("sysctl-all-safe", {sc("spec", "sysctls"): [{"name": n, "value": "1"} for n in SAFE_SYSCTLS]}),
    Case("sysctl-unsafe", {sc("spec", "sysctls"): [{"name": "net.ipv4.tcp_syncookies", "value": "1"},
                                                  {"name": "kernel.msgmax", "value": "65536"}]}, B,
         (sc("spec", "sysctls[1].name"),)),
    Case("sysctl-slash-separator", {sc("spec", "sysctls"): [{"name": "net/ipv4/tcp_syncookies", "value": "1"}]}, B,
         (sc("spec", "sysctls[0].name"),)),
    # --- Windows HostProcess ----------------------------------------------------------
    Case("host-process-pod", {sc("spec", "windowsOptions.hostProcess"): True}, B,
         (sc("spec", "windowsOptions.hostProcess"),)),
    Case("host-process-init", {sc(INIT, "windowsOptions.hostProcess"): True}, B,
         (sc(INIT, "windowsOptions.hostProcess"),)),
    Case("host-process-ephemeral", {sc(EPH, "windowsOptions.hostProcess"): True}, B,
         (sc(EPH, "windowsOptions.hostProcess"),)),
    Case("host-process-false", {sc("spec", "windowsOptions.hostProcess"): False}),
    # --- Probe / lifecycle host (1.34+) -----------------------------------------------
    Case("probe-host-empty", {f"{APP}.livenessProbe": {"httpGet": {"host": "", "port": 8080}}}),
    Case("probe-host-loopback", {f"{APP}.livenessProbe": {"httpGet": {"host": "127.0.0.1", "port": 8080}}}, B,
         (f"{APP}.livenessProbe.httpGet.host",)),
    Case("probe-host-ipv6-loopback", {f"{APP}.readinessProbe": {"tcpSocket": {"host": "::1", "port": 8080}}}, B,
         (f"{APP}.readinessProbe.tcpSocket.host",)),
    Case("probe-host-localhost-init", {f"{INIT}.startupProbe": {"httpGet": {"host": "localhost", "port": 80}}}, B,
         (f"{INIT}.startupProbe.httpGet.host",)),
    Case("lifecycle-host-prestop", {f"{APP}.lifecycle": {"preStop": {"tcpSocket": {"host": "10.0.0.1", "port": 1}}}}, B,
         (f"{APP}.lifecycle.preStop.tcpSocket.host",)),
    Case("lifecycle-host-poststart-ephemeral",
         {f"{EPH}.lifecycle": {"postStart": {"httpGet": {"host": "metadata.internal", "port": 80}}}}, B,
         (f"{EPH}.lifecycle.postStart.httpGet.host",)),
    Case("probe-host-1-33", {f"{APP}.livenessProbe": {"httpGet": {"host": "127.0.0.1", "port": 8080}}},
         version="1.33"),
    # --- Volume types (restricted) ----------------------------------------------------
    *[Case(f"volume-{t.lower()}", {"spec.volumes": [{"name": "v", t: s}]}) for t, s in ALLOWED_VOLUMES.items()],
    Case("volume-without-source", {"spec.volumes": [{"name": "v"}]}),
    *[Case(f"volume-{t.lower()}", {"spec.volumes": [{"name": "ok", "emptyDir": {}}, {"name": "v", t: s}]}, R,
           (f"spec.volumes[1].{t}",)) for t, s in RESTRICTED_VOLUMES.items()],
    # --- Privilege escalation (restricted) --------------------------------------------
    Case("ape-unset-app", {sc(APP, "allowPrivilegeEscalation"): DELETE}, R, (sc(APP, "allowPrivilegeEscalation"),)),
    Case("ape-true-init", {sc(INIT, "allowPrivilegeEscalation"): True}, R, (sc(INIT, "allowPrivilegeEscalation"),)),
    Case("ape-unset-ephemeral", {sc(EPH, "allowPrivilegeEscalation"): DELETE}, R,
         (sc(EPH, "allowPrivilegeEscalation"),)),
    # --- Windows pods: restricted APE, seccomp and capabilities not checked (1.25+) ---
    Case("windows-pod", {"spec.os": {"name": "windows"}, **_no_restricted_context(APP, INIT, EPH)}),
    Case("windows-pod-1-24", {"spec.os": {"name": "windows"}, **_no_restricted_context(APP)}, R,
         (sc(APP, "allowPrivilegeEscalation"), sc(APP, "capabilities.drop"), sc(APP, "seccompProfile.type"),
          sc(INIT, "seccompProfile.type"), sc(EPH, "seccompProfile.type")), version="1.24"),
    Case("linux-pod-os", {"spec.os": {"name": "linux"}, **_no_restricted_context(APP)}, R,
         (sc(APP, "allowPrivilegeEscalation"), sc(APP, "capabilities.drop"), sc(APP, "seccompProfile.type"),
          sc(INIT, "seccompProfile.type"), sc(EPH, "seccompProfile.type"))),
    # --- Running as non-root (restricted) ---------------------------------------------
    Case("run-as-non-root-container-false", {sc(APP, "runAsNonRoot"): False}, R, (sc(APP, "runAsNonRoot"),)),
    Case("run-as-non-root-pod-false", {sc("spec", "runAsNonRoot"): False,
                                       **{sc(w, "runAsNonRoot"): True for w in (APP, INIT, EPH)}}, R,
         (sc("spec", "runAsNonRoot"),)),
    Case("run-as-non-root-containers-only", {sc("spec", "runAsNonRoot"): DELETE,
                                             **{sc(w, "runAsNonRoot"): True for w in (APP, INIT, EPH)}}),
    Case("run-as-non-root-ephemeral-unset", {sc("spec", "runAsNonRoot"): DELETE,
                                             **{sc(w, "runAsNonRoot"): True for w in (APP, INIT)}}, R,
         (sc(EPH, "runAsNonRoot"),)),
    Case("run-as-non-root-unset", {sc("spec", "runAsNonRoot"): DELETE}, R,
         tuple(sc(w, "runAsNonRoot") for w in (APP, INIT, EPH))),
    Case("run-as-non-root-userns", {"spec.hostUsers": False, sc("spec", "runAsNonRoot"): DELETE}),
    Case("run-as-non-root-userns-1-34", {"spec.hostUsers": False, sc("spec", "runAsNonRoot"): DELETE}, R,
         tuple(sc(w, "runAsNonRoot") for w in (APP, INIT, EPH)), version="1.34"),
    Case("run-as-non-root-host-users-true", {"spec.hostUsers": True, sc("spec", "runAsNonRoot"): DELETE}, R,
         tuple(sc(w, "runAsNonRoot") for w in (APP, INIT, EPH))),
    # --- Running as non-root user (restricted) ----------------------------------------
    Case("run-as-user-nonzero", {sc("spec", "runAsUser"): 1000, sc(APP, "runAsUser"): 1}),
    Case("run-as-user-pod-zero", {sc("spec", "runAsUser"): 0}, R, (sc("spec", "runAsUser"),)),
    Case("run-as-user-pod-zero-containers-set", {sc("spec", "runAsUser"): 0,
                                                 **{sc(w, "runAsUser"): 1000 for w in (APP, INIT, EPH)}}, R,
         (sc("spec", "runAsUser"),)),
    Case("run-as-user-ephemeral-zero", {sc("spec", "runAsUser"): 1000, sc(EPH, "runAsUser"): 0}, R,
         (sc(EPH, "runAsUser"),)),
    Case("run-as-user-zero-userns", {"spec.hostUsers": False, sc("spec", "runAsUser"): 0}),
    Case("run-as-user-zero-userns-1-34", {"spec.hostUsers": False, sc(INIT, "runAsUser"): 0}, R,
         (sc(INIT, "runAsUser"),), version="1.34"),
    # --- Not part of the standards: allowed at every level ----------------------------
    Case("not-pss-writable-root-fs", {sc(APP, "readOnlyRootFilesystem"): False}),
    Case("not-pss-root-group", {sc("spec", "runAsGroup"): 0, sc("spec", "fsGroup"): 0,
                                sc("spec", "supplementalGroups"): [0]}),
    Case("not-pss-low-uid", {sc("spec", "runAsUser"): 1}),
    Case("not-pss-shared-process-namespace", {"spec.shareProcessNamespace": True}),
    Case("not-pss-host-aliases", {"spec.hostAliases": [{"ip": "10.0.0.1", "hostnames": ["a"]}]}),
    Case("not-pss-privileged-port", {f"{APP}.ports": [{"containerPort": 22}]}),
    Case("not-pss-sudo", {f"{APP}.command": ["sudo", "app"]}),
    Case("not-pss-service-account-token", {"spec.automountServiceAccountToken": True}),
]


def test_case_ids_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


def _cluster(version: str) -> str:
    return "pss-" + version.replace(".", "-")


def _scan(snapshot: Path, *args: str) -> dict[tuple[str, str], set[str]]:
    p = subprocess.run([sys.executable, "-m", "kubeguard", "scan", str(snapshot), *args, "-f", "json",
                        "--no-progress"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    errors = [f for f in doc["findings"] if f["status"] == "ERROR"]
    assert not errors, errors[:3]
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in doc["findings"]:
        if f["status"] == "FAIL":
            out[(f["cluster"], f["name"])].add(f["path"])
    return out


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict[tuple[str, str], set[str]]]:
    by_version: dict[str, list[dict]] = defaultdict(list)
    for case in CASES:
        by_version[case.version].append(pod_for(case))
    clusters = [SnapshotCluster(ClusterFacts(name=_cluster(v), kubernetes_version=None if v == LATEST else v,
                                             source="manifests"), pods) for v, pods in sorted(by_version.items())]
    snap = tmp_path_factory.mktemp("pss") / "pss.snapshot.json.gz"
    write_snapshot(snap, clusters)
    return {
        "restricted": _scan(snap, "--rules", "tag:pss:restricted"),
        "baseline": _scan(snap, "--rules", "tag:pss:baseline"),
        "framework": _scan(snap, "--framework", "pss-restricted"),
    }


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_restricted_decision(case: Case, results):
    got = results["restricted"].get((_cluster(case.version), case.id), set())
    want = set(case.paths) if case.forbid else set()
    assert got == want, f"{case.id}: upstream {'forbids' if case.forbid else 'allows'} it at restricted"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_baseline_decision(case: Case, results):
    got = results["baseline"].get((_cluster(case.version), case.id), set())
    want = set(case.baseline_paths or case.paths) if case.forbid == B else set()
    assert got == want, f"{case.id}: upstream {'forbids' if case.forbid == B else 'allows'} it at baseline"


def test_framework_pss_restricted_runs_the_same_rules(results):
    assert results["framework"] == results["restricted"]


@pytest.mark.parametrize("level", ["baseline", "restricted"])
def test_catalog_maps_exactly_the_tagged_rules(level):
    fw = all_frameworks()[f"pss-{level}"]
    mapped = {code for req in fw.requirements for code in req.rules}
    tagged = {r.code for r in default_registry() if f"pss:{level}" in r.meta.tags}
    assert mapped == tagged


def test_baseline_rules_are_also_restricted():
    for r in default_registry():
        if "pss:baseline" in r.meta.tags:
            assert "pss:restricted" in r.meta.tags, f"{r.code}: restricted includes every baseline control"


# --- BishopFox badPods: every manifest but "nothing-allowed" violates baseline ---------------

BADPODS = CORPUS / "insecure-badpods"
_WORKLOAD_KINDS = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job",
                   "CronJob"}


def _badpods_workloads() -> list[tuple[str, str, str]]:
    """(category, kind, name) of every workload object in the corpus folder."""
    out = []
    for f in sorted(BADPODS.rglob("*.yaml")):
        category = f.relative_to(BADPODS / "manifests").parts[0]
        for doc in yaml.safe_load_all(f.read_text()):
            if isinstance(doc, dict) and doc.get("kind") in _WORKLOAD_KINDS:
                out.append((category, doc["kind"], doc["metadata"]["name"]))
    return out


@pytest.mark.skipif(not BADPODS.is_dir(), reason="shared corpus not present")
def test_badpods_violate_baseline_except_nothing_allowed():
    workloads = _badpods_workloads()
    assert len(workloads) == 128
    for level in ("baseline", "restricted"):
        p = subprocess.run([sys.executable, "-m", "kubeguard", "scan", str(BADPODS), "--rules", f"tag:pss:{level}",
                            "-f", "json", "--no-progress"], capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        failing = {(f["kind"], f["name"]) for f in json.loads(p.stdout)["findings"] if f["status"] == "FAIL"}
        for category, kind, name in workloads:
            # nothing-allowed is the default pod: baseline admits it, restricted does not.
            expect = category != "nothing-allowed" or level == "restricted"
            assert ((kind, name) in failing) == expect, f"{level}: {category} {kind}/{name}"

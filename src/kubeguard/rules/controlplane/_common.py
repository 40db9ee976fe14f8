"""Finding control-plane components in a cluster and turning their flags into findings.

A component instance is a container of a Pod in ``kube-system`` that runs the
component (see :func:`instances`).  Static pod manifests, the mirror Pods a live
cluster returns, and snapshots all look the same.  Managed control planes (EKS,
AKS, GKE) show no such Pods: the rules do not apply there.

Rules are cluster-level: they apply when the component is present, yield one
violation per failing instance (the Pod is the object, the path the deciding
``command``/``args`` entry, or the container when the flag is absent) and report
UNKNOWN when a flag cannot be read or the setting lives in a file the scan
cannot see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kubeguard.model import ClusterInventory, ContainerView, K8sObject, NotEvaluated, Violation, pod_specs
from kubeguard.rules._helpers.flags import (
    ETCD, CommandLine, FlagError, Setting, Spec, each, image_names, loopback, parse, runs,
)
from kubeguard.rules._helpers.pss import parse_version
from kubeguard.rules._helpers.workloads import objects_in

SYSTEM_NAMESPACE = "kube-system"

# kube-apiserver admission plugins enabled when --enable-admission-plugins does not name them
# (pkg/kubeapiserver/options/plugins.go, DefaultOffAdmissionPlugins' complement, 1.30-1.34).
DEFAULT_ADMISSION_PLUGINS = frozenset({
    "NamespaceLifecycle", "LimitRanger", "ServiceAccount", "TaintNodesByCondition", "PodSecurity", "Priority",
    "DefaultTolerationSeconds", "DefaultStorageClass", "StorageObjectInUseProtection",
    "PersistentVolumeClaimResize", "RuntimeClass", "CertificateApproval", "CertificateSigning",
    "ClusterTrustBundleAttest", "CertificateSubjectRestriction", "DefaultIngressClass", "MutatingAdmissionWebhook",
    "MutatingAdmissionPolicy", "ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook", "ResourceQuota",
})
# lumberjack writes kube-apiserver's audit log file: --audit-log-maxage 0 means no age limit,
# --audit-log-maxbackup 0 keeps every rotated file, and --audit-log-maxsize 0 rotates at 100 MB.
LUMBERJACK_MAXSIZE_MB = 100


@dataclass(frozen=True, slots=True)
class Instance:
    """One running component: the Pod, its container and the parsed command line."""

    obj: K8sObject
    container: str
    flags: CommandLine

    @property
    def spec(self) -> Spec:
        return self.flags.spec

    def fail(self, setting: Setting, message: str, value: Any = None) -> Violation:
        """A violation at the flag (or the container when absent) naming the flag and its effective value."""
        return Violation(
            f"{self.spec.name} {message}", setting.path, container=self.container, obj=self.obj,
            evidence={"component": self.spec.name, "flag": f"--{setting.flag}",
                      "value": setting.raw if value is None else value, "default": not setting.is_set},
        )


def version_of(inst: Instance, ctx) -> tuple[tuple[int, int] | None, str]:
    """The component's (major, minor) and where it came from: its image tag, else the cluster's server version."""
    for view in pod_specs(inst.obj):
        for c in view.all_containers():
            if c.name == inst.container:
                tag = c.image.split("@", 1)[0].rpartition("/")[2].partition(":")[2]
                v = parse_version(tag)
                if v is not None:
                    return v, f"image {c.image}"
    server = ctx.cluster.facts.kubernetes_version
    v = parse_version(server)
    return (v, f"server version {server}") if v is not None else (None, "version unknown")


def _containers(cluster: ClusterInventory, spec: Spec) -> Iterator[tuple[K8sObject, ContainerView]]:
    for obj in objects_in(cluster, "Pod", SYSTEM_NAMESPACE):
        labelled = obj.labels.get("component") == spec.name
        for view in pod_specs(obj):
            containers = list(view.containers_of("containers"))
            for c in containers:
                image = image_names(c.raw, spec)
                if runs(spec, c.raw) or (image and not c.raw.get("command")) or \
                        (labelled and (image or len(containers) == 1)):
                    yield obj, c


def instances(cluster: ClusterInventory, spec: Spec) -> list[Instance]:
    """Every container of a kube-system Pod that runs ``spec``'s component: its command line names the
    binary, or it has no ``command`` and its image is the component, or the Pod is labelled
    ``component: <name>`` and the container's image is the component or it is the only container."""
    return [Instance(obj, c.name, parse(spec, c.raw, c.base)) for obj, c in _containers(cluster, spec)]


Check = Callable[[Instance, Any], Iterable[Violation]]  # (instance, RuleContext)


def component_rule(spec: Spec, check: Check) -> tuple[Callable[..., bool], Callable[..., Iterator[Violation]]]:
    """``(applies, evaluate)`` running ``check`` on every instance of the component.

    A check raises :class:`NotEvaluated` (or the parser :class:`FlagError`) when it
    cannot decide; the rule is UNKNOWN unless another instance failed.
    """

    def applies(cluster: ClusterInventory, ctx) -> bool:
        return any(True for _ in _containers(cluster, spec))

    def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
        return each(instances(cluster, spec), guarded, ctx, lambda i: f"{i.obj} container {i.container}")

    def guarded(inst: Instance, ctx) -> Iterable[Violation]:
        if spec is ETCD and inst.flags.has("config-file"):
            raise NotEvaluated(f"etcd reads its settings from {inst.flags['config-file'].shown()}, which makes "
                               "it ignore command-line flags and ETCD_* variables; the file needs node access")
        return check(inst, ctx)

    return applies, evaluate


# --- checks shared by several rules -----------------------------------------------------------

def require_bool(flag: str, want: bool) -> Check:
    """The boolean flag must be ``want`` (its default counts when absent)."""

    def check(inst: Instance, ctx) -> Iterator[Violation]:
        s = inst.flags[flag]
        if s.boolean() is not want:
            yield inst.fail(s, f"{s.shown()}; it must be {str(want).lower()}")

    return check


def require_set(*flags: str, why: str) -> Check:
    """Every flag must be given with a value (paths the component has no default for)."""

    def check(inst: Instance, ctx) -> Iterator[Violation]:
        for flag in flags:
            s = inst.flags[flag]
            if not s.is_set:
                yield inst.fail(s, f"--{flag} is not set: {why}", "")
            elif not (s.raw or "").strip():
                yield inst.fail(s, f"--{flag} is empty: {why}")

    return check


def require_loopback() -> Check:
    """``--bind-address`` must be a loopback address, unless nothing is served (``--secure-port=0``)."""

    def check(inst: Instance, ctx) -> Iterator[Violation]:
        port = inst.flags["secure-port"]
        if port.is_set and port.integer() == 0:
            return
        s = inst.flags["bind-address"]
        if not loopback(s.raw or ""):
            yield inst.fail(s, f"{s.shown()}: it listens beyond loopback (127.0.0.1)")

    return check


@dataclass(frozen=True, slots=True)
class Admission:
    """kube-apiserver's effective admission plugins and the flag that decides each."""

    enabled: frozenset[str]
    enable: Setting
    disable: Setting
    legacy: Setting  # --admission-control (deprecated): exactly the listed plugins

    def decider(self, plugin: str) -> Setting:
        if self.legacy.is_set:
            return self.legacy
        if plugin in self.disable.items():
            return self.disable
        return self.enable


def admission(inst: Instance) -> Admission:
    f = inst.flags
    enable, disable, legacy = f["enable-admission-plugins"], f["disable-admission-plugins"], f["admission-control"]
    if legacy.is_set:
        enabled = frozenset(legacy.items())
    else:
        enabled = (DEFAULT_ADMISSION_PLUGINS | frozenset(enable.items())) - frozenset(disable.items())
    return Admission(enabled, enable, disable, legacy)


def admission_plugin(plugin: str, want: bool) -> Check:
    """The admission plugin must be on (``want``) or off, after defaults and both lists."""

    def check(inst: Instance, ctx) -> Iterator[Violation]:
        adm = admission(inst)
        if (plugin in adm.enabled) is want:
            return
        s = adm.decider(plugin)
        on_by_default = plugin in DEFAULT_ADMISSION_PLUGINS
        if want and s is adm.disable:
            state = f"is disabled by {s.shown()}"
        elif want:
            state = (f"is not enabled ({s.shown()}" + ("" if on_by_default else "; it is off by default") + ")")
        else:
            state = f"is enabled by {s.shown()}"
        yield inst.fail(s, f"admission plugin {plugin} {state}", ",".join(s.items()))

    return check


def authorization_modes(inst: Instance) -> tuple[list[str], Setting]:
    """kube-apiserver's authorizers; UNKNOWN when they are in an --authorization-config file."""
    cfg = inst.flags["authorization-config"]
    if cfg.is_set:
        raise NotEvaluated(f"authorizers are configured in {cfg.shown()}, an AuthorizationConfiguration file "
                           "the scan cannot read (needs node access)")
    s = inst.flags["authorization-mode"]
    return s.items(), s


def require_authorizer(mode: str) -> Check:
    """kube-apiserver's authorizers must include ``mode``."""

    def check(inst: Instance, ctx) -> Iterator[Violation]:
        modes, s = authorization_modes(inst)
        if mode not in modes:
            yield inst.fail(s, f"authorizers do not include {mode}: {s.shown()}", ",".join(modes))

    return check


def audit_log_limit(flag: str, param: str, unit: str) -> Check:
    """An audit log retention flag must reach the rule parameter ``param`` (0 as lumberjack reads it)."""

    def check(inst: Instance, ctx) -> Iterator[Violation]:
        s = inst.flags[flag]
        minimum = getattr(ctx.params, param)
        path = inst.flags["audit-log-path"]
        if not (path.raw or "").strip():
            yield inst.fail(s, f"{s.shown()}, but no audit log file is written (--audit-log-path is not set)")
            return
        if path.raw == "-":
            yield inst.fail(s, f"{s.shown()}, but audit events go to standard output (--audit-log-path=-), where "
                               "the API server rotates and keeps no file")
            return
        value = s.integer() or 0
        if value < 0:
            raise FlagError(f"--{flag}={value} is negative, which the API server rejects")
        if value == 0 and flag == "audit-log-maxsize":
            value = LUMBERJACK_MAXSIZE_MB
        if value and value < minimum:
            yield inst.fail(s, f"{s.shown()} {unit}: fewer than the {minimum} required")

    return check


# --- files named by kube-apiserver flags, given with --node-config ------------------------------

@dataclass(frozen=True, slots=True)
class GivenFile:
    """A file a kube-apiserver flag names, as given with ``--node-config`` (secrets already removed)."""

    setting: Setting  # the flag naming it on this instance
    file: str  # the file given
    config: dict[str, Any]

    def fail(self, inst: Instance, message: str, **evidence: Any) -> Violation:
        """A violation at the flag, naming the file given and what in it fails."""
        return Violation(
            f"{inst.spec.name} {self.setting.shown()}: {message} (in {self.file})", self.setting.path,
            container=inst.container, obj=inst.obj,
            evidence={"component": inst.spec.name, "flag": f"--{self.setting.flag}", "value": self.setting.raw,
                      "file": self.file, **evidence},
        )


def instance_node(inst: Instance) -> str | None:
    """The node a control-plane Pod runs on: ``spec.nodeName``, else the mirror Pod's ``<name>-<node>`` suffix."""
    spec = inst.obj.raw.get("spec") if isinstance(inst.obj.raw.get("spec"), dict) else {}
    if isinstance(spec.get("nodeName"), str) and spec["nodeName"]:
        return spec["nodeName"]
    prefix = f"{inst.spec.name}-"
    return (inst.obj.name[len(prefix):] or None) if inst.obj.name.startswith(prefix) else None


def given_file(inst: Instance, ctx, flag: str) -> GivenFile | None:
    """The file ``--flag`` names, when it was given with ``--node-config``; UNKNOWN when the flag is set but
    the file was not given; None when the flag is not set.

    A file given as ``NODE=FILE`` belongs to the API server on that node; one given without a node to every
    API server of the cluster (an HA control plane carries the same file on each node).
    """
    s = inst.flags[flag]
    if not (s.raw or "").strip():
        return None
    per_node = (ctx.facts.get("apiserverFiles") or {}).get(flag) or {}
    node = instance_node(inst)
    got = per_node.get(node) if node else None
    if got is None:
        got = per_node.get("")
    if got is None and node is None and len(per_node) == 1:  # a static manifest read from disk names no node
        got = next(iter(per_node.values()))
    if not isinstance(got, dict) or not isinstance(got.get("config"), dict):
        raise NotEvaluated(f"{s.shown()} is read on the node; give that file with --node-config "
                           f"{(node + '=') if node else '[NODE=]'}FILE to check its content")
    return GivenFile(s, str(got.get("file") or ""), got["config"])

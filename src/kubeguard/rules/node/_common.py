"""Kubelet settings of a cluster's nodes, from every source the scan has, with upstream defaults.

Sources, per node:

* ``facts["kubelet"][node]``: a KubeletConfiguration's fields (v1beta1 JSON names),
  either the effective configuration the live collector read from
  ``/api/v1/nodes/NODE/proxy/configz`` or a file given with ``--node-config``
  (``facts["kubeletFiles"][node]`` names that file; see
  :mod:`kubeguard.collect.nodeconfig`).  A field that is absent takes its v1beta1
  default (configz omits zero values, which equal those defaults).  In a file,
  the kubelet's defaulting also replaces some zero values: ``0s`` for
  ``streamingConnectionIdleTimeout`` (kubeadm writes it) becomes 4h, an empty
  ``authorization.mode`` becomes Webhook; configz already shows the result.
* a kubelet running in a Pod or DaemonSet container: its command-line flags,
  which override its ``--config`` file.  Without ``--config`` the kubelet's flag
  defaults apply (anonymous auth on, AlwaysAllow, read-only port 10255); with
  it, a setting not given as a flag lives in a file the scan cannot see (UNKNOWN).
* ``facts["kubeletFlags"][node]``: the kubelet's command line from files given with
  ``--node-config`` (its unit, ``kubeadm-flags.env``, ``/proc/PID/cmdline``;
  :mod:`kubeguard.collect.kubelet_flags`).  ``complete`` is false for environment
  files alone, a part of the command line: a flag they do not set is UNKNOWN
  unless the node's configuration file is given too.

Flags and a configuration of the same node (a file, or a Pod with that
``nodeName``) are one kubelet, merged as the kubelet merges them: a flag given on
the command line overrides the file, feature gates merge key by key, and the file
(with v1beta1 defaults) decides the rest.  configz is the effective result of that
merge already, so it decides every field it has; the flags add what only a flag
says (``--hostname-override``).

Rules are cluster-level: NOT_APPLICABLE when no kubelet configuration is known,
UNKNOWN when the live collector could not read configz of any node
(``requires=("kubelet",)``).  When it read some nodes, ``facts["kubeletUnread"]``
(node -> why) names the others: each read node is judged, and each unread one is
not evaluated, so the rule is UNKNOWN (or FAIL, if a read node fails) naming them,
never PASS.
A finding's path is ``kubelet.<node>.<field>`` for configuration sources and the
container's ``command``/``args`` entry for flags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from kubeguard.model import (
    ClusterInventory, ContainerView, K8sObject, NotEvaluated, Path, PodSpecView, Violation, get_path,
)
from kubeguard.rules._helpers.flags import (
    KUBELET, CommandLine, FlagError, Setting, each, format_seconds, parse, parse_bool, parse_duration, runs,
    split_list,
)

MISSING: Any = object()


@dataclass(frozen=True, slots=True)
class Field:
    """A kubelet setting: its KubeletConfiguration path, its flag, its v1beta1 default and its type."""

    path: tuple[str, ...]
    flag: str
    default: Any  # typed: durations in seconds
    kind: str  # bool | int | str | duration | list | map | gate (one key of featureGates, a bool)
    zero_is_unset: bool = False  # v1beta1 defaulting replaces a zero value read from a file with the default

    @property
    def name(self) -> str:
        return ".".join(self.path)


ANONYMOUS = Field(("authentication", "anonymous", "enabled"), "anonymous-auth", False, "bool")
AUTHZ_MODE = Field(("authorization", "mode"), "authorization-mode", "Webhook", "str", zero_is_unset=True)
CLIENT_CA = Field(("authentication", "x509", "clientCAFile"), "client-ca-file", "", "str")
READ_ONLY_PORT = Field(("readOnlyPort",), "read-only-port", 0, "int")
STREAMING_IDLE = Field(("streamingConnectionIdleTimeout",), "streaming-connection-idle-timeout", 4 * 3600, "duration",
                       zero_is_unset=True)
IPTABLES_CHAINS = Field(("makeIPTablesUtilChains",), "make-iptables-util-chains", True, "bool")
EVENT_QPS = Field(("eventRecordQPS",), "event-qps", 50, "int")
TLS_CERT = Field(("tlsCertFile",), "tls-cert-file", "", "str")
TLS_KEY = Field(("tlsPrivateKeyFile",), "tls-private-key-file", "", "str")
SERVER_TLS_BOOTSTRAP = Field(("serverTLSBootstrap",), "rotate-server-certificates", False, "bool")
ROTATE_CERTS = Field(("rotateCertificates",), "rotate-certificates", False, "bool")
CIPHERS = Field(("tlsCipherSuites",), "tls-cipher-suites", (), "list")
POD_PIDS = Field(("podPidsLimit",), "pod-max-pids", -1, "int")
SECCOMP_DEFAULT = Field(("seccompDefault",), "seccomp-default", False, "bool")
PROTECT_KERNEL = Field(("protectKernelDefaults",), "protect-kernel-defaults", False, "bool")
FEATURE_GATES = Field(("featureGates",), "feature-gates", {}, "map")
# beta and on by default since 1.12
ROTATE_SERVER_CERT_GATE = Field(("featureGates", "RotateKubeletServerCertificate"), "feature-gates", True, "gate")
TLS_MIN_VERSION = Field(("tlsMinVersion",), "tls-min-version", "", "str")
HOSTNAME_OVERRIDE = Field((), "hostname-override", "", "str")  # a flag only: no KubeletConfiguration field


@dataclass(frozen=True, slots=True)
class Value:
    """A setting's effective value on one kubelet, how to show it and where it was decided."""

    value: Any
    shown: str
    path: Path
    is_default: bool


@dataclass(frozen=True, slots=True)
class Kubelet:
    """One kubelet's configuration source."""

    node: str  # empty for a kubelet seen through a DaemonSet's flags
    origin: str  # configz (effective, read live or from a file) | file (a KubeletConfiguration) | flags | unread
    config: dict[str, Any] | None = None
    file: str | None = None
    flags: CommandLine | None = None  # with a config: the node's command line, merged as the kubelet does
    obj: K8sObject | None = None
    container: str | None = None
    unread: str | None = None  # why the live collector could not read this node's configz
    flags_file: str | None = None  # the --node-config file(s) the flags came from
    flags_complete: bool = True  # false: environment files only, a part of the command line

    @property
    def source(self) -> str:
        """``configz``, ``file config.yaml``, ``flags kubeadm-flags.env``, ``file config.yaml + flags ...``."""
        if self.origin == "flags":
            where = self.flags_file or (f"{self.obj} container {self.container}" if self.obj else "")
            return f"flags {where}".strip()
        own = f"{self.origin} {self.file}" if self.file else self.origin
        if self.flags is None:
            return own
        return f"{own} + flags " + (self.flags_file or f"of {self.obj} container {self.container}")

    @property
    def label(self) -> str:
        """``kubelet on node worker-1 (configz)``, or ``kubelet in DaemonSet/kube-system/x container y``."""
        if self.origin == "flags" and self.obj is not None:
            return f"kubelet in {self.obj} container {self.container}" + (f" on node {self.node}" if self.node else "")
        if self.origin == "unread":
            return f"kubelet on node {self.node}"
        return f"kubelet on node {self.node} ({self.source})"

    @property
    def config_file(self) -> Setting | None:
        """The ``--config`` (or drop-in ``--config-dir``) of a kubelet seen through its flags."""
        if self.flags is None:
            return None
        for flag in ("config", "config-dir"):
            if self.flags[flag].is_set:
                return self.flags[flag]
        return None

    def get(self, field: Field) -> Value:
        """The effective value of ``field``; UNKNOWN when it cannot be read."""
        if self.origin == "unread":
            raise NotEvaluated(f"its configz could not be read ({self.unread})")
        if self.flags is not None:
            given = self._flag_sets(field)
            if self.config is None or not field.path:
                if not given and not self.flags_complete:
                    raise NotEvaluated(f"--{field.flag} is not in {self.flags_file}, only a part of the kubelet's "
                                       "command line; give its unit (ExecStart) or its --config file too")
                return self._from_flags(field)
            if given and self.origin == "file":  # the command line overrides the configuration file
                return self._merge_map(field, self._from_flags(field))
        elif not field.path:
            raise NotEvaluated(f"--{field.flag} is a kubelet flag with no KubeletConfiguration field; the "
                               "kubelet's command line needs node access")
        raw = get_path(self.config or {}, field.path, MISSING)
        path = ("kubelet", self.node, *field.path)
        default = _show(field.default, field.kind)
        if raw is MISSING or raw is None:
            return Value(field.default, f"{field.name} not set (default {default})", path, True)
        value = _typed(raw, field)
        if field.zero_is_unset and not value and self.origin == "file":
            # configz shows the value after defaulting; a file's zero is defaulted when the kubelet loads it
            return Value(field.default, f"{field.name} = {_show(raw, field.kind)} (a zero value the kubelet "
                                        f"replaces with the default {default})", path, True)
        return Value(value, f"{field.name} = {_show(raw, field.kind)}", path, False)

    def _flag_sets(self, field: Field) -> bool:
        """The command line gives ``field`` (for a gate: ``--feature-gates`` names that gate)."""
        assert self.flags is not None
        s = self.flags[field.flag]
        if field.kind == "gate":
            return s.is_set and field.path[-1] in s.mapping()
        return s.is_set

    def _merge_map(self, field: Field, v: Value) -> Value:
        """Feature gates of flags and file merge key by key, the flag's winning (the kubelet's flag precedence)."""
        if field.kind != "map":
            return v
        base = get_path(self.config or {}, field.path, None)
        if not isinstance(base, dict):
            return v
        return Value({**_typed(base, field), **v.value}, v.shown, v.path, v.is_default)

    def _from_flags(self, field: Field) -> Value:
        assert self.flags is not None
        s: Setting = self.flags[field.flag]
        config = self.config_file
        if not self._flag_sets(field) and config is not None and field.path and self.config is None:
            raise NotEvaluated(f"--{field.flag} is not given, so {field.name} comes from the kubelet's "
                               f"{config.shown()}, which needs node access; give that file with --node-config")
        if field.kind == "gate":
            gate = s.mapping().get(field.path[-1]) if s.is_set else None
            shown = (s.shown() if gate is not None
                     else f"--feature-gates does not set {field.path[-1]} (default {_show(field.default, 'bool')})")
            return Value(field.default if gate is None else gate, shown, s.path, gate is None)
        if field.kind == "map":
            value: Any = s.mapping()
        elif field.kind == "list":
            value = s.items()
        elif s.raw is None:
            value = None
        else:
            value = _typed(s.raw, field)
        return Value(value, s.shown(), s.path, not s.is_set)

    def fail(self, v: Value, message: str) -> Violation:
        in_pod = bool(v.path) and v.path[0] not in ("kubelet", "kubeletFlags")  # decided by the Pod's flags
        evidence = {"node": self.node, "source": self.file or self.flags_file or self.origin, "setting": v.shown,
                    "value": _plain(v.value), "default": v.is_default}
        if self.flags_file and self.file:
            evidence["flags"] = self.flags_file
        return Violation(f"{self.label}: {message}", v.path, container=self.container if in_pod else None,
                         obj=self.obj if in_pod else None, evidence=evidence)


def _typed(raw: Any, field: Field) -> Any:
    """A config or flag value in the field's type; UNKNOWN when the kubelet would reject it."""
    what = field.name
    if field.kind in ("bool", "gate"):
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            return parse_bool(raw, what)
    elif field.kind == "int":
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            try:
                return int(raw.strip())
            except ValueError:
                pass
    elif field.kind == "duration":
        if isinstance(raw, str):
            return parse_duration(raw, what)
    elif field.kind == "list":
        if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
            return list(raw)
        if isinstance(raw, str):
            return split_list(raw)
    elif field.kind == "map":
        if isinstance(raw, dict):
            return {str(k): (parse_bool(v, f"{what}.{k}") if isinstance(v, str) else v) for k, v in raw.items()}
    elif isinstance(raw, str):
        return raw
    raise FlagError(f"{what} = {raw!r} is not a valid {field.kind}")


def _show(value: Any, kind: str) -> str:
    if value == "" or value is None:
        return '""'
    if kind in ("bool", "gate") and isinstance(value, bool):
        return str(value).lower()
    if kind == "list":
        return ",".join(value) if value else "[] (Go's default suites)"
    if kind == "duration" and isinstance(value, (int, float)):
        return format_seconds(value)
    if isinstance(value, dict):
        return ",".join(f"{k}={str(v).lower()}" for k, v in value.items()) or "{}"
    return str(value)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _flag_kubelets(cluster: ClusterInventory) -> Iterator[tuple[PodSpecView, ContainerView]]:
    for pod in cluster.workloads():
        if pod.kind in ("Pod", "DaemonSet"):
            for c in pod.containers_of("containers"):
                if runs(KUBELET, c.raw):
                    yield pod, c


def kubelets(cluster: ClusterInventory, facts: dict[str, Any]) -> list[Kubelet]:
    """Every kubelet configuration the scan knows for this cluster, sorted by node: one per node when its
    configuration and its command line are both known (merged), else each on its own."""
    configs = facts.get("kubelet") if isinstance(facts.get("kubelet"), dict) else {}
    files = facts.get("kubeletFiles") if isinstance(facts.get("kubeletFiles"), dict) else {}
    flag_files = facts.get("kubeletFlags") if isinstance(facts.get("kubeletFlags"), dict) else {}
    unread = facts.get("kubeletUnread") if isinstance(facts.get("kubeletUnread"), dict) else {}
    by_node: dict[str, Kubelet] = {}
    for node, cfg in configs.items():
        if isinstance(cfg, dict):
            given = files.get(node) if isinstance(files.get(node), dict) else {}
            origin = "configz" if given.get("configz", True) else "file"
            by_node[str(node)] = Kubelet(str(node), origin, cfg, given.get("file"))
    for node, f in flag_files.items():
        if not isinstance(f, dict) or not isinstance(f.get("args"), list):
            continue
        flags = parse(KUBELET, {"args": f["args"]}, ("kubeletFlags", str(node)))
        extra = {"flags": flags, "flags_file": f.get("file"), "flags_complete": bool(f.get("complete", True))}
        k = by_node.get(str(node))
        by_node[str(node)] = replace(k, **extra) if k else Kubelet(str(node), "flags", **extra)
    for node, why in unread.items():
        by_node.setdefault(str(node), Kubelet(str(node), "unread", unread=str(why)))
    in_pods: list[Kubelet] = []
    for pod, c in _flag_kubelets(cluster):
        node = str(pod.spec.get("nodeName") or "")
        flags = parse(KUBELET, c.raw, c.base)
        k = by_node.get(node) if node else None
        if k is not None and k.flags is None and k.config is not None:  # the Pod's kubelet of a configured node
            by_node[node] = replace(k, flags=flags, obj=pod.obj, container=c.name)
        else:
            in_pods.append(Kubelet(node, "flags", flags=flags, obj=pod.obj, container=c.name))
    return [by_node[n] for n in sorted(by_node)] + in_pods


Check = Callable[[Kubelet, Any], Iterable[Violation]]  # (kubelet, RuleContext)


def kubelet_rule(check: Check) -> tuple[Callable[..., bool], Callable[..., Iterator[Violation]]]:
    """``(applies, evaluate)`` running ``check`` on every kubelet; UNKNOWN for kubelets it cannot decide."""

    def applies(cluster: ClusterInventory, ctx) -> bool:
        configs = ctx.facts.get("kubelet")
        return (isinstance(configs, dict) and any(isinstance(c, dict) for c in configs.values())) or \
            bool(ctx.facts.get("kubeletUnread") or ctx.facts.get("kubeletFlags")) or \
            any(True for _ in _flag_kubelets(cluster))

    def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
        return each(kubelets(cluster, ctx.facts), check, ctx, lambda k: k.label)

    return applies, evaluate


def require(field: Field, want: Any, why: str) -> Check:
    """The setting must equal ``want``."""

    def check(k: Kubelet, ctx) -> Iterator[Violation]:
        v = k.get(field)
        if v.value != want:
            yield k.fail(v, f"{v.shown}; {why}")

    return check

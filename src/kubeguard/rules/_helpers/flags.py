"""Component command lines: flags parsed the way the component itself parses them, with upstream defaults.

A container's command line is ``command`` followed by ``args`` (Kubernetes
expands ``$(VAR)`` from the container's literal ``env`` and turns ``$$`` into
``$``; there is no shell).  ``sh -c SCRIPT`` is split like a shell would, up to
the first ``;``, ``&&`` or ``|`` after the component.  The component's binary
(``/usr/local/bin/kube-apiserver``, ``hyperkube kube-apiserver``) starts its
flags; a container with no ``command`` runs its image's entrypoint, so every
``args`` entry is a flag.

Two grammars:

* Kubernetes components use pflag: ``--name=value`` or ``--name value`` (a
  non-boolean flag takes the next word, whatever it is); booleans are bare
  (``--profiling`` is true and ``--profiling false`` leaves ``false`` as a
  stray argument); ``--`` ends the flags; single-dash words are shorthands.
  A scalar flag given twice keeps its last value; a list flag
  (``--authorization-mode``, ``--enable-admission-plugins``,
  ``--tls-cipher-suites``) is read as CSV and a repeat *appends*; a map flag
  (``--feature-gates``) merges key by key, later keys winning.
* etcd uses Go's ``flag`` package: ``-name`` equals ``--name``, parsing stops at
  the first word that is not a flag, and each flag keeps its last value.  When a
  flag is absent etcd reads ``ETCD_<NAME>`` from the environment.

A value wrapped in one pair of matching quotes (``--audit-log-path="/x"``, as
shell-style snippets often carry into YAML) is read without them.  A flag that
is absent takes the component's compiled-in default listed in its :class:`Spec`.
Values are kept only for the flags rules read; messages show flag names and
these values (paths, modes, numbers), never file contents.
"""

from __future__ import annotations

import csv
import re
import shlex
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence, TypeVar

from kubeguard.model import NotEvaluated, Path, Violation

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "busybox"})
_ARCH_SUFFIX = re.compile(r"-(amd64|arm64|arm|ppc64le|s390x)$")
_SHELL_STOP = frozenset({";", "&&", "||", "|", "&", ";;", "(", ")"})
# programs that run the next non-option word as the command
_WRAPPERS = frozenset({"exec", "env", "nice", "nohup", "tini", "dumb-init", "catatonit", "go-runner"})
_EXPAND = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")
_TRUE = frozenset({"1", "t", "T", "true", "TRUE", "True"})
_FALSE = frozenset({"0", "f", "F", "false", "FALSE", "False"})
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


class FlagError(ValueError):
    """A flag value the component itself would reject; the rule cannot decide (UNKNOWN)."""


@dataclass(frozen=True, slots=True)
class Spec:
    """How one component parses its command line, and the defaults of the flags rules read."""

    name: str
    binaries: tuple[str, ...]
    bools: frozenset[str] = frozenset()
    lists: frozenset[str] = frozenset()
    maps: frozenset[str] = frozenset({"feature-gates"})
    values: frozenset[str] = frozenset()  # other flags known to take a value (so "--flag -" reads "-")
    defaults: Mapping[str, str] = field(default_factory=dict)
    go_flag: bool = False  # Go's flag package instead of pflag (etcd)
    env_prefix: str | None = None  # etcd reads ETCD_<FLAG> when the flag is absent
    hyperkube: tuple[str, ...] = ()  # subcommand names under the old hyperkube binary


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a flag was given: its value and where (``("command", 3)``, ``("env", 0, "value")``)."""

    value: str
    path: Path
    bare: bool = False


@dataclass(frozen=True, slots=True)
class Setting:
    """A flag's effective value on one command line (or its default), with where it was set."""

    flag: str
    spec: Spec
    given: tuple[Occurrence, ...]
    base: Path  # the container, for findings about an absent flag

    @property
    def is_set(self) -> bool:
        return bool(self.given)

    @property
    def path(self) -> Path:
        """The last occurrence (the one that decides), or the container when the flag is absent."""
        return self.given[-1].path if self.given else self.base

    @property
    def default(self) -> str | None:
        return self.spec.defaults.get(self.flag)

    @property
    def raw(self) -> str | None:
        """The effective text: the last value given, else the default (None: absent and no default)."""
        return self.given[-1].value if self.given else self.default

    def shown(self) -> str:
        """``--flag=value`` when given (every occurrence of a list or map flag); ``--flag not set (default X)``."""
        if self.given:
            last = self.given[-1]
            if last.bare:
                return f"--{self.flag} (bare, true)"
            if self.flag in self.spec.lists or self.flag in self.spec.maps:
                text = ",".join(o.value for o in self.given)
            else:
                text = last.value
            return f"--{self.flag}={text}" + (" (from the environment)" if "env" in last.path else "")
        if self.default is None:
            return f"--{self.flag} not set"
        return f"--{self.flag} not set (default {self.default})"

    def boolean(self) -> bool | None:
        """Go's strconv.ParseBool; None when absent with no default."""
        raw = self.raw
        if raw is None:
            return None
        return parse_bool(raw, self.flag)

    def integer(self) -> int | None:
        raw = self.raw
        if raw is None:
            return None
        text = unquote(raw.strip())
        try:
            return int(text, 0)  # Go's strconv.ParseInt(s, 0, 64): 0x.., 0o.., 0b..
        except ValueError:
            if re.fullmatch(r"[+-]?0[0-7]+", text):
                return int(text, 8)  # and a leading 0 is octal
            raise FlagError(f"--{self.flag}={raw} is not an integer") from None

    def seconds(self) -> float | None:
        raw = self.raw
        if raw is None:
            return None
        return parse_duration(raw, self.flag)

    def items(self) -> list[str]:
        """A list flag: pflag reads each occurrence as CSV and appends repeats; etcd splits the last one."""
        if not self.given:
            return split_list(self.default or "")
        if self.spec.go_flag:
            return [p.strip() for p in self.given[-1].value.split(",") if p.strip()]
        out: list[str] = []
        for o in self.given:
            out.extend(split_list(o.value))
        return out

    def mapping(self) -> dict[str, bool]:
        """A ``key=bool,...`` flag (feature gates); repeats merge key by key."""
        out: dict[str, bool] = {}
        for o in self.given:
            for part in o.value.split(","):
                if not part.strip():
                    continue
                key, eq, val = part.partition("=")
                if not eq:
                    raise FlagError(f"--{self.flag}: {part.strip()!r} is not key=value")
                out[key.strip()] = parse_bool(val.strip(), f"{self.flag} {key.strip()}")
        return out


@dataclass(frozen=True, slots=True)
class CommandLine:
    """The flags of one container's command line."""

    spec: Spec
    flags: Mapping[str, tuple[Occurrence, ...]]
    base: Path
    positional: tuple[str, ...] = ()

    def __getitem__(self, flag: str) -> Setting:
        return Setting(flag, self.spec, self.flags.get(flag, ()), self.base)

    def has(self, flag: str) -> bool:
        return flag in self.flags


# --- value grammar ------------------------------------------------------------------------

def unquote(value: str) -> str:
    """Strip one pair of matching outer quotes."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_bool(raw: str, what: str) -> bool:
    v = unquote(raw.strip())
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise FlagError(f"--{what}={raw} is not a boolean")


def parse_duration(raw: str, what: str) -> float:
    """Go's time.ParseDuration (``4h0m0s``, ``300ms``, ``1.5h``, ``0``) in seconds."""
    text = unquote(raw.strip())
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    if body == "0":
        return 0.0
    total, pos = 0.0, 0
    for m in _DURATION_PART.finditer(body):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
        pos = m.end()
    if not body or pos != len(body):
        raise FlagError(f"--{what}={raw} is not a duration (e.g. 4h0m0s)")
    return sign * total


def split_list(value: str) -> list[str]:
    """pflag's string-slice reading: one CSV record, fields trimmed of spaces, empties dropped."""
    text = unquote(value.strip())
    if not text:
        return []
    try:
        row = next(csv.reader([text], skipinitialspace=True))
    except (csv.Error, StopIteration):
        row = text.split(",")
    return [f.strip() for f in row if f.strip()]


def format_seconds(seconds: float) -> str:
    """Seconds as Go prints a duration (``1m0s``, ``4h0m0s``, ``0s``)."""
    if seconds == 0:
        return "0s"
    whole = int(seconds)
    if whole != seconds or whole < 1:
        return f"{seconds:g}s"
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h}h{m}m{s}s"
    if m:
        return f"{m}m{s}s"
    return f"{s}s"


# --- command lines ------------------------------------------------------------------------

def _literal_env(container: Mapping[str, Any]) -> dict[str, str]:
    env: dict[str, str] = {}
    for e in container.get("env") or []:
        if isinstance(e, dict) and isinstance(e.get("name"), str) and "valueFrom" not in e:
            v = e.get("value")
            env[e["name"]] = _expand(v, env) if isinstance(v, str) else ""
    return env


def _expand(text: str, env: Mapping[str, str]) -> str:
    """Kubernetes ``$(VAR)`` expansion; unknown variables stay as written."""
    if "$" not in text:
        return text
    return _EXPAND.sub(lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), text)


def words(container: Mapping[str, Any]) -> list[tuple[str, Path]]:
    """Every word of ``command`` + ``args`` with its path; ``sh -c SCRIPT`` is split into the script's words."""
    env = _literal_env(container)
    out: list[tuple[str, Path]] = []
    for key in ("command", "args"):
        items = container.get(key)
        if isinstance(items, list):
            out.extend((_expand(v, env), (key, i)) for i, v in enumerate(items) if isinstance(v, str))
    if out and _basename(out[0][0]) in SHELLS:
        for i, (w, _) in enumerate(out[:-1]):
            if w == "-c" or (w.startswith("-") and not w.startswith("--") and w.endswith("c")):
                script, where = out[i + 1]
                return [(t, where) for t in _shell_words(script)]
    return out


def _shell_words(script: str) -> list[str]:
    lex = shlex.shlex(script, posix=True, punctuation_chars=";&|()")
    lex.whitespace_split = True
    lex.commenters = "#"
    try:
        return list(lex)
    except ValueError:  # unbalanced quotes: the shell would refuse it as well
        return script.split()


def _basename(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def image_names(container: Mapping[str, Any], spec: Spec) -> bool:
    """The container's image repository is the component (``registry.k8s.io/kube-apiserver:v1.30.4``,
    ``gcr.io/google_containers/etcd-amd64:3.1.12``)."""
    image = container.get("image")
    if not isinstance(image, str):
        return False
    name = image.split("@", 1)[0].rsplit("/", 1)[-1].split(":", 1)[0]
    return _ARCH_SUFFIX.sub("", name) in spec.binaries


def find_binary(spec: Spec, ws: list[tuple[str, Path]]) -> int | None:
    """Index of the first word after the component's binary; None when no command runs it.

    Only a word in command position counts: the first word or the first after a shell
    separator, past ``VAR=value`` assignments, a wrapper (``exec``, ``env``, ``tini --``,
    kops' ``go-runner --log-file=...``) and its options, or ``hyperkube``.  A path argument
    such as ``--root-dir /var/lib/kubelet`` is not the kubelet.
    """
    command_position, wrapped = True, False
    for i, (w, _) in enumerate(ws):
        if w in _SHELL_STOP:
            command_position, wrapped = True, False
            continue
        if not command_position:
            continue
        base = _basename(w)
        if base in spec.binaries:
            return i + 1
        if base == "hyperkube" and i + 1 < len(ws) and ws[i + 1][0] in spec.hyperkube + spec.binaries:
            return i + 2
        if base in _WRAPPERS:
            wrapped = True
        elif not (("=" in w and not w.startswith("-")) or (wrapped and w.startswith("-"))):
            command_position = False
    return None


def runs(spec: Spec, container: Mapping[str, Any]) -> bool:
    """The container's command line starts the component's binary."""
    if not _mentions(spec, container.get("command")) and not _mentions(spec, container.get("args")):
        return False  # cheap test first: most containers never name a control-plane binary
    return find_binary(spec, words(container)) is not None


def _mentions(spec: Spec, items: Any) -> bool:
    return isinstance(items, list) and any(isinstance(w, str) and b in w for w in items for b in spec.binaries)


def parse(spec: Spec, container: Mapping[str, Any], base: Path = ()) -> CommandLine:
    """The component's flags in ``container`` (``base`` is the container's path inside its object).

    When neither ``command`` nor ``args`` names the binary, the image's entrypoint is
    taken to be the component and every ``args`` word is read as a flag.
    """
    ws = words(container)
    start = find_binary(spec, ws)
    if start is None:
        has_command = isinstance(container.get("command"), list) and bool(container.get("command"))
        start = len(ws) if has_command else 0
    found: dict[str, list[Occurrence]] = {}
    positional: list[str] = []
    i, n = start, len(ws)
    while i < n:
        w, where = ws[i]
        i += 1
        if w in _SHELL_STOP:
            break
        if w == "--":
            positional.extend(x for x, _ in ws[i:] if x not in _SHELL_STOP)
            break
        if spec.go_flag:
            if not w.startswith("-") or w == "-":
                break  # Go's flag package stops at the first non-flag word
            body = w[2:] if w.startswith("--") else w[1:]
        elif w.startswith("--"):
            body = w[2:]
        else:
            if not w.startswith("-"):
                positional.append(w)
            continue  # pflag shorthand (-v=2) or a stray word
        name, eq, value = body.partition("=")
        if not name:
            continue
        if eq:
            found.setdefault(name, []).append(Occurrence(unquote(value), base + where))
            continue
        if name in spec.bools:
            found.setdefault(name, []).append(Occurrence("true", base + where, bare=True))
            continue
        known_value = name in spec.defaults or name in spec.values or name in spec.lists or name in spec.maps
        if i < n and ws[i][0] not in _SHELL_STOP and (known_value or not ws[i][0].startswith("-")):
            value, vwhere = ws[i]
            i += 1
            found.setdefault(name, []).append(Occurrence(unquote(value), base + vwhere))
        else:  # an unknown flag with nothing after it: a bare boolean
            found.setdefault(name, []).append(Occurrence("true", base + where, bare=True))
    if spec.env_prefix:
        for idx, e in enumerate(container.get("env") or []):
            if not (isinstance(e, dict) and isinstance(e.get("name"), str) and e["name"].startswith(spec.env_prefix)):
                continue
            flag = e["name"][len(spec.env_prefix):].lower().replace("_", "-")
            if flag in found:
                continue  # the command-line flag shadows the variable
            if "valueFrom" in e:
                found[flag] = [Occurrence("$(" + e["name"] + ")", base + ("env", idx))]
            elif isinstance(e.get("value"), str):
                found[flag] = [Occurrence(unquote(e["value"]), base + ("env", idx, "value"))]
    return CommandLine(spec, {k: tuple(v) for k, v in found.items()}, base, tuple(positional))


def loopback(address: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost`` (with or without a port) listen on loopback only."""
    host = address.strip()
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host == "localhost" or host == "::1" or host.startswith("127.")


# --- the components ------------------------------------------------------------------------

_K8S_COMMON_BOOLS = ("profiling", "contention-profiling", "leader-elect", "permit-port-sharing",
                     "permit-address-sharing", "alsologtostderr", "logtostderr", "add-dir-header",
                     "one-output", "skip-headers", "skip-log-headers", "help", "version",
                     "authentication-skip-lookup", "authentication-tolerate-lookup-failure")

KUBE_APISERVER = Spec(
    name="kube-apiserver",
    binaries=("kube-apiserver",),
    hyperkube=("apiserver",),
    bools=frozenset(_K8S_COMMON_BOOLS + (
        "allow-privileged", "anonymous-auth", "enable-bootstrap-token-auth", "enable-aggregator-routing",
        "enable-garbage-collector", "enable-logs-handler", "enable-priority-and-fairness",
        "service-account-lookup", "service-account-extend-token-expiration", "watch-cache",
        "audit-log-compress", "audit-log-batch-throttle-enable", "audit-webhook-batch-throttle-enable",
        "audit-log-truncate-enabled", "audit-webhook-truncate-enabled", "disable-http2-serving",
        "enable-swagger-ui", "kubelet-https")),
    lists=frozenset({
        "authorization-mode", "enable-admission-plugins", "disable-admission-plugins", "admission-control",
        "tls-cipher-suites", "api-audiences", "etcd-servers", "etcd-servers-overrides", "cors-allowed-origins",
        "kubelet-preferred-address-types", "requestheader-allowed-names", "requestheader-group-headers",
        "requestheader-username-headers", "requestheader-extra-headers-prefix", "requestheader-uid-headers",
        "strict-transport-security-directives", "service-account-issuer", "service-account-key-file"}),
    maps=frozenset({"feature-gates"}),
    values=frozenset({
        "token-auth-file", "kubelet-client-certificate", "kubelet-client-key", "kubelet-certificate-authority",
        "authorization-config", "authentication-config", "admission-control-config-file", "audit-log-path",
        "audit-policy-file", "audit-webhook-config-file", "client-ca-file", "etcd-cafile", "etcd-certfile",
        "etcd-keyfile", "encryption-provider-config", "tls-cert-file", "tls-private-key-file", "tls-min-version",
        "secure-port", "service-account-signing-key-file", "advertise-address", "bind-address"}),
    defaults={"anonymous-auth": "true", "profiling": "true", "authorization-mode": "AlwaysAllow",
              "service-account-lookup": "true", "service-account-extend-token-expiration": "true",
              "request-timeout": "1m0s", "audit-log-maxage": "0", "audit-log-maxbackup": "0",
              "audit-log-maxsize": "0"},
)

KUBE_CONTROLLER_MANAGER = Spec(
    name="kube-controller-manager",
    binaries=("kube-controller-manager",),
    hyperkube=("controller-manager",),
    bools=frozenset(_K8S_COMMON_BOOLS + (
        "use-service-account-credentials", "allocate-node-cidrs", "configure-cloud-routes",
        "enable-dynamic-provisioning", "enable-garbage-collector", "enable-hostpath-provisioner",
        "enable-taint-manager", "disable-attach-detach-reconcile-sync", "enable-leader-migration")),
    lists=frozenset({"controllers", "tls-cipher-suites", "authorization-always-allow-paths",
                     "requestheader-allowed-names"}),
    values=frozenset({"service-account-private-key-file", "root-ca-file", "kubeconfig", "cluster-signing-cert-file",
                      "cluster-signing-key-file"}),
    defaults={"profiling": "true", "use-service-account-credentials": "false",
              "terminated-pod-gc-threshold": "12500", "bind-address": "0.0.0.0", "secure-port": "10257"},
)

KUBE_SCHEDULER = Spec(
    name="kube-scheduler",
    binaries=("kube-scheduler",),
    hyperkube=("scheduler",),
    bools=frozenset(_K8S_COMMON_BOOLS),
    lists=frozenset({"tls-cipher-suites", "authorization-always-allow-paths", "requestheader-allowed-names"}),
    values=frozenset({"config", "kubeconfig"}),
    defaults={"profiling": "true", "bind-address": "0.0.0.0", "secure-port": "10259"},
)

ETCD = Spec(
    name="etcd",
    binaries=("etcd",),
    go_flag=True,
    env_prefix="ETCD_",
    maps=frozenset(),
    bools=frozenset({
        "client-cert-auth", "peer-client-cert-auth", "auto-tls", "peer-auto-tls", "enable-pprof", "enable-v2",
        "strict-reconfig-check", "force-new-cluster", "debug", "enable-grpc-gateway", "pre-vote",
        "experimental-initial-corrupt-check", "experimental-enable-distributed-tracing", "version", "help",
        "experimental-peer-skip-client-san-verification", "socket-reuse-port", "socket-reuse-address",
        "unsafe-no-fsync", "experimental-enable-lease-checkpoint", "experimental-memory-mlock"}),
    lists=frozenset({"cipher-suites", "cors", "host-whitelist", "log-outputs"}),
    values=frozenset({"config-file", "cert-file", "key-file", "peer-cert-file", "peer-key-file", "trusted-ca-file",
                      "peer-trusted-ca-file", "data-dir", "name"}),
    defaults={"client-cert-auth": "false", "peer-client-cert-auth": "false", "auto-tls": "false",
              "peer-auto-tls": "false"},
)

KUBELET = Spec(
    name="kubelet",
    binaries=("kubelet",),
    bools=frozenset(_K8S_COMMON_BOOLS + (
        "anonymous-auth", "authentication-token-webhook", "make-iptables-util-chains", "protect-kernel-defaults",
        "rotate-certificates", "rotate-server-certificates", "seccomp-default", "fail-swap-on", "register-node",
        "register-schedulable", "enable-server", "enable-debugging-handlers", "cgroups-per-qos",
        "serialize-image-pulls", "enable-controller-attach-detach", "kernel-memcg-notification",
        "keep-terminated-pod-volumes", "exit-on-lock-contention", "local-storage-capacity-isolation",
        "cpu-cfs-quota", "enable-load-reader")),
    lists=frozenset({"tls-cipher-suites", "cluster-dns", "enforce-node-allocatable", "allowed-unsafe-sysctls"}),
    values=frozenset({"config", "config-dir", "kubeconfig", "client-ca-file", "tls-cert-file", "tls-private-key-file",
                      "tls-min-version", "hostname-override"}),
    # without a config file these are the flag defaults; the first four differ from the v1beta1
    # KubeletConfiguration defaults (the kubelet's applyLegacyDefaults)
    defaults={"anonymous-auth": "true", "authentication-token-webhook": "false", "authorization-mode": "AlwaysAllow",
              "read-only-port": "10255", "streaming-connection-idle-timeout": "4h0m0s",
              "make-iptables-util-chains": "true", "event-qps": "50", "rotate-certificates": "false",
              "rotate-server-certificates": "false", "pod-max-pids": "-1", "seccomp-default": "false",
              "protect-kernel-defaults": "false"},
)

KUBE_PROXY = Spec(
    name="kube-proxy",
    binaries=("kube-proxy",),
    hyperkube=("proxy",),
    bools=frozenset(_K8S_COMMON_BOOLS + ("masquerade-all", "cleanup", "bind-address-hard-fail", "init-only",
                                         "ipvs-strict-arp")),
    lists=frozenset({"ipvs-exclude-cidrs", "nodeport-addresses"}),
    values=frozenset({"config", "kubeconfig", "hostname-override"}),
    defaults={"metrics-bind-address": "127.0.0.1:10249"},
)

COMPONENTS: tuple[Spec, ...] = (KUBE_APISERVER, KUBE_CONTROLLER_MANAGER, KUBE_SCHEDULER, ETCD, KUBELET, KUBE_PROXY)


# TLS 1.2 suites CIS Kubernetes 1.12 accepts (1.2.29, 4.2.12), plus the TLS 1.3 suites and the
# _SHA256 spellings Kubernetes also accepts for the ChaCha20 suites.
STRONG_CIPHERS = (
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
)


def weak_ciphers(suites: Sequence[str], allowed: Sequence[str]) -> list[str]:
    """Suites outside ``allowed``, in the order given."""
    ok = set(allowed)
    return [c for c in suites if c not in ok]


T = TypeVar("T")


def each(targets: Iterable[T], check: Callable[[T, Any], Iterable[Violation]], ctx: Any,
         label: Callable[[T], str]) -> Iterator[Violation]:
    """Run ``check`` on every target (component instance, kubelet) of a cluster-level rule.

    Every target is judged on its own.  Those the check cannot decide (it raises
    :class:`NotEvaluated` or :class:`FlagError`) are named in one :class:`NotEvaluated`
    raised at the end: the rule is UNKNOWN, or FAIL when another target failed (the
    engine keeps the failures yielded before it and reports both).
    """
    undecided: list[str] = []
    for t in targets:
        try:
            yield from check(t, ctx)
        except (NotEvaluated, FlagError) as exc:
            undecided.append(f"{label(t)}: {exc}")
    if undecided:
        raise NotEvaluated("; ".join(undecided))

"""Which clusters to read and how to authenticate: kubeconfig contexts and in-cluster config.

Authentication is the official ``kubernetes`` client's (exec credential plugins
``client.authentication.k8s.io/v1`` and ``v1beta1``, tokens, client
certificates, auth providers, in-cluster service account).  Only its
configuration is used; objects are read as raw JSON by :mod:`.live_http`.

A ``KUBECONFIG`` list is merged as kubectl merges it: files that do not exist
are skipped, and for every key (a cluster, user or context name, and
``current-context``) the first file that sets it wins.  Relative paths in a
file are resolved against that file's folder.

The ``kubernetes`` package is the ``live`` extra; it is imported inside
functions so that manifest scans never need it.
"""

from __future__ import annotations

import datetime
import logging
import os
import threading
from dataclasses import dataclass, field
from typing import Any

IN_CLUSTER = "in-cluster"
TOKEN_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token"
CA_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"


class LiveConfigError(Exception):
    """A problem with the targets as given (no kubeconfig, unknown context): one line, exit 2."""


class ConnectError(Exception):
    """A client could not be configured for one cluster (exec plugin failed, bad certificate path)."""


def require_client() -> Any:
    """The ``kubernetes`` package, or a one-line error saying how to install it."""
    try:
        import kubernetes  # noqa: F401
    except ImportError:
        raise LiveConfigError("live cluster access needs the 'live' extra: pip install 'kubeguard[live]'") from None
    return kubernetes


@dataclass
class LiveOptions:
    """Targets and collection settings for live clusters (CLI flags map one to one)."""

    kubeconfig: str | None = None  # one file; None: $KUBECONFIG (a list) or ~/.kube/config
    contexts: list[str] = field(default_factory=list)
    all_contexts: bool = False
    in_cluster: bool = False
    cluster_name: str | None = None  # report name for in-cluster (default "in-cluster")
    namespaces: list[str] = field(default_factory=list)
    exclude_namespaces: list[str] = field(default_factory=list)
    include_kinds: list[str] = field(default_factory=list)
    exclude_kinds: list[str] = field(default_factory=list)
    timeout: float = 30.0  # seconds, per request (connect and each read)
    qps: float = 50.0  # per cluster; 0 = unlimited
    burst: int = 100
    concurrency: int = 8  # requests in flight per cluster
    max_clusters: int = 4  # clusters collected at once
    page_size: int = 500
    kubelet_config: bool = True

    @property
    def wants_live(self) -> bool:
        """Whether any live-only flag was given (so PATHs and these do not mix)."""
        return bool(self.kubeconfig or self.contexts or self.all_contexts or self.in_cluster or self.namespaces
                    or self.exclude_namespaces)


@dataclass(frozen=True)
class Target:
    name: str  # the cluster's name in reports: the context name, unique
    context: str | None  # None: in-cluster configuration


@dataclass
class KubeConfig:
    """A merged kubeconfig: the client's ConfigNode tree plus the files it came from."""

    config: Any
    paths: list[str]
    current_context: str | None

    def _entries(self, item: str) -> list[dict[str, Any]]:
        # merged entries are the client's ConfigNode wrappers; .value is the mapping
        return [e for e in (getattr(x, "value", x) for x in self.config.value.get(item) or []) if isinstance(e, dict)]

    @property
    def contexts(self) -> list[str]:
        return [str(c["name"]) for c in self._entries("contexts") if c.get("name")]

    def _entry(self, item: str, name: Any) -> dict[str, Any]:
        return next((e for e in self._entries(item) if e.get("name") == name), {})

    def server_of(self, context: str) -> str | None:
        ctx = self._entry("contexts", context).get("context") or {}
        return (self._entry("clusters", ctx.get("cluster")).get("cluster") or {}).get("server")

    def user_of(self, context: str) -> dict[str, Any] | None:
        """The ``user`` mapping the context points at (None when it names no user)."""
        ctx = self._entry("contexts", context).get("context") or {}
        return self._entry("users", ctx.get("user")).get("user") if ctx.get("user") else None


def kubeconfig_paths(explicit: str | None, environ: dict[str, str] | None = None) -> list[str]:
    """Files to merge: ``--kubeconfig`` alone, else every existing ``$KUBECONFIG`` entry, else ``~/.kube/config``."""
    env = os.environ if environ is None else environ
    if explicit:
        path = os.path.expanduser(explicit)
        if not os.path.isfile(path):
            raise LiveConfigError(f"--kubeconfig {explicit}: no such file")
        return [path]
    listed = env.get("KUBECONFIG")
    if listed:
        return [os.path.expanduser(p) for p in listed.split(os.pathsep) if p and os.path.isfile(os.path.expanduser(p))]
    default = os.path.expanduser("~/.kube/config")
    return [default] if os.path.isfile(default) else []


def load_kubeconfig(paths: list[str]) -> KubeConfig:
    """Merge ``paths`` with kubectl's rules (first file wins per key, including current-context)."""
    require_client()
    import yaml
    from kubernetes.config.config_exception import ConfigException
    from kubernetes.config.kube_config import KubeConfigMerger

    try:
        merger = KubeConfigMerger(os.pathsep.join(paths))
    except yaml.YAMLError as exc:
        raise LiveConfigError(f"kubeconfig is not valid YAML: {str(exc).splitlines()[0]}") from None
    except (ConfigException, OSError) as exc:
        raise LiveConfigError(f"cannot read kubeconfig: {str(exc).splitlines()[0]}") from None
    except (KeyError, TypeError, AttributeError):
        raise LiveConfigError(f"kubeconfig {', '.join(paths)}: clusters, contexts and users must be lists of "
                              "mappings with a name") from None
    if merger.config is None:
        raise LiveConfigError(f"no configuration in {', '.join(paths)}")
    # The client lets the last file set current-context; kubectl lets the first one.
    current = None
    for p in merger.paths:
        cfg = merger.config_files.get(p) or {}
        if cfg.get("current-context"):
            current = str(cfg["current-context"])
            break
    merger.config.value["current-context"] = current
    for item in ("clusters", "contexts", "users"):
        for entry in merger.config.value.get(item) or []:
            if not isinstance(entry.value, dict) or "name" not in entry.value:
                raise LiveConfigError(f"kubeconfig {entry.path}: an entry of '{item}' is not a mapping with a name")
    return KubeConfig(merger.config, list(merger.paths), current)


def in_cluster_available(environ: dict[str, str] | None = None, token_file: str = TOKEN_FILE) -> bool:
    env = os.environ if environ is None else environ
    return bool(env.get("KUBERNETES_SERVICE_HOST")) and os.path.isfile(token_file)


def resolve_targets(opts: LiveOptions, environ: dict[str, str] | None = None) -> tuple[list[Target], KubeConfig | None]:
    """The clusters to read, in the order given; raises :class:`LiveConfigError` on a usage problem."""
    if opts.in_cluster:
        if opts.contexts or opts.all_contexts or opts.kubeconfig:
            raise LiveConfigError("--in-cluster cannot be combined with --kubeconfig, --context or --all-contexts")
        return [Target(opts.cluster_name or IN_CLUSTER, None)], None
    paths = kubeconfig_paths(opts.kubeconfig, environ)
    if not paths:
        if not opts.contexts and not opts.all_contexts and in_cluster_available(environ):
            return [Target(opts.cluster_name or IN_CLUSTER, None)], None
        raise LiveConfigError("no kubeconfig found ($KUBECONFIG unset or its files missing, no ~/.kube/config) and "
                              "not running in a pod; give manifest PATHs, --kubeconfig or --in-cluster")
    kc = load_kubeconfig(paths)
    known = kc.contexts
    if opts.all_contexts:
        if opts.contexts:
            raise LiveConfigError("give either --context or --all-contexts, not both")
        if not known:
            raise LiveConfigError(f"no contexts in {', '.join(paths)}")
        names = known
    elif opts.contexts:
        names = list(dict.fromkeys(opts.contexts))
        missing = [n for n in names if n not in known]
        if missing:
            raise LiveConfigError(f"context {missing[0]!r} not found in {', '.join(paths)} "
                                  f"(known: {', '.join(known) or 'none'})")
    else:
        if not kc.current_context:
            raise LiveConfigError(f"no current-context in {', '.join(paths)}; give --context NAME or --all-contexts")
        if kc.current_context not in known:
            raise LiveConfigError(f"current-context {kc.current_context!r} is not defined in {', '.join(paths)}")
        names = [kc.current_context]
    return [Target(n, n) for n in names], kc


class _ClientLog(logging.Handler):
    """Keeps the client's error log lines per thread (the client logs exec plugin failures and goes on)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.by_thread: dict[int, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:  # called under self.lock by Handler.handle
        self.by_thread.setdefault(record.thread or 0, []).append(record.getMessage())

    def take(self) -> list[str]:
        with self.lock:
            return self.by_thread.pop(threading.get_ident(), [])


class ClientLogCapture:
    """While active, the kubernetes client's log lines go to us instead of stderr."""

    def __init__(self) -> None:
        self.handler = _ClientLog()

    def __enter__(self) -> "ClientLogCapture":
        logging.getLogger().addHandler(self.handler)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self.handler)


_EXPIRED = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_UNSET = object()


class ExecCredentialRefresh:
    """Runs a kubeconfig's exec credential plugin again on demand, through the client's own refresh hook.

    The client runs the plugin again only when the credential's ``expirationTimestamp`` is near;
    a server that rejects the cached token earlier (revoked, rotated, a plugin that states no
    expiry) answers 401.  Then, as client-go does, the plugin is run again: the loader's expiry is
    moved to the past and the client's refresh hook (the one it calls before every request) runs
    the plugin and stores the new token in the configuration.  Callers serialise the calls
    (:class:`~kubeguard.collect.live_http.Http` holds a lock around the hook).
    """

    def __init__(self, loader: Any, cfg: Any, command: str, capture: ClientLogCapture | None = None):
        self.loader = loader
        self.cfg = cfg
        self.command = command
        self.capture = capture

    def token(self) -> str | None:
        """The Authorization value the next request sends, read without running the hook.

        kubernetes >= 37 keeps it under ``BearerToken``, older releases under ``authorization``.
        """
        keys = self.cfg.api_key
        return keys.get("BearerToken") or keys.get("authorization")

    def renew(self) -> str | None:
        """Run the plugin again: None when it gave a credential, else a one-line reason."""
        hook = self.cfg.refresh_api_key_hook
        if hook is None:
            return "the client has no refresh hook for this credential"
        state = self.loader.__dict__
        previous = state.get("expiry", _UNSET)
        if self.capture is not None:
            self.capture.handler.take()  # older lines of this thread are not about this run
        state["expiry"] = _EXPIRED
        try:
            hook(self.cfg)
        except Exception as exc:  # noqa: BLE001 - the plugin's failure becomes one line
            return f"exec credential plugin {self.command!r} failed: {' '.join(str(exc).split())[:300]}"
        finally:
            if state.get("expiry") is _EXPIRED:  # the plugin stated no expiry, or failed
                if previous is _UNSET:
                    state.pop("expiry", None)
                else:
                    state["expiry"] = previous
        logged = self.capture.handler.take() if self.capture is not None else []
        if logged:
            return f"exec credential plugin {self.command!r} failed: {logged[-1].splitlines()[0][:300]}"
        return None


def build_api_client(target: Target, kc: KubeConfig | None, opts: LiveOptions,
                     capture: ClientLogCapture | None = None, token_file: str = TOKEN_FILE,
                     ca_file: str = CA_FILE, environ: dict[str, str] | None = None
                     ) -> tuple[Any, dict[str, Any], ExecCredentialRefresh | None]:
    """An ``ApiClient`` for one target, connection facts (server, auth kind, TLS verification),
    and, for a token from an exec credential plugin, the means to run the plugin again after a 401.

    Raises :class:`ConnectError` with a one-line reason when the credentials cannot be obtained.
    """
    require_client()
    import urllib3
    from kubernetes import client
    from kubernetes.config.config_exception import ConfigException
    from kubernetes.config.incluster_config import InClusterConfigLoader
    from kubernetes.config.kube_config import KubeConfigLoader

    from .._version import __version__

    cfg = client.Configuration()
    info: dict[str, Any] = {}
    refresh: ExecCredentialRefresh | None = None
    try:
        if target.context is None:
            InClusterConfigLoader(token_filename=token_file, cert_filename=ca_file,
                                  environ=os.environ if environ is None else environ).load_and_set(cfg)
            info["auth"] = "in-cluster service account"
        else:
            assert kc is not None
            user = kc.user_of(target.context)
            info["auth"] = _auth_kind(user)
            loader = KubeConfigLoader(config_dict=kc.config, active_context=target.context, config_base_path=None)
            loader.load_and_set(cfg)
            logged = capture.handler.take() if capture is not None else []
            if user and isinstance(user.get("exec"), dict):
                cmd = str(user["exec"].get("command") or "?")
                if not cfg.api_key and not cfg.cert_file:
                    why = logged[-1].splitlines()[0] if logged else "it produced no credential"
                    raise ConnectError(f"exec credential plugin {cmd!r} failed: {why[:300]}")
                if cfg.api_key and cfg.refresh_api_key_hook is not None:  # a token (certificates: no hook)
                    refresh = ExecCredentialRefresh(loader, cfg, cmd, capture)
    except ConnectError:
        raise
    except (ConfigException, OSError, ValueError, KeyError, TypeError) as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConnectError(f"cannot configure the client: {text[:300]}") from None
    info["server"] = cfg.host
    if not cfg.verify_ssl:
        info["insecureSkipTLSVerify"] = True
        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    # Our own retry policy: no read retries (a slow list fails once, after --timeout), a retry on a
    # refused or reset connection, and the server's Retry-After honoured on 429 (API Priority and Fairness).
    cfg.retries = urllib3.util.Retry(total=4, connect=1, read=0, other=0, status=3, backoff_factor=0.2,
                                     status_forcelist=(429,), allowed_methods=("GET",),
                                     respect_retry_after_header=True, raise_on_status=False)
    cfg.connection_pool_maxsize = max(1, opts.concurrency)
    api = client.ApiClient(cfg)
    api.user_agent = f"kubeguard/{__version__}"
    return api, info, refresh


def _auth_kind(user: dict[str, Any] | None) -> str:
    if not user:
        return "none"
    for key, label in (("exec", "exec plugin"), ("auth-provider", "auth provider"), ("token", "token"),
                       ("tokenFile", "token file"), ("client-certificate", "client certificate"),
                       ("client-certificate-data", "client certificate"), ("username", "basic auth")):
        if key in user:
            return label
    return "none"

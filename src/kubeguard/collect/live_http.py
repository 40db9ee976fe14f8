"""HTTP to one API server: raw JSON GETs, one-line error reasons, a QPS limit, discovery and the pager.

Requests go through the official client's ``ApiClient`` (its TLS, proxy and
credential handling, token refresh for exec plugins) with
``_preload_content=False`` semantics: the body is read as bytes and decoded
with orjson, never through the client's model classes.

Error reasons never quote a response body: only the ``message`` of a
``kind: Status`` error object, so a Secret or ConfigMap value can never end up
in a log line or report.
"""

from __future__ import annotations

import re
import ssl
import threading
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol
from urllib.parse import quote

import orjson

JSON = "application/json"
AGGREGATED_DISCOVERY = ("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                        "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json")
METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
MAX_LIST_RESTARTS = 3

_STATUS_NAMES = {400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found",
                 405: "method not allowed", 406: "not acceptable", 410: "gone", 429: "throttled",
                 500: "server error", 502: "bad gateway", 503: "service unavailable", 504: "gateway timeout"}


class ApiError(Exception):
    """A failed request; ``reason`` is one line, ``status`` the HTTP status (None: no response)."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status


class RateLimiter:
    """Token bucket: ``qps`` requests per second on average, bursts of up to ``burst``; 0 = no limit."""

    def __init__(self, qps: float, burst: int):
        self.rate = float(qps)
        self.capacity = float(max(1, burst))
        self.tokens = self.capacity
        self.stamp = time.monotonic()
        self.lock = threading.Lock()

    def acquire(self) -> None:
        if self.rate <= 0:
            return
        while True:
            with self.lock:
                now = time.monotonic()
                self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
                self.stamp = now
                if self.tokens >= 1:
                    self.tokens -= 1
                    return
                wait = (1 - self.tokens) / self.rate
            time.sleep(wait)


def status_message(body: bytes) -> str | None:
    """The ``message`` of a ``kind: Status`` body (first line, shortened); None for anything else."""
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if isinstance(doc, dict) and doc.get("kind") == "Status" and isinstance(doc.get("message"), str):
        msg = doc["message"].strip().splitlines()
        return msg[0][:200] if msg else None
    return None


def http_reason(status: int, body: bytes) -> str:
    reason = f"{_STATUS_NAMES.get(status, 'HTTP error')} ({status})"
    if status not in (401, 403, 404, 410):  # those need no server text; the rest often do
        msg = status_message(body)
        if msg:
            reason += f": {msg}"
    return reason


_VERIFY = re.compile(r"certificate verify failed: ([^()\]]+)")


def transport_reason(exc: BaseException, timeout: float) -> str:
    """One line for a request that got no HTTP response (timeout, refused, TLS, DNS).

    The client reports TLS failures as ``ApiException(status=0, reason="SSLError...")``, others as
    urllib3 errors, often wrapped in ``MaxRetryError``; all end up here.
    """
    from urllib3 import exceptions as ue

    seen: BaseException = exc
    for _ in range(5):  # unwrap MaxRetryError and friends to the first cause
        inner = getattr(seen, "reason", None)
        if isinstance(inner, BaseException):
            seen = inner
        else:
            break
    text = " ".join(str(seen).split())
    # urllib3's NewConnectionError subclasses ConnectTimeoutError: test it before timeouts
    if isinstance(seen, ue.NameResolutionError) or "Name or service not known" in text:
        return "cannot resolve the server's host name"
    if isinstance(seen, (ue.NewConnectionError, ConnectionRefusedError)) and "timed out" not in text:
        return "connection refused" if "refused" in text.lower() else f"cannot connect: {text[-160:]}"
    if isinstance(seen, (ue.TimeoutError, TimeoutError)):
        return f"timed out after {timeout:g}s"
    if isinstance(seen, (ue.SSLError, ssl.SSLError)) or "SSLError" in text or "CERTIFICATE_VERIFY" in text:
        m = _VERIFY.search(text)
        return "TLS error: " + (f"certificate verify failed ({m.group(1).strip()})" if m else text[-160:])
    if isinstance(seen, ue.ProtocolError):
        return f"connection broken: {text[-160:]}"
    return f"{type(seen).__name__}: {text[:160]}"


class CredentialRefresh(Protocol):
    """Runs a credential plugin again (:class:`~kubeguard.collect.live_config.ExecCredentialRefresh`)."""

    def token(self) -> str | None: ...

    def renew(self) -> str | None: ...


class Http:
    """GET requests against one API server through a configured ``kubernetes.client.ApiClient``.

    With ``refresh`` (a token from an exec credential plugin), a 401 runs the plugin again and
    the request is retried once with the new token, as kubectl does when a cached token has
    expired on the server's side.  Requests that failed with the same token while the plugin ran
    are retried with the new one without running it again; once a new token has been rejected
    too (or the plugin failed), 401s are final.
    """

    def __init__(self, api: Any, timeout: float, qps: float = 0, burst: int = 1,
                 refresh: CredentialRefresh | None = None):
        self.api = api
        self.timeout = timeout
        self.limiter = RateLimiter(qps, burst)
        self.refresh = refresh
        self.requests = 0
        self.bytes = 0
        self.retries = 0  # requests sent again with a renewed credential
        self._lock = threading.Lock()
        # held while a request picks its credential (the client's refresh hook may run the
        # plugin) and while the plugin runs after a 401: one run at a time, none half-seen
        self._auth = threading.Lock()
        self._renewal_failed: str | None = None  # why 401s are final ("" : a renewed token was rejected)

    def get(self, path: str, query: list[tuple[str, Any]] | None = None, accept: str = JSON) -> bytes:
        status, body, sent = self._request(path, query, accept)
        if status == 401 and self._renewed(sent):
            with self._lock:
                self.retries += 1
            status, body, _ = self._request(path, query, accept)
            if status == 401:
                with self._auth:
                    if self._renewal_failed is None:
                        self._renewal_failed = ""
        if not 200 <= status < 300:
            reason = http_reason(status, body)
            if status == 401 and self._renewal_failed:
                reason += f"; {self._renewal_failed}"
            raise ApiError(reason, status)
        return body

    def _request(self, path: str, query: list[tuple[str, Any]] | None, accept: str) -> tuple[int, bytes, str | None]:
        self.limiter.acquire()
        if hasattr(self.api, "param_serialize"):
            status, body, sent = self._get(path, query, accept)
        else:
            status, body, sent = self._get_before_37(path, query, accept)
        with self._lock:
            self.requests += 1
            self.bytes += len(body)
        return status, body, sent

    def _renewed(self, sent: str | None) -> bool:
        """After a 401 with credential ``sent``: whether there is a new credential to retry with."""
        if self.refresh is None:
            return False
        with self._auth:
            if self.refresh.token() != sent:
                return True  # another request renewed it meanwhile
            if self._renewal_failed is not None:
                return False
            problem = self.refresh.renew()
            if problem is not None:
                self._renewal_failed = problem
                return False
            if self.refresh.token() == sent:  # the plugin gave the rejected token again
                self._renewal_failed = ""
                return False
            return True

    def _get(self, path: str, query: list[tuple[str, Any]] | None, accept: str) -> tuple[int, bytes, str | None]:
        """kubernetes >= 37 (OpenAPI generator 7): every status comes back as a response."""
        resp = None
        try:
            with self._auth:
                method, url, headers, _, _ = self.api.param_serialize(
                    "GET", path, query_params=query or [], header_params={"Accept": accept},
                    auth_settings=["BearerToken"])
            resp = self.api.call_api(method, url, header_params=headers,
                                     _request_timeout=(self.timeout, self.timeout))
            return resp.status, resp.read(), headers.get("authorization")
        except Exception as exc:  # noqa: BLE001 - every transport failure becomes one line
            raise ApiError(transport_reason(exc, self.timeout)) from None
        finally:
            if resp is not None:
                resp.response.release_conn()

    def _get_before_37(self, path: str, query: list[tuple[str, Any]] | None,
                       accept: str) -> tuple[int, bytes, str | None]:
        """kubernetes <= 36: a non-2xx status is raised as ApiException carrying status and body.

        Supported because botocore (the ``aws`` extra) still caps python-dateutil below 3,
        which kubernetes 37 requires; ``kubeguard[live,aws]`` resolves to an older client.
        """
        from kubernetes.client.exceptions import ApiException

        resp = None
        headers = {"Accept": accept}
        # these releases' kubeconfig loader stores the token under "authorization" while their
        # auth settings look for "BearerToken": set the header ourselves (refresh hook included)
        cfg = self.api.configuration
        with self._auth:
            token = cfg.get_api_key_with_prefix("authorization") or cfg.get_api_key_with_prefix("BearerToken")
        if token:
            headers["Authorization"] = token
        try:
            resp = self.api.call_api(path, "GET", query_params=query or [], header_params=headers,
                                     auth_settings=[], _preload_content=False,
                                     _return_http_data_only=True, _request_timeout=(self.timeout, self.timeout))
            return resp.status, resp.data, token
        except ApiException as exc:
            if exc.status:
                body = exc.body if isinstance(exc.body, bytes) else str(exc.body or "").encode()
                return exc.status, body, token
            raise ApiError(transport_reason(exc, self.timeout)) from None
        except Exception as exc:  # noqa: BLE001 - every transport failure becomes one line
            raise ApiError(transport_reason(exc, self.timeout)) from None
        finally:
            if resp is not None:
                resp.release_conn()

    def get_json(self, path: str, query: list[tuple[str, Any]] | None = None, accept: str = JSON) -> Any:
        body = self.get(path, query, accept)
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            raise ApiError("the response is not valid JSON") from None


# --- discovery ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Resource:
    """One listable resource type at its preferred version."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    verbs: frozenset[str]

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def name(self) -> str:
        """``plural.group`` as RBAC and ``kubectl auth can-i`` name it."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    def list_path(self, namespace: str | None = None) -> str:
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if namespace is not None:
            return f"{base}/namespaces/{quote(namespace, safe='')}/{self.plural}"
        return f"{base}/{self.plural}"


@dataclass
class Discovery:
    resources: list[Resource] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    mode: str = "aggregated"  # aggregated | legacy (per-group APIResourceLists)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (group/version or /apis, reason)
    stale: list[str] = field(default_factory=list)


def discover(http: Http, pool: Executor, skip_group: Callable[[str], bool] = lambda g: False) -> Discovery:
    """Every resource type the server serves, at the preferred version of its group.

    Uses aggregated discovery (one request for ``/api`` and one for ``/apis``)
    and falls back to the per-group lists on servers without it.  Raises
    :class:`ApiError` when ``/api`` itself cannot be read.
    """
    out = Discovery()
    legacy_versions: list[str] = []
    for root in ("/api", "/apis"):
        try:
            doc = http.get_json(root, accept=AGGREGATED_DISCOVERY)
        except ApiError as exc:
            if root == "/api":
                raise
            out.problems.append(("/apis", exc.reason))
            continue
        if isinstance(doc, dict) and doc.get("kind") == "APIGroupDiscoveryList":
            _add_aggregated(out, doc, skip_group)
        elif root == "/api":
            out.mode = "legacy"
            versions = doc.get("versions") if isinstance(doc, dict) else None
            legacy_versions.append(versions[0] if isinstance(versions, list) and versions else "v1")
            out.groups.append("")
        else:
            out.mode = "legacy"
            groups = doc.get("groups") if isinstance(doc, dict) else None
            for g in groups if isinstance(groups, list) else []:
                if not isinstance(g, dict):
                    continue
                name = str(g.get("name") or "")
                gv = (g.get("preferredVersion") or {}).get("groupVersion") or next(
                    (v.get("groupVersion") for v in g.get("versions") or []), None)
                if gv and not skip_group(name):
                    out.groups.append(name)
                    legacy_versions.append(str(gv))
    if legacy_versions:
        def fetch(gv: str) -> tuple[str, Any]:
            path = f"/api/{gv}" if "/" not in gv else f"/apis/{gv}"
            try:
                return gv, http.get_json(path)
            except ApiError as exc:
                return gv, exc

        for gv, doc in pool.map(fetch, legacy_versions):
            if isinstance(doc, ApiError):
                out.problems.append((gv, doc.reason))
            elif isinstance(doc, dict):
                _add_resource_list(out, gv, doc)
    out.groups = sorted(set(out.groups))
    return out


def _add_aggregated(out: Discovery, doc: dict[str, Any], skip_group: Callable[[str], bool]) -> None:
    for item in doc.get("items") or []:
        if not isinstance(item, dict):
            continue
        group = str((item.get("metadata") or {}).get("name") or "")
        versions = [v for v in item.get("versions") or [] if isinstance(v, dict) and v.get("version")]
        if not versions or skip_group(group):
            continue
        out.groups.append(group)
        preferred = versions[0]  # the server lists versions in preference order
        version = str(preferred["version"])
        if preferred.get("freshness") == "Stale":
            out.stale.append(f"{group}/{version}" if group else version)
        for r in preferred.get("resources") or []:
            if not isinstance(r, dict) or not r.get("resource"):
                continue
            kind = (r.get("responseKind") or {}).get("kind")
            if kind:
                out.resources.append(Resource(group, version, str(r["resource"]), str(kind),
                                              r.get("scope") == "Namespaced", frozenset(r.get("verbs") or ())))


def _add_resource_list(out: Discovery, group_version: str, doc: dict[str, Any]) -> None:
    group, _, version = group_version.rpartition("/")
    for r in doc.get("resources") or []:
        if not isinstance(r, dict) or "/" in str(r.get("name", "/")) or not r.get("kind"):
            continue  # subresources (pods/log, deployments/scale) are not object lists
        out.resources.append(Resource(group, version, str(r["name"]), str(r["kind"]), bool(r.get("namespaced")),
                                      frozenset(r.get("verbs") or ())))


# --- the pager ------------------------------------------------------------------------

def list_items(http: Http, path: str, page_size: int, accept: str,
               take: Callable[[Any], Any], on_page: Callable[[int], None] | None = None) -> list[Any]:
    """Every item of a list, page by page with ``limit``/``continue``.

    ``take`` turns a raw item into what is kept (or None to drop it) as each page
    arrives, so a page's bytes are released before the next one is read.  An
    expired continue token (410 Gone) restarts the list from the beginning, as
    client-go's pager does.
    """
    kept: list[Any] = []
    token: str | None = None
    restarts = 0
    while True:
        query: list[tuple[str, Any]] = [("limit", page_size)]
        if token:
            query.append(("continue", token))
        try:
            doc = http.get_json(path, query, accept)
        except ApiError as exc:
            if exc.status == 410 and token and restarts < MAX_LIST_RESTARTS:
                restarts += 1
                if on_page is not None:
                    on_page(-len(kept))
                kept, token = [], None
                continue
            raise
        items = doc.get("items") if isinstance(doc, dict) else None
        if not isinstance(items, list):
            raise ApiError("the response is not a list")
        before = len(kept)
        for item in items:
            obj = take(item)
            if obj is not None:
                kept.append(obj)
        if on_page is not None:
            on_page(len(kept) - before)
        meta = doc.get("metadata")
        token = meta.get("continue") if isinstance(meta, dict) else None
        if not token:
            return kept

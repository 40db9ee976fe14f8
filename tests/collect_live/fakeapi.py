"""A small Kubernetes API server on loopback, over real HTTP (optionally TLS), for collector tests and the benchmark.

It serves ``/version``, aggregated discovery (``APIGroupDiscoveryList``) or
the legacy per-group lists, paginated lists with opaque ``continue`` tokens
(list items without apiVersion/kind for built-in types, as the real server
sends them), ``PartialObjectMetadataList`` for Secrets when asked, ``Status``
error bodies, and ``nodes/NAME/proxy/configz``.  Faults are switched on per
resource: 403, a slow response, an expired continue token (410), a broken
body.  Every request is recorded for assertions.
"""

from __future__ import annotations

import base64
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlsplit

import orjson


@dataclass(frozen=True)
class ResourceSpec:
    group: str
    version: str
    kind: str
    plural: str
    namespaced: bool
    verbs: tuple[str, ...] = ("get", "list", "watch")
    subresources: tuple[str, ...] = ()

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version


BUILTIN = (
    ResourceSpec("", "v1", "Pod", "pods", True, subresources=("log", "exec", "status")),
    ResourceSpec("", "v1", "Service", "services", True),
    ResourceSpec("", "v1", "Namespace", "namespaces", False),
    ResourceSpec("", "v1", "Node", "nodes", False, subresources=("proxy", "status")),
    ResourceSpec("", "v1", "Secret", "secrets", True),
    ResourceSpec("", "v1", "ConfigMap", "configmaps", True),
    ResourceSpec("", "v1", "ServiceAccount", "serviceaccounts", True, subresources=("token",)),
    ResourceSpec("", "v1", "Event", "events", True),
    ResourceSpec("", "v1", "Binding", "bindings", True, verbs=("create",)),
    ResourceSpec("apps", "v1", "Deployment", "deployments", True, subresources=("scale", "status")),
    ResourceSpec("apps", "v1", "ReplicaSet", "replicasets", True),
    ResourceSpec("apps", "v1", "DaemonSet", "daemonsets", True),
    ResourceSpec("apps", "v1", "StatefulSet", "statefulsets", True),
    ResourceSpec("batch", "v1", "Job", "jobs", True),
    ResourceSpec("batch", "v1", "CronJob", "cronjobs", True),
    ResourceSpec("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", True),
    ResourceSpec("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", False),
    ResourceSpec("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", False),
    ResourceSpec("rbac.authorization.k8s.io", "v1", "Role", "roles", True),
    ResourceSpec("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", True),
    ResourceSpec("coordination.k8s.io", "v1", "Lease", "leases", True),
    ResourceSpec("admissionregistration.k8s.io", "v1", "ValidatingAdmissionPolicy",
                 "validatingadmissionpolicies", False),
    ResourceSpec("authorization.k8s.io", "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews", False,
                 verbs=("create",)),
)
ROLLOUT = ResourceSpec("argoproj.io", "v1alpha1", "Rollout", "rollouts", True)


def status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}


class FakeCluster:
    """Serve ``objects`` (raw dicts with apiVersion/kind) for the resource types in ``resources``."""

    def __init__(self, objects: list[dict[str, Any]], resources: tuple[ResourceSpec, ...] = BUILTIN, *,
                 token: str | Callable[[int], str] | None = None, aggregated: bool = True,
                 honour_metadata_accept: bool = True,
                 forbidden: tuple[str, ...] = (), slow: dict[str, float] | None = None,
                 expire_once: tuple[str, ...] = (), broken: dict[str, str] | None = None,
                 git_version: str = "v1.31.2", configz: dict[str, dict[str, Any]] | None = None,
                 configz_forbidden: bool = False, tls: tuple[str, str] | None = None,
                 max_page: int | None = None):
        self.resources = resources
        self.token = token  # the bearer token accepted, or a function of the request's index (0, 1, ...)
        self.aggregated = aggregated
        self.honour_metadata_accept = honour_metadata_accept
        self.forbidden = set(forbidden)  # "plural" or "plural@namespace"
        self.slow = dict(slow or {})
        self.expire_once = set(expire_once)
        self.broken = dict(broken or {})  # "plural", "plural@namespace" or "/apis" -> text to send as the body
        self.git_version = git_version
        self.configz = configz or {}
        self.configz_forbidden = configz_forbidden
        self.max_page = max_page
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        self._lock = threading.Lock()
        self._by_resource: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for o in objects:  # objects of types this server does not serve (no CRD) are left out
            spec = self._spec_for(o)
            if spec is not None:  # built-in types come without apiVersion/kind inside a list
                item = {k: v for k, v in o.items() if k not in ("apiVersion", "kind")} if spec in BUILTIN else o
                self._by_resource.setdefault((spec.group, spec.plural), []).append(item)
        self._tls = tls
        self.server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def _spec_for(self, o: dict[str, Any]) -> ResourceSpec | None:
        av = o["apiVersion"]
        group = av.rpartition("/")[0] if "/" in av else ""
        return next((s for s in self.resources if s.group == group and s.kind == o["kind"]), None)

    # --- lifecycle --------------------------------------------------------------------
    def start(self) -> "FakeCluster":
        fake = self

        class Handler(_Handler):
            cluster = fake

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if self._tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*self._tls)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"{'https' if self._tls else 'http'}://{host}:{port}"

    def paths(self) -> list[str]:
        with self._lock:
            return [p for p, _, _ in self.requests]

    # --- responses ---------------------------------------------------------------------
    def respond(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> tuple[int, bytes]:
        with self._lock:
            self.requests.append((path, query, headers))
            index = len(self.requests) - 1
        scheme, _, credential = headers.get("authorization", "").partition(" ")
        token = self.token(index) if callable(self.token) else self.token
        if token is not None and (scheme.lower() != "bearer" or credential != token):
            return 401, orjson.dumps(status(401, "Unauthorized", "Unauthorized"))
        accept = headers.get("accept", "")
        if path == "/version":
            return 200, orjson.dumps({"major": "1", "minor": self.git_version.split(".")[1],
                                      "gitVersion": self.git_version, "platform": "linux/amd64"})
        if path in ("/api", "/apis"):
            if path in self.broken:
                return 200, self.broken[path].encode()
            return 200, orjson.dumps(self._root(path, "as=APIGroupDiscoveryList" in accept and self.aggregated))
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if parts[:2] == ["api", "v1"] and len(parts) == 5 and parts[2] == "nodes" and parts[4] == "proxy":
            parts.append("")
        if parts[:2] == ["api", "v1"] and len(parts) == 6 and parts[2] == "nodes" and parts[4:] == ["proxy", "configz"]:
            if self.configz_forbidden:
                return 403, orjson.dumps(status(403, "Forbidden", f'nodes "{parts[3]}" is forbidden: cannot get '
                                                                  'resource "nodes/proxy"'))
            cfg = self.configz.get(parts[3])
            if cfg is None:
                return 503, orjson.dumps(status(503, "ServiceUnavailable", "error trying to reach service"))
            return 200, orjson.dumps({"kubeletconfig": cfg})
        if parts[0] == "api":
            group, version, rest = "", parts[1] if len(parts) > 1 else "", parts[2:]
        elif parts[0] == "apis" and len(parts) >= 3:
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            return 404, orjson.dumps(status(404, "NotFound", "the server could not find the requested resource"))
        if not rest:
            return self._resource_list(group, version)
        namespace = None
        if len(rest) == 3 and rest[0] == "namespaces":
            namespace, rest = rest[1], rest[2:]
        spec = next((s for s in self.resources if s.group == group and s.version == version
                     and s.plural == rest[0]), None)
        if spec is None or len(rest) != 1 or "list" not in spec.verbs:
            return 404, orjson.dumps(status(404, "NotFound", "the server could not find the requested resource"))
        return self._list(spec, namespace, query, accept)

    def _root(self, path: str, aggregated: bool) -> dict[str, Any]:
        core = path == "/api"
        specs = [s for s in self.resources if (s.group == "") == core]
        if aggregated:
            groups: dict[str, list[ResourceSpec]] = {}
            for s in specs:
                groups.setdefault(s.group, []).append(s)
            items = []
            for g, ss in groups.items():
                items.append({"metadata": {"name": g} if g else {}, "versions": [{
                    "version": ss[0].version, "freshness": "Current",
                    "resources": [{
                        "resource": s.plural, "scope": "Namespaced" if s.namespaced else "Cluster",
                        "singularResource": s.kind.lower(), "verbs": list(s.verbs),
                        "responseKind": {"group": s.group, "version": s.version, "kind": s.kind},
                        "subresources": [{"subresource": sub, "verbs": ["get"],
                                          "responseKind": {"group": "", "version": "v1", "kind": "Status"}}
                                         for sub in s.subresources]} for s in ss]}]})
            return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {},
                    "items": items}
        if core:
            return {"kind": "APIVersions", "versions": ["v1"],
                    "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "10.0.0.1:443"}]}
        groups_out = {}
        for s in specs:
            gv = {"groupVersion": s.group_version, "version": s.version}
            groups_out.setdefault(s.group, {"name": s.group, "versions": [gv], "preferredVersion": gv})
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": list(groups_out.values())}

    def _resource_list(self, group: str, version: str) -> tuple[int, bytes]:
        specs = [s for s in self.resources if s.group == group and s.version == version]
        if not specs:
            return 404, orjson.dumps(status(404, "NotFound", "the server could not find the requested resource"))
        resources = []
        for s in specs:
            resources.append({"name": s.plural, "singularName": s.kind.lower(), "namespaced": s.namespaced,
                              "kind": s.kind, "verbs": list(s.verbs)})
            for sub in s.subresources:
                resources.append({"name": f"{s.plural}/{sub}", "singularName": "", "namespaced": s.namespaced,
                                  "kind": s.kind, "verbs": ["get"]})
        return 200, orjson.dumps({"kind": "APIResourceList", "apiVersion": "v1",
                                  "groupVersion": specs[0].group_version, "resources": resources})

    def _list(self, spec: ResourceSpec, namespace: str | None, query: dict[str, list[str]],
              accept: str) -> tuple[int, bytes]:
        if spec.plural in self.forbidden or f"{spec.plural}@{namespace}" in self.forbidden:
            scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
            return 403, orjson.dumps(status(403, "Forbidden", f'{spec.plural} is forbidden: User "tester" cannot '
                                                              f'list resource "{spec.plural}" in API group '
                                                              f'"{spec.group}" {scope}'))
        if spec.plural in self.slow:
            time.sleep(self.slow[spec.plural])
        for key in (f"{spec.plural}@{namespace}", spec.plural):
            if key in self.broken:
                return 200, self.broken[key].encode()
        items = self._by_resource.get((spec.group, spec.plural), [])
        if namespace is not None:
            items = [o for o in items if o.get("metadata", {}).get("namespace") == namespace]
        limit = int(query.get("limit", ["0"])[0] or 0) or len(items) or 1
        if self.max_page:
            limit = min(limit, self.max_page)
        start = 0
        token = query.get("continue", [None])[0]
        if token:
            with self._lock:
                expire = spec.plural in self.expire_once
                self.expire_once.discard(spec.plural)
            if expire:
                return 410, orjson.dumps(status(410, "Expired", "The provided continue parameter is too old to "
                                                               "display a consistent list result."))
            start = orjson.loads(base64.urlsafe_b64decode(token))["start"]
        page = items[start:start + limit]
        more = start + limit < len(items)
        meta: dict[str, Any] = {"resourceVersion": "12345"}
        if more:
            meta["continue"] = base64.urlsafe_b64encode(orjson.dumps({"start": start + limit, "rv": 12345})).decode()
            meta["remainingItemCount"] = len(items) - start - limit
        if spec.plural == "secrets" and self.honour_metadata_accept and "as=PartialObjectMetadataList" in accept:
            return 200, orjson.dumps({"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1",
                                      "metadata": meta, "items": [
                                          {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                                           "metadata": o.get("metadata", {})} for o in page]})
        return 200, orjson.dumps({"kind": f"{spec.kind}List", "apiVersion": spec.group_version, "metadata": meta,
                                  "items": page})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    cluster: FakeCluster

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        code, body = self.cluster.respond(parts.path, parse_qs(parts.query), headers)
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


# --- object makers ---------------------------------------------------------------------

def obj(api_version: str, kind: str, name: str, namespace: str | None = None, **rest: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "uid": f"uid-{kind}-{namespace}-{name}",
                            "managedFields": [{"manager": "kubectl", "operation": "Apply"}]}
    if namespace:
        meta["namespace"] = namespace
    meta.update(rest.pop("metadata", {}))
    return {"apiVersion": api_version, "kind": kind, "metadata": meta, **rest}


def pod_template(privileged: bool = False, image: str = "nginx:1.27") -> dict[str, Any]:
    sc = {"privileged": True} if privileged else {"allowPrivilegeEscalation": False, "runAsNonRoot": True}
    return {"metadata": {"labels": {"app": "x"}},
            "spec": {"containers": [{"name": "app", "image": image, "securityContext": sc}]}}


def bench_pod(i: int, namespaces: int = 50) -> dict[str, Any]:
    """A realistic running Pod (~3 KB of JSON with status) for the benchmark."""
    ns = f"team-{i % namespaces}"
    name = f"web-{i:06d}-7d4b9c8f6-abcde"
    return obj("v1", "Pod", name, ns, metadata={
        "labels": {"app": f"web-{i % 97}", "pod-template-hash": "7d4b9c8f6", "tier": "frontend"},
        "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": f"web-{i % 97}-7d4b9c8f6",
                             "uid": f"rs-{i % 97}", "controller": True, "blockOwnerDeletion": True}],
        "resourceVersion": str(100000 + i), "creationTimestamp": "2026-11-30T10:00:00Z"},
        spec={"serviceAccountName": "web", "nodeName": f"node-{i % 40}", "restartPolicy": "Always",
              "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
              "containers": [{
                  "name": "web", "image": f"registry.example.org/web:{i % 13}.4.1",
                  "ports": [{"containerPort": 8080, "protocol": "TCP", "name": "http"}],
                  "env": [{"name": "LOG_LEVEL", "value": "info"},
                          {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}],
                  "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                  "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                      "capabilities": {"drop": ["ALL"]}},
                  "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10},
                  "volumeMounts": [{"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/"
                                                                          "serviceaccount", "readOnly": True}]}],
              "volumes": [{"name": "kube-api-access", "projected": {"sources": [
                  {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                  {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}}]}}],
              "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                               "tolerationSeconds": 300}]},
        status={"phase": "Running", "podIP": f"10.1.{i // 250 % 250}.{i % 250}", "hostIP": "10.0.0.5",
                "startTime": "2026-11-30T10:00:01Z",
                "conditions": [{"type": t, "status": "True", "lastTransitionTime": "2026-11-30T10:00:05Z"}
                               for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")],
                "containerStatuses": [{"name": "web", "ready": True, "restartCount": 0, "started": True,
                                       "image": f"registry.example.org/web:{i % 13}.4.1",
                                       "imageID": "registry.example.org/web@sha256:" + "ab" * 32,
                                       "containerID": "containerd://" + f"{i:064x}",
                                       "state": {"running": {"startedAt": "2026-11-30T10:00:04Z"}}}]})

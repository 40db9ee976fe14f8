"""Service with authentication turned off is reachable.

## What it checks
Workloads whose configuration explicitly turns authentication off, when a Service selects
their pods and that Service is exposed outside the cluster (LoadBalancer, NodePort,
externalIPs, Ingress, Gateway route) or the pods have no ingress NetworkPolicy, so every pod
of the cluster can connect.  The switches recognised, from the images' own documentation:
`ALLOW_EMPTY_PASSWORD`, `ALLOW_NONE_AUTHENTICATION` and `ALLOW_ANONYMOUS_LOGIN` set to yes
(Bitnami images), `POSTGRES_HOST_AUTH_METHOD=trust`, `MYSQL_ALLOW_EMPTY_PASSWORD` and
`MARIADB_ALLOW_EMPTY_ROOT_PASSWORD`, `CLICKHOUSE_SKIP_USER_SETUP=1`, `NEO4J_AUTH=none`,
Elasticsearch `xpack.security.enabled=false`, OpenSearch `DISABLE_SECURITY_PLUGIN=true`,
Grafana `GF_AUTH_ANONYMOUS_ENABLED=true`, Docker-in-Docker with an empty
`DOCKER_TLS_CERTDIR` (plain TCP on 2375), `mongod --noauth`, `redis-server --protected-mode
no` without `--requirepass` or a configuration file, Jupyter with an empty token and no
password, Kubernetes Dashboard `--enable-skip-login`, and Argo Workflows `--auth-mode=server`
as its only mode.  Images whose documentation says they start without authentication count
when nothing turns it on: the official `redis` and `valkey` images (protected mode off, no
password) without `--requirepass`, `--aclfile` or a configuration file, `memcached` without SASL
(`-S`, Bitnami `MEMCACHED_PASSWORD`), and the official `mongo` image without
`MONGO_INITDB_ROOT_USERNAME`, `--auth`, `--keyFile` or a configuration file.  Values from Secrets
or ConfigMaps are not read: a switch whose last definition comes from one does not count, and
an image whose authentication an environment variable turns on is UNKNOWN when `envFrom` may
set it.

Reachability is the engine's, as the cluster's CNI enforces the policies (Calico and Cilium
policies included): through a LoadBalancer, NodePort or externalIPs Service when a client
outside the cluster may open the target port (`netpol can-reach internet`), through an Ingress
or Gateway route when the pods admit the port from every pod (the controller is one of them),
and from every namespace when the pods admit the port from every pod of the cluster.  What
cannot be told is UNKNOWN (next to the failures, when there are some): which source address
a policy sees behind a LoadBalancer, or a NodePort with `externalTrafficPolicy: Cluster`
(NP-32: the client, the load balancer, or a node SNAT that the pod's own node always admits);
whether an Ingress controller is among the sources a policy admits; undecided policy
constructs.  So a database behind a LoadBalancer whose policy admits only its client pods is
UNKNOWN, not FAIL: on some data planes the outside cannot reach it, on others it can.

## Why it matters
An unauthenticated database or admin API answers anyone who can reach it: data theft,
ransom-deletion, or code execution (Jupyter kernels, Docker daemons, Argo workflows).  Kubescape
finds such services by probing them from inside the cluster (C-0274); the configuration
shows the same without network access.

## Failing example
```yaml
kind: Deployment
metadata: {name: cache, namespace: shop}
spec:
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers:
        - name: redis
          image: bitnami/redis:7.4
          env: [{name: ALLOW_EMPTY_PASSWORD, value: "yes"}]
---
kind: Service
metadata: {name: cache, namespace: shop}
spec: {selector: {app: cache}, ports: [{port: 6379}]}
# no NetworkPolicy selects app=cache for ingress
```

## Passing example
```yaml
containers:
  - name: redis
    image: bitnami/redis:7.4
    env:
      - name: REDIS_PASSWORD
        valueFrom: {secretKeyRef: {name: cache, key: password}}
```

## Remediation
Turn authentication on (set a password from a Secret, remove the switch), and restrict who
can connect with an ingress NetworkPolicy; never publish such a Service outside the cluster.

## Exceptions and known false positives/negatives
A service that authenticates at a sidecar or mesh (mTLS with an AuthorizationPolicy) may run
its backend without a password; exempt it with that reason.  Other images that start without
authentication by default are not detected: the configuration says nothing, and only a probe
can tell.

## Differences from Kubescape
C-0274 probes each Service port from inside the cluster (kubescape's network scanner) and
reports the Service when the protocol answers without credentials; it needs a live cluster and
sees only what its own pod can reach.  Here the finding is on the workload's field that turns
authentication off (or its image), from configuration and policies alone, and covers clients
outside the cluster as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kubeguard.graph.network import ExternalEndpoint
from kubeguard.graph.network_exposure import Exposure, admitted, exposures, service_pods, service_target_ports
from kubeguard.graph.network_sets import INTERNET, PROTOCOLS, PortSet
from kubeguard.model import (
    ClusterInventory, ContainerView, K8sObject, NotEvaluated, ObjectRef, Path, Violation, pod_specs,
)
from kubeguard.rules._helpers.images import parse_image
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="NW021",
    slug="unauthenticated-service-exposed",
    title="Service with authentication turned off is reachable",
    severity="high",
    category="network",
    tags=("mitre:T1190", "mitre:T1133"),
    target="cluster",
    requires=("Service", "NetworkPolicy"),
    rationale=(
        "A database or admin API with authentication turned off answers anyone who can reach it: data theft, "
        "ransom-deletion, or code execution through notebooks, Docker daemons and workflow servers."
    ),
    remediation=(
        "Turn authentication on (a password from a Secret, no disabling switch), restrict clients with an ingress "
        "NetworkPolicy, and never publish such a Service outside the cluster."
    ),
    references=(
        "https://hub.armosec.io/docs/c-0274",
        "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0274",)},
)

_YES = {"yes", "true", "1", "on"}
# env var -> (test on its literal value, what it does)
_ENV = {
    "ALLOW_EMPTY_PASSWORD": (lambda v: v.lower() in _YES, "allows an empty password"),
    "ALLOW_NONE_AUTHENTICATION": (lambda v: v.lower() in _YES, "allows unauthenticated clients"),
    "ALLOW_ANONYMOUS_LOGIN": (lambda v: v.lower() in _YES, "allows anonymous login"),
    "POSTGRES_HOST_AUTH_METHOD": (lambda v: v.lower() == "trust", "trusts every host without a password"),
    "MYSQL_ALLOW_EMPTY_PASSWORD": (lambda v: v != "", "allows an empty root password"),
    "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD": (lambda v: v != "", "allows an empty root password"),
    "CLICKHOUSE_SKIP_USER_SETUP": (lambda v: v == "1", "leaves the default user without a password on the network"),
    "NEO4J_AUTH": (lambda v: v.lower() == "none", "turns authentication off"),
    "xpack.security.enabled": (lambda v: v.lower() == "false", "turns Elasticsearch security off"),
    "DISABLE_SECURITY_PLUGIN": (lambda v: v.lower() == "true", "turns the OpenSearch security plugin off"),
    "plugins.security.disabled": (lambda v: v.lower() == "true", "turns the OpenSearch security plugin off"),
    "GF_AUTH_ANONYMOUS_ENABLED": (lambda v: v.lower() == "true", "lets anonymous users in"),
}
_JUPYTER_TOKEN = re.compile(r"^--(NotebookApp|ServerApp|IdentityProvider)\.token=(''|\"\"|)$")
_JUPYTER_PASSWORD = re.compile(r"^--(NotebookApp|ServerApp|PasswordIdentityProvider)\.(password|hashed_password)=(.*)$")


@dataclass(frozen=True, slots=True)
class Marker:
    path: Path
    container: str
    what: str
    unsure: str | None = None  # why the configuration may turn authentication on where the scan cannot see


def _words(c: ContainerView) -> list[tuple[str, Path]]:
    out = []
    for key in ("command", "args"):
        v = c.raw.get(key)
        for i, w in enumerate(v if isinstance(v, list) else []):
            if isinstance(w, str):  # shell scripts (sh -c "redis-server --protected-mode no") split on blanks
                out.extend((part, c.path(key, i)) for part in (w.split() or [""]))
    return out


def _arg_markers(c: ContainerView) -> Iterator[Marker]:
    ws = _words(c)
    texts = [w for w, _ in ws]
    joined = " ".join(texts)
    for i, (w, path) in enumerate(ws):
        nxt = texts[i + 1] if i + 1 < len(texts) else ""
        if w == "--noauth":
            yield Marker(path, c.name, "mongod runs with --noauth")
        elif w == "--protected-mode" and nxt == "no" or w == "--protected-mode=no":
            if "--requirepass" not in joined and not any(t.endswith(".conf") for t in texts):
                yield Marker(path, c.name, "redis-server runs with --protected-mode no and no --requirepass")
        elif _JUPYTER_TOKEN.match(w) or (w.endswith(".token") and w.startswith("--") and nxt in ("", "''", '""')):
            if not any((m := _JUPYTER_PASSWORD.match(t)) and m.group(3) not in ("", "''", '""') for t in texts):
                yield Marker(path, c.name, f"Jupyter runs with an empty token and no password ({w})")
        elif w in ("--enable-skip-login", "--enable-skip-login=true"):
            yield Marker(path, c.name, "Kubernetes Dashboard lets users skip login (--enable-skip-login)")
    modes = [w.split("=", 1)[1] for w in texts if w.startswith("--auth-mode=")]
    modes += [texts[i + 1] for i, w in enumerate(texts[:-1]) if w == "--auth-mode"]
    if modes and set(modes) == {"server"} and ("server" in texts or "argo" in c.image):
        i = next(i for i, (w, _) in enumerate(ws) if w.startswith("--auth-mode"))
        yield Marker(ws[i][1], c.name, "Argo Workflows server uses --auth-mode=server: every request acts with "
                                       "the server's ServiceAccount")


def _env_markers(c: ContainerView) -> Iterator[Marker]:
    env = c.raw.get("env")
    values = {}
    for i, e in enumerate(env if isinstance(env, list) else []):
        if not isinstance(e, dict) or not isinstance(e.get("name"), str):
            continue
        if "valueFrom" in e:  # the last definition of a name wins; a value from a Secret is not read
            values.pop(e["name"], None)
        elif "value" in e:
            values[e["name"]] = (str(e.get("value") if e.get("value") is not None else ""), i)
    for name, (value, i) in values.items():
        rule = _ENV.get(name)
        if rule is not None and rule[0](value):
            yield Marker(c.path("env", i, "value"), c.name, f"{name}={value!r} {rule[1]}")
    if "DOCKER_TLS_CERTDIR" in values and values["DOCKER_TLS_CERTDIR"][0] == "" and "dind" in c.image:
        yield Marker(c.path("env", values["DOCKER_TLS_CERTDIR"][1], "value"), c.name,
                     "Docker-in-Docker with an empty DOCKER_TLS_CERTDIR serves the Docker API without TLS or "
                     "authentication on port 2375")


# images documented to start without authentication: repository -> (what, words or env names that turn it on)
_OPEN_BY_DEFAULT = {
    "docker.io/library/redis": ("redis starts without a password (protected mode off in the official image)",
                                ("--requirepass", "--aclfile"), ()),
    "docker.io/valkey/valkey": ("valkey starts without a password", ("--requirepass", "--aclfile"), ()),
    "docker.io/library/memcached": ("memcached has no authentication without SASL", ("-S", "--enable-sasl"), ()),
    "docker.io/bitnami/memcached": ("memcached has no authentication without SASL", ("-S", "--enable-sasl"),
                                    ("MEMCACHED_PASSWORD", "MEMCACHED_USERNAME")),
    "docker.io/library/mongo": ("mongod starts without access control (no root user)",
                                ("--auth", "--keyFile", "--config", "-f"),
                                ("MONGO_INITDB_ROOT_USERNAME", "MONGO_INITDB_ROOT_USERNAME_FILE")),
}


def _default_markers(c: ContainerView) -> Iterator[Marker]:
    rule = _OPEN_BY_DEFAULT.get(parse_image(c.image).name)
    if rule is None:
        return
    what, words, envs = rule
    texts = [w for w, _ in _words(c)]
    if any(t in words or t.split("=", 1)[0] in words or t.endswith(".conf") for t in texts):
        return
    if any(isinstance(e, dict) and e.get("name") in envs for e in c.raw.get("env") or []):
        return
    sources = [e for e in c.raw.get("envFrom") or [] if isinstance(e, dict)] if envs else []
    unsure = (f"envFrom {', '.join(_source_name(e) for e in sources[:2])} may set {' or '.join(envs[:1])}"
              if sources else None)
    yield Marker(c.path("image"), c.name, f"{what} and nothing here turns it on", unsure)


def _source_name(e: dict) -> str:
    for key, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
        if isinstance(e.get(key), dict):
            return f"{kind} {e[key].get('name')}"
    return "a source"


def markers_of(owner: K8sObject) -> list[Marker]:
    out: list[Marker] = []
    for view in pod_specs(owner):
        for c in view.containers():
            found = [*_env_markers(c), *_arg_markers(c)]
            out.extend(found or _default_markers(c))
    return out


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    g = ctx.graph("network")
    exposed: dict[tuple[str | None, str], list[Exposure]] = {}
    for e in exposures(cluster):
        exposed.setdefault((e.namespace, e.service), []).append(e)
    marks: dict[int, list[Marker]] = {}
    reach: dict[int, tuple[K8sObject, list[str], list[ObjectRef]]] = {}
    unsure: dict[int, tuple[K8sObject, str]] = {}
    internet = ExternalEndpoint("internet", INTERNET)
    for svc in cluster.of_kind("Service"):
        for p in service_pods(g, svc):
            owner = p.workload or p.obj
            m = marks.get(id(owner))
            if m is None:
                m = marks[id(owner)] = markers_of(owner)
            if not m:
                continue
            targets = service_target_ports(svc, p)
            ways, maybe = _ways(g, p, svc, targets, exposed.get((svc.namespace, svc.name), []), internet)
            if maybe:
                unsure.setdefault(id(owner), (owner, maybe[0]))
            if not ways:
                continue
            entry = reach.setdefault(id(owner), (owner, [], []))
            entry[1].extend(w for w in ways if w not in entry[1])
            if svc.ref not in entry[2]:
                entry[2].append(svc.ref)
    undecided = [f"{o.kind} {o.name} ({why})" for k, (o, why) in unsure.items() if k not in reach]
    for key, (owner, ways, services) in sorted(reach.items(), key=lambda kv: (kv[1][0].kind, kv[1][0].namespace or "",
                                                                             kv[1][0].name)):
        sure = [m for m in marks[key] if m.unsure is None]
        if not sure:  # only a default the unread configuration may change
            undecided.append(f"{owner.kind} {owner.name} ({marks[key][0].unsure})")
            continue
        for m in sure:
            yield Violation(f"{owner.kind} {owner.name}: {m.what}; reachable by {'; '.join(ways[:3])}", m.path,
                            container=m.container, obj=owner, related=tuple(services),
                            evidence={"switch": m.what, "reachableBy": ways})
    if undecided:  # failures found above stand; the engine reports these as not evaluated
        raise NotEvaluated("whether these unauthenticated services are reachable, or open, cannot be told: "
                           + "; ".join(sorted(undecided)[:3]) + (" ..." if len(undecided) > 3 else ""))


def _ways(g, pod, svc: K8sObject, targets: PortSet, exposed: list[Exposure],
          internet: ExternalEndpoint) -> tuple[list[str], list[str]]:
    """How the pod is reachable on the Service's target ports (as the CNI enforces the policies), and why it
    cannot be told when it cannot."""
    ways: list[str] = []
    unsure: list[str] = []
    for e in exposed:
        if e.obj.kind == "Service":  # LoadBalancer, NodePort, externalIPs: clients outside the cluster
            verdicts = [g.can_reach(internet, pod, proto, lo) for proto in PROTOCOLS for lo, _ in targets.ranges(proto)]
            if any(v.allowed for v in verdicts):
                ways.append(f"{e.how} (Service {svc.name})")
            elif any(v.undecided for v in verdicts):
                unsure.append(f"{e.how} of Service {svc.name}: the source the policy sees is not known")
        else:  # Ingress and Gateway routes: through their controller, a pod (or node) the input does not name
            every, every_maybe = admitted(g, pod, targets, everyone=True)
            some, some_maybe = admitted(g, pod, targets, everyone=False)
            if every:
                ways.append(f"{e.how} (Service {svc.name})")
            elif some or some_maybe or every_maybe:
                unsure.append(f"{e.how} of Service {svc.name}: the pods admit {some or some_maybe} from some "
                              "sources only, and whether the controller is one of them is not known")
    sure, maybe = admitted(g, pod, targets, everyone=True)
    if sure:
        ways.append(f"every pod of the cluster through Service {svc.name} on {sure}")
    elif maybe:
        unsure.append(f"whether every pod may connect through Service {svc.name} is undecided")
    return ways, unsure

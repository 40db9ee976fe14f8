"""kube-proxy serves its metrics beyond localhost.

## What it checks
Where kube-proxy's metrics endpoint listens, as kube-proxy decides it:

- a `KubeProxyConfiguration` in a kube-system ConfigMap whose name starts with
  `kube-proxy` (kubeadm's `kube-proxy` key `config.conf`, EKS's `kube-proxy-config`):
  `metricsBindAddress` must be a loopback address (absent or empty means the default
  `127.0.0.1:10249`);
- a kube-proxy container (DaemonSet or Pod) started with `--config`: the file is looked
  up through the container's volume mounts in the ConfigMap it comes from; when that
  ConfigMap is not in the scan, or the file is on the host, the result is UNKNOWN
  (kube-proxy ignores `--metrics-bind-address` when `--config` is given);
- a kube-proxy container without `--config`: `--metrics-bind-address` (default
  `127.0.0.1:10249`).

## Why it matters
The metrics endpoint is unauthenticated; on every interface it tells anyone on the
node network about services, endpoints and sync timings.

## Failing example
```yaml
kind: KubeProxyConfiguration
metricsBindAddress: 0.0.0.0:10249
```

## Passing example
```yaml
kind: KubeProxyConfiguration
metricsBindAddress: 127.0.0.1:10249
```

## Exceptions and known false positives/negatives
Prometheus setups often expose the endpoint on purpose; restrict it with a host
firewall or NetworkPolicy for host-network pods and exempt the ConfigMap with a reason.
Clusters that replace kube-proxy (Cilium, Calico eBPF) have no kube-proxy: not applicable.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Any

import yaml

from kubeguard.model import ClusterInventory, ContainerView, K8sObject, NotEvaluated, PodSpecView, Violation
from kubeguard.rules._helpers.flags import KUBE_PROXY, each, loopback, parse, runs
from kubeguard.rules._meta import Lifecycle, RuleMeta

META = RuleMeta(
    code="ND016",
    slug="kube-proxy-metrics-exposed",
    title="kube-proxy serves its metrics beyond localhost",
    severity="low",
    category="node",
    tags=("cis-k8s:4.3.1",),
    target="cluster",
    requires=("ConfigMap", "DaemonSet"),
    rationale=(
        "kube-proxy's metrics endpoint has no authentication; bound to every interface it maps the cluster's "
        "services and endpoints for anyone on the node network."
    ),
    remediation=(
        "Set metricsBindAddress: 127.0.0.1:10249 in the KubeProxyConfiguration (or leave it empty), and scrape "
        "metrics through a local agent or an authenticating proxy."
    ),
    references=(
        "https://kubernetes.io/docs/reference/config-api/kube-proxy-config.v1alpha1/",
        "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-proxy/",
    ),
    lifecycle=Lifecycle.preview("0.1.0"),
    peers={"kubescape": ("C-0291",)},
)

DEFAULT = "127.0.0.1:10249"
SYSTEM_NAMESPACE = "kube-system"


def _configmaps(cluster: ClusterInventory) -> list[tuple[K8sObject, str, str]]:
    """(ConfigMap, key, text) of every kube-system kube-proxy* ConfigMap value holding a KubeProxyConfiguration."""
    return [(cm, key, text) for cm in cluster.of_kind("ConfigMap")
            if cm.namespace == SYSTEM_NAMESPACE and cm.name.startswith("kube-proxy")
            for key, text in sorted((cm.raw.get("data") or {}).items())
            if isinstance(text, str) and "KubeProxyConfiguration" in text]


def _proxy_config(text: str) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise NotEvaluated(f"the KubeProxyConfiguration is not valid YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(doc, dict):
        raise NotEvaluated("the KubeProxyConfiguration is not a mapping")
    return doc


def _containers(cluster: ClusterInventory) -> list[tuple[PodSpecView, ContainerView]]:
    return [(pod, c) for pod in cluster.workloads() if pod.kind in ("DaemonSet", "Pod")
            for c in pod.containers_of("containers") if runs(KUBE_PROXY, c.raw)]


def applies(cluster: ClusterInventory, ctx) -> bool:
    return bool(_containers(cluster) or _configmaps(cluster))


def _config_source(pod: PodSpecView, c: ContainerView, path: str) -> tuple[str, str] | None:
    """(ConfigMap name, key) that the file at ``path`` is mounted from, or None."""
    path = posixpath.normpath(path)
    volumes = {v.get("name"): v for v in pod.volumes}
    for m in c.raw.get("volumeMounts") or []:
        mount = posixpath.normpath(str(m.get("mountPath") or ""))
        if not mount or not path.startswith(mount.rstrip("/") + "/") and path != mount:
            continue
        source = (volumes.get(m.get("name")) or {}).get("configMap")
        if not isinstance(source, dict):
            return None
        rel = m.get("subPath") or posixpath.relpath(path, mount)
        for item in source.get("items") or []:
            if item.get("path") == rel:
                return str(source.get("name")), str(item.get("key"))
        return str(source.get("name")), rel
    return None


def evaluate(cluster: ClusterInventory, ctx) -> Iterator[Violation]:
    configs = _configmaps(cluster)
    seen = {(cm.name, key) for cm, key, _ in configs}
    targets: list[Any] = [*configs, *_containers(cluster)]

    def check(target: Any, ctx) -> Iterator[Violation]:
        if len(target) == 3:
            cm, key, text = target
            addr = str(_proxy_config(text).get("metricsBindAddress") or "")
            if not loopback(addr or DEFAULT):
                yield Violation(f"kube-proxy metricsBindAddress = {addr} in key {key}: metrics are served beyond "
                                "localhost", ("data", key), obj=cm,
                                evidence={"field": "metricsBindAddress", "value": addr, "key": key})
            return
        pod, c = target
        flags = parse(KUBE_PROXY, c.raw, c.base)
        config = flags["config"]
        if config.is_set:  # kube-proxy then ignores --metrics-bind-address
            source = _config_source(pod, c, config.raw or "")
            if source is None:
                raise NotEvaluated(f"{config.shown()} is not mounted from a ConfigMap; the file needs node access")
            if source not in seen:
                raise NotEvaluated(f"{config.shown()} comes from ConfigMap {pod.namespace}/{source[0]} key "
                                   f"{source[1]}, which is not in the scan")
            return  # decided with its ConfigMap
        s = flags["metrics-bind-address"]
        if not loopback(s.raw or DEFAULT):
            yield Violation(f"kube-proxy {s.shown()}: metrics are served beyond localhost", s.path,
                            container=c.name, obj=pod.obj,
                            evidence={"flag": "--metrics-bind-address", "value": s.raw, "default": not s.is_set})

    def label(target: Any) -> str:
        return f"{target[0]} key {target[1]}" if len(target) == 3 else f"{target[0].obj} container {target[1].name}"

    yield from each(targets, check, ctx, label)

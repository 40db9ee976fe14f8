"""Manifest folders often hold variants of one install (calico.yaml, calico-etcd.yaml): objects of the
same kind, namespace and name from several files.  A reference resolves to the variant of its own file."""

from __future__ import annotations

from kubeguard.model import Status
from kubeguard.rules._registry import default_registry

from .harness import scan_fixture

REGISTRY = default_registry()


def _variant(key: str) -> str:
    return f"""apiVersion: v1
kind: ConfigMap
metadata: {{name: calico-config, namespace: kube-system}}
data: {{{key}: "x"}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: calico-node, namespace: kube-system}}
spec:
  selector: {{matchLabels: {{k8s-app: calico-node}}}}
  template:
    metadata: {{labels: {{k8s-app: calico-node}}}}
    spec:
      containers:
        - name: calico-node
          image: "calico/node:v3.30.2"
          env: [{{name: X, valueFrom: {{configMapKeyRef: {{name: calico-config, key: {key}}}}}}}]
"""


def test_key_reference_resolves_to_the_configmap_of_its_own_file(tmp_path):
    (tmp_path / "calico.yaml").write_text(_variant("veth_mtu"))
    (tmp_path / "calico-etcd.yaml").write_text(_variant("etcd_endpoints"))
    result = scan_fixture(REGISTRY.get("RL037"), REGISTRY, tmp_path)
    assert [f.message for f in result.findings if f.status == Status.FAIL.value] == []
    (tmp_path / "broken.yaml").write_text(_variant("etcd_endpoints").replace("key: etcd_endpoints", "key: etcd_key"))
    result = scan_fixture(REGISTRY.get("RL037"), REGISTRY, tmp_path)
    assert [(f.file.rsplit("/", 1)[-1], f.path) for f in result.findings if f.status == Status.FAIL.value] == [
        ("broken.yaml", "spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef")]


def _controller(port_name: str, port: int) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: ingress-nginx-controller, namespace: ingress-nginx}}
spec:
  selector: {{matchLabels: {{app: ingress-nginx}}}}
  template:
    metadata: {{labels: {{app: ingress-nginx}}}}
    spec:
      containers:
        - name: controller
          image: "registry.k8s.io/ingress-nginx/controller:v1.13.0"
          ports: [{{name: {port_name}, containerPort: {port}}}]
---
apiVersion: v1
kind: Service
metadata: {{name: ingress-nginx-controller, namespace: ingress-nginx}}
spec:
  selector: {{app: ingress-nginx}}
  ports: [{{name: http, port: 80, targetPort: {port_name}}}]
"""


def test_service_is_judged_by_the_workloads_of_its_own_file(tmp_path):
    (tmp_path / "cloud").mkdir()
    (tmp_path / "cloud" / "deploy.yaml").write_text(_controller("http", 80))
    (tmp_path / "nlb-tls").mkdir()
    (tmp_path / "nlb-tls" / "deploy.yaml").write_text(_controller("tohttps", 2443))
    result = scan_fixture(REGISTRY.get("NW014"), REGISTRY, tmp_path)
    assert [f.message for f in result.findings if f.status == Status.FAIL.value] == []


def test_service_is_judged_by_the_workloads_of_its_own_folder(tmp_path):
    deploy, service = _controller("http", 8080).split("---\n")
    for folder, port in (("hello-app", 8080), ("hello-app-tls", 8443)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "deployment.yaml").write_text(deploy.replace("8080", str(port)))
    (tmp_path / "hello-app" / "service.yaml").write_text(service.replace("targetPort: http", "targetPort: 8080"))
    result = scan_fixture(REGISTRY.get("NW014"), REGISTRY, tmp_path)
    assert [f.message for f in result.findings if f.status == Status.FAIL.value] == []

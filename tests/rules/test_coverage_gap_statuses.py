"""Statuses the fixture harness cannot express: what the coverage-gap rules say when their input is
missing (UNKNOWN, with the reason) or cannot exist (NOT_APPLICABLE), never PASS."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubeguard.model import Status
from kubeguard.rules._registry import default_registry

from .harness import scan_fixture

REGISTRY = default_registry()

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      runtimeClassName: gvisor
      containers: [{name: web, image: registry.example.com/web:2.0}]
"""
APISERVER_NO_VERSION = """\
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-cp-1, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
    - name: kube-apiserver
      image: registry.example.com/control-plane/apiserver
      command: [kube-apiserver, --client-ca-file=/etc/kubernetes/pki/ca.crt]
"""


def _result(tmp_path: Path, code: str, text: str, facts: dict | None = None):
    case = tmp_path / "case.yaml"
    case.write_text(text)
    result = scan_fixture(REGISTRY.get(code), REGISTRY, case, None, facts)
    (rr,) = [r for r in result.rule_results if r.rule == code]
    return rr


@pytest.mark.parametrize("code", ["RL038", "RL039"])
def test_health_rules_do_not_apply_to_manifests_without_status(tmp_path, code):
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: c, image: i:1}]}\n"
    assert _result(tmp_path, code, pod).status == Status.NOT_APPLICABLE.value


def test_node_health_does_not_apply_to_node_manifests(tmp_path):
    node = "apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\nspec: {podCIDR: 10.244.1.0/24}\n"
    assert _result(tmp_path, "RL040", node).status == Status.NOT_APPLICABLE.value


def test_runtime_class_outside_the_manifests_is_unknown(tmp_path):
    rr = _result(tmp_path, "WL040", DEPLOYMENT)
    assert rr.status == Status.UNKNOWN.value
    assert "'gvisor' is not among the scanned objects" in rr.reason


def test_image_verification_absent_from_a_manifest_folder_is_unknown(tmp_path):
    rr = _result(tmp_path, "SU011", DEPLOYMENT)
    assert rr.status == Status.UNKNOWN.value
    assert "scan the cluster or a snapshot" in rr.reason


def test_insecure_port_default_with_unknown_version_is_unknown(tmp_path):
    rr = _result(tmp_path, "CP047", APISERVER_NO_VERSION)
    assert rr.status == Status.UNKNOWN.value
    assert "before 1.20 the default serves port 8080" in rr.reason


def test_insecure_port_default_takes_the_cluster_version(tmp_path):
    assert _result(tmp_path, "CP047", APISERVER_NO_VERSION, {"kubernetesVersion": "v1.18.3"}).status == \
        Status.FAIL.value
    assert _result(tmp_path, "CP047", APISERVER_NO_VERSION, {"kubernetesVersion": "v1.29.1"}).status == \
        Status.PASS.value


def test_pod_security_plugins_with_unknown_version_are_unknown(tmp_path):
    rr = _result(tmp_path, "CP049", APISERVER_NO_VERSION)
    assert rr.status == Status.UNKNOWN.value


def test_private_ipblock_without_cluster_ranges_is_unknown(tmp_path):
    policy = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  egress: [{to: [{ipBlock: {cidr: 10.20.0.0/24}}]}]
"""
    rr = _result(tmp_path, "NW018", policy)
    assert rr.status == Status.UNKNOWN.value
    assert "10.20.0.0/24 is private address space" in rr.reason


IPBLOCK_POLICY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{ipBlock: {cidr: 10.20.0.0/16}}]
"""


def test_private_ipblock_is_unknown_while_only_the_service_range_is_known(tmp_path):
    # EKS describes its Service range but not the pods', which take VPC addresses: 10.20.0.0/16 may hold pods
    facts = {"provider": "eks", "facts": {"cloud": {"provider": "eks", "cluster": {
        "name": "shop", "kubernetesNetworkConfig": {"serviceIpv4Cidr": "172.20.0.0/16"}}}}}
    rr = _result(tmp_path, "NW018", IPBLOCK_POLICY, facts)
    assert rr.status == Status.UNKNOWN.value, (rr.status, rr.reason)
    assert "10.20.0.0/16" in rr.reason and "pod addresses are unknown" in rr.reason


ORDERS_DB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders-db, namespace: shop}
spec:
  selector: {matchLabels: {app: orders-db}}
  template:
    metadata: {labels: {app: orders-db}}
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
          env: [{name: POSTGRES_HOST_AUTH_METHOD, value: trust}]
---
apiVersion: v1
kind: Service
metadata: {name: orders-db, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: orders-db}
  ports: [{port: 5432}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: orders-db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: orders-db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: orders}}}]
"""
OPEN_CACHE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache, namespace: web}
spec:
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers: [{name: redis, image: "redis:7.4.1"}]
---
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: web}
spec:
  selector: {app: cache}
  ports: [{port: 6379}]
"""


def test_unauthenticated_database_behind_a_load_balancer_admitting_only_its_clients_is_unknown(tmp_path):
    # NP-32: behind a LoadBalancer (externalTrafficPolicy Cluster) the policy may see the client, the load
    # balancer or the pod's own node, which is always admitted: reachability from outside cannot be told
    rr = _result(tmp_path, "NW021", ORDERS_DB)
    assert rr.status == Status.UNKNOWN.value, (rr.status, rr.reason)
    assert "Deployment orders-db" in rr.reason and "Service type LoadBalancer of Service orders-db" in rr.reason


def test_unauthenticated_service_undecided_next_to_a_failure_is_named(tmp_path):
    rr = _result(tmp_path, "NW021", ORDERS_DB + "---\n" + OPEN_CACHE)
    assert rr.status == Status.FAIL.value and rr.failed == 1, (rr.status, rr.failed)
    assert "also not evaluated" in rr.reason and "Deployment orders-db" in rr.reason


def test_unauthenticated_default_that_env_from_may_change_is_unknown(tmp_path):
    mongo = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: catalog, namespace: web}
spec:
  serviceName: catalog
  selector: {matchLabels: {app: catalog}}
  template:
    metadata: {labels: {app: catalog}}
    spec:
      containers:
        - name: mongo
          image: mongo:7.0.14
          envFrom: [{secretRef: {name: catalog-root}}]
---
apiVersion: v1
kind: Service
metadata: {name: catalog, namespace: web}
spec:
  selector: {app: catalog}
  ports: [{port: 27017}]
"""
    rr = _result(tmp_path, "NW021", mongo)
    assert rr.status == Status.UNKNOWN.value, (rr.status, rr.reason)
    assert "StatefulSet catalog" in rr.reason and "Secret catalog-root" in rr.reason


def test_unauthenticated_service_behind_an_ingress_admitting_some_namespaces_is_unknown(tmp_path):
    lab = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: lab, namespace: research}
spec:
  selector: {matchLabels: {app: lab}}
  template:
    metadata: {labels: {app: lab}}
    spec:
      containers:
        - name: notebook
          image: quay.io/jupyter/base-notebook:2024-10-07
          args: [start-notebook.py, "--ServerApp.token=''"]
---
apiVersion: v1
kind: Service
metadata: {name: lab, namespace: research}
spec:
  selector: {app: lab}
  ports: [{port: 8888}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: lab, namespace: research}
spec:
  rules:
    - host: lab.example.com
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: lab, port: {number: 8888}}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: lab, namespace: research}
spec:
  podSelector: {matchLabels: {app: lab}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]
---
apiVersion: v1
kind: Namespace
metadata: {name: ingress-nginx, labels: {kubernetes.io/metadata.name: ingress-nginx}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
spec:
  selector: {matchLabels: {app: controller}}
  template:
    metadata: {labels: {app: controller}}
    spec:
      containers: [{name: controller, image: "registry.k8s.io/ingress-nginx/controller:v1.12.1"}]
"""
    rr = _result(tmp_path, "NW021", lab)
    assert rr.status == Status.UNKNOWN.value, (rr.status, rr.reason)
    assert "Ingress lab of Service lab" in rr.reason and "controller" in rr.reason

"""Synthetic fleet generator for the benchmark.

Builds N clusters shaped like EKS, AKS and GKE (in turn), each with system
components, application namespaces and what a live listing returns: workloads
of every kind plus the ReplicaSets and Pods they own, Services, Ingresses,
ConfigMaps, Secrets (fake values), ServiceAccounts, Roles/ClusterRoles and
bindings, NetworkPolicies, autoscalers, CRDs and custom resources with pod
templates (Argo Rollouts, Knative Services, Ray clusters, OpenKruise CloneSets).
Namespaces and apps mix hardened and insecure settings in fixed proportions.

Everything comes from one ``random.Random(seed)``: the same arguments give the
same bytes.  Output is either manifests (``<out>/fleet.yaml`` plus one
multi-document YAML file per cluster and namespace, readable with
``kubeguard.collect.fleet.read_fleet``) or a fleet snapshot
(``.snapshot.json.gz``, readable with ``kubeguard scan``).

    python bench/generate.py --clusters 3 --objects 15000 --seed 1 --out /tmp/fleet
    python bench/generate.py --objects 100000 --format snapshot --out /tmp/fleet.snapshot.json.gz
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

try:
    _Dumper = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Dumper = yaml.SafeDumper  # type: ignore[misc]

GENERATOR_VERSION = 2  # bump when the output changes, so cached fleets are rebuilt
FAKE_SECRET_PREFIX = "bench-fake-secret-"  # every Secret value starts with this
CREATED = datetime(2026, 11, 1, tzinfo=timezone.utc)  # fixed: output must not depend on the clock

Obj = dict[str, Any]


class _NoAliasDumper(_Dumper):  # type: ignore[misc,valid-type]
    """Writes shared sub-objects out in full instead of as YAML anchors and aliases, and
    multi-line strings as literal blocks, as ``kubectl get -o yaml`` does."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.BaseDumper, data: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


_NoAliasDumper.add_representer(str, _represent_str)


# --- cloud shapes -------------------------------------------------------------------

@dataclass(frozen=True)
class Cloud:
    provider: str
    version: str
    region: str
    cni: dict[str, Any]
    registry: str  # private registry prefix for the fleet's own images
    sa_annotation: Callable[[str, str], dict[str, str]]  # workload identity: (namespace, name) -> annotations
    pod_label: dict[str, str]  # label a pod needs for workload identity (AKS only)


CLOUDS = (
    Cloud("eks", "v1.30.4-eks-a737599", "eu-west-1", {"name": "aws-vpc-cni", "networkPolicyEnforcement": True},
          "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
          lambda ns, n: {"eks.amazonaws.com/role-arn": f"arn:aws:iam::123456789012:role/{ns}-{n}"}, {}),
    Cloud("aks", "v1.29.7", "westeurope", {"name": "azure-npm", "networkPolicyEnforcement": True},
          "contosoprod.azurecr.io",
          lambda ns, n: {"azure.workload.identity/client-id": str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{ns}.{n}"))},
          {"azure.workload.identity/use": "true"}),
    Cloud("gke", "v1.31.1-gke.1678000", "europe-west4", {"name": "gke-dataplane-v2", "networkPolicyEnforcement": True},
          "europe-docker.pkg.dev/contoso-prod/apps",
          lambda ns, n: {"iam.gke.io/gcp-service-account": f"{n}@contoso-prod.iam.gserviceaccount.com"}, {}),
)

TEAMS = ("checkout", "catalog", "payments", "search", "identity", "billing", "orders", "shipping", "reviews",
         "ledger", "notify", "reports", "media", "pricing", "fraud", "inventory", "gateway", "profile",
         "ml-serving", "etl", "recommend", "support", "auth", "audit", "geo", "chat", "loyalty", "ads")
ENVS = ("prod", "staging", "dev", "perf")
COMPONENTS = ("api", "web", "worker", "consumer", "db", "cache", "sync", "scheduler", "frontend", "indexer",
              "exporter", "proxy", "grpc", "admin", "batch", "stream")
PUBLIC_IMAGES = ("nginx:1.27.2", "redis:7.2.5", "postgres:16.4", "bitnami/kafka:3.7.1", "busybox:latest",
                 "python:3.12-slim", "node:20-alpine", "mongo:latest", "rabbitmq:3.13-management",
                 "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector:0.109.0",
                 "quay.io/prometheus/node-exporter:v1.8.2", "memcached", "curlimages/curl:8.10.1")
DIGEST_CHARS = "0123456789abcdef"

# posture -> probability, per namespace; apps inside mostly follow their namespace
POSTURES = (("restricted", 0.35), ("baseline", 0.35), ("legacy", 0.22), ("dangerous", 0.08))


@dataclass
class ClusterSpec:
    name: str
    cloud: Cloud
    objects: list[Obj] = field(default_factory=list)

    @property
    def facts(self) -> dict[str, Any]:
        return {"cni": self.cloud.cni, "region": self.cloud.region, "generator": "kubeguard-bench"}


class Gen:
    """Builds objects for one cluster; all randomness comes from ``rng``."""

    def __init__(self, rng: random.Random, cluster: ClusterSpec, nodes: int):
        self.rng = rng
        self.c = cluster
        self.cloud = cluster.cloud
        self.nodes = [f"ip-10-0-{i // 250}-{i % 250 + 4}" if cluster.cloud.provider == "eks"
                      else f"{cluster.cloud.provider}-nodepool1-{1000 + i}" for i in range(nodes)]
        self.out = cluster.objects

    # --- small helpers ---------------------------------------------------------
    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def suffix(self, n: int = 5) -> str:
        return "".join(self.rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(n))

    def digest(self) -> str:
        return "sha256:" + "".join(self.rng.choice(DIGEST_CHARS) for _ in range(64))

    def add(self, obj: Obj) -> Obj:
        self.out.append(obj)
        return obj

    def meta(self, name: str, ns: str | None, labels: dict[str, str] | None = None,
             annotations: dict[str, str] | None = None, owner: Obj | None = None) -> Obj:
        m: Obj = {"name": name}
        if ns is not None:
            m["namespace"] = ns
        m["uid"] = self.uid()
        m["creationTimestamp"] = CREATED.strftime("%Y-%m-%dT%H:%M:%SZ")
        if labels:
            m["labels"] = dict(labels)
        if annotations:
            m["annotations"] = dict(annotations)
        if owner is not None:
            om = owner["metadata"]
            m["ownerReferences"] = [{"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": om["name"],
                                     "uid": om["uid"], "controller": True, "blockOwnerDeletion": True}]
        return m

    def image(self, team: str, comp: str, posture: str) -> str:
        r = self.rng.random()
        if posture == "restricted":
            return f"{self.cloud.registry}/{team}/{comp}@{self.digest()}" if r < 0.6 else \
                f"{self.cloud.registry}/{team}/{comp}:{self.rng.randint(1, 9)}.{self.rng.randint(0, 30)}.{self.rng.randint(0, 9)}"
        if r < 0.25:
            return self.rng.choice(PUBLIC_IMAGES)
        if posture in ("legacy", "dangerous") and r < 0.55:
            return f"{self.cloud.registry}/{team}/{comp}:latest"
        return f"{self.cloud.registry}/{team}/{comp}:{self.rng.randint(1, 9)}.{self.rng.randint(0, 30)}.{self.rng.randint(0, 9)}"

    # --- pod specs -------------------------------------------------------------
    def container(self, name: str, image: str, posture: str, secret: str | None, cm: str | None,
                  port: int | None) -> Obj:
        rng = self.rng
        c: Obj = {"name": name, "image": image}
        if rng.random() < 0.3:
            c["imagePullPolicy"] = rng.choice(("Always", "IfNotPresent"))
        if port:
            c["ports"] = [{"name": "http", "containerPort": port, "protocol": "TCP"}]
            if posture == "dangerous" and rng.random() < 0.3:
                c["ports"][0]["hostPort"] = port
        env: list[Obj] = [{"name": "LOG_LEVEL", "value": rng.choice(("info", "debug", "warn"))},
                          {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]
        if secret:
            if posture in ("legacy", "dangerous") and rng.random() < 0.5:
                # a credential written straight into the manifest
                env.append({"name": rng.choice(("DB_PASSWORD", "API_KEY", "AWS_SECRET_ACCESS_KEY")),
                            "value": FAKE_SECRET_PREFIX + self.suffix(12)})
            else:
                env.append({"name": "DB_PASSWORD",
                            "valueFrom": {"secretKeyRef": {"name": secret, "key": "password"}}})
        c["env"] = env
        if cm and rng.random() < 0.6:
            c["envFrom"] = [{"configMapRef": {"name": cm}}]
        if posture == "restricted" or (posture == "baseline" and rng.random() < 0.6):
            cpu = rng.choice((50, 100, 250, 500))
            mem = rng.choice((64, 128, 256, 512, 1024))
            res: Obj = {"requests": {"cpu": f"{cpu}m", "memory": f"{mem}Mi"}}
            if posture == "restricted" or rng.random() < 0.5:
                res["limits"] = {"memory": f"{mem * 2}Mi"} | ({"cpu": f"{cpu * 4}m"} if rng.random() < 0.5 else {})
            c["resources"] = res
        if port and (posture == "restricted" or rng.random() < 0.5):
            c["livenessProbe"] = {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10}
            c["readinessProbe"] = {"httpGet": {"path": "/ready", "port": "http"}, "periodSeconds": 5}
        sc = self.container_security(posture)
        if sc:
            c["securityContext"] = sc
        mounts = [{"name": "tmp", "mountPath": "/tmp"}]
        if cm:
            mounts.append({"name": "config", "mountPath": "/etc/app", "readOnly": True})
        c["volumeMounts"] = mounts
        return c

    def container_security(self, posture: str) -> Obj:
        rng = self.rng
        if posture == "restricted":
            return {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                    "runAsNonRoot": True, "capabilities": {"drop": ["ALL"]}}
        if posture == "baseline":
            sc: Obj = {"allowPrivilegeEscalation": False}
            if rng.random() < 0.5:
                sc["capabilities"] = {"drop": ["ALL"]} | ({"add": ["NET_BIND_SERVICE"]} if rng.random() < 0.2 else {})
            if rng.random() < 0.4:
                sc["readOnlyRootFilesystem"] = True
            return sc
        if posture == "legacy":
            return {} if rng.random() < 0.6 else {"runAsUser": 0}
        choice = rng.random()
        if choice < 0.4:
            return {"privileged": True}
        if choice < 0.7:
            return {"runAsUser": 0, "allowPrivilegeEscalation": True,
                    "capabilities": {"add": [rng.choice(("SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "NET_RAW"))]}}
        return {"runAsUser": 0}

    def pod_spec(self, team: str, comp: str, posture: str, sa: str | None, secret: str | None, cm: str | None,
                 port: int | None, restart: str | None = None) -> Obj:
        rng = self.rng
        spec: Obj = {}
        if sa:
            spec["serviceAccountName"] = sa
        if posture == "restricted":
            spec["automountServiceAccountToken"] = False
            spec["securityContext"] = {"runAsNonRoot": True, "runAsUser": 10001, "fsGroup": 10001,
                                       "seccompProfile": {"type": "RuntimeDefault"}}
        elif posture == "baseline" and rng.random() < 0.5:
            spec["securityContext"] = {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
        if restart:
            spec["restartPolicy"] = restart
        containers = [self.container(comp, self.image(team, comp, posture), posture, secret, cm, port)]
        if rng.random() < 0.15:  # a sidecar
            containers.append(self.container("envoy", "envoyproxy/envoy:v1.31.2", posture, None, None, None))
        spec["containers"] = containers
        if rng.random() < 0.2:
            spec["initContainers"] = [self.container("migrate", self.image(team, comp, posture), posture,
                                                     secret, None, None)]
        volumes: list[Obj] = [{"name": "tmp", "emptyDir": {}}]
        if cm:
            volumes.append({"name": "config", "configMap": {"name": cm}})
        if posture == "dangerous" and rng.random() < 0.5:
            path = rng.choice(("/", "/var/run/docker.sock", "/run/containerd/containerd.sock", "/etc", "/var/log"))
            volumes.append({"name": "host", "hostPath": {"path": path}})
            containers[0]["volumeMounts"].append({"name": "host", "mountPath": "/host"})
        if posture == "dangerous" and rng.random() < 0.4:
            spec[rng.choice(("hostNetwork", "hostPID", "hostIPC"))] = True
        spec["volumes"] = volumes
        if rng.random() < 0.3:
            spec["nodeSelector"] = {"kubernetes.io/os": "linux"}
        if rng.random() < 0.2:
            spec["tolerations"] = [{"key": "dedicated", "operator": "Equal", "value": team, "effect": "NoSchedule"}]
        return spec

    # --- live-listing expansion: ReplicaSets and Pods owned by workloads -------
    def pods_for(self, owner: Obj, template: Obj, count: int, names: Iterator[str] | None = None) -> None:
        labels = template.get("metadata", {}).get("labels", {})
        for i in range(count):
            name = next(names) if names is not None else f"{owner['metadata']['name']}-{self.suffix()}"
            spec = {**template["spec"], "nodeName": self.rng.choice(self.nodes)}
            self.add({"apiVersion": "v1", "kind": "Pod",
                      "metadata": self.meta(name, owner["metadata"].get("namespace"), labels,
                                            template.get("metadata", {}).get("annotations"), owner),
                      "spec": spec,
                      "status": {"phase": "Running", "podIP": f"10.{self.rng.randint(0, 255)}."
                                                              f"{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"}})

    def deployment(self, ns: str, name: str, labels: dict[str, str], template: Obj, replicas: int,
                   api: str = "apps/v1", kind: str = "Deployment", extra: Obj | None = None) -> Obj:
        spec: Obj = {"replicas": replicas, "selector": {"matchLabels": {"app": labels["app"]}},
                     "template": template}
        if extra:
            spec.update(extra)
        d = self.add({"apiVersion": api, "kind": kind, "metadata": self.meta(name, ns, labels), "spec": spec})
        if kind in ("Deployment", "CloneSet", "Rollout"):
            rs_hash = self.suffix(10)
            rs = self.add({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                           "metadata": self.meta(f"{name}-{rs_hash}", ns, labels | {"pod-template-hash": rs_hash},
                                                 owner=d),
                           "spec": {"replicas": replicas, "selector": spec["selector"], "template": template}})
            self.pods_for(rs, template, replicas)
        elif kind == "StatefulSet":
            self.pods_for(d, template, replicas, iter(f"{name}-{i}" for i in range(replicas)))
        return d

    def template(self, labels: dict[str, str], spec: Obj, annotations: dict[str, str] | None = None) -> Obj:
        m: Obj = {"labels": labels}
        if annotations:
            m["annotations"] = annotations
        return {"metadata": m, "spec": spec}

    # --- cluster scaffolding ---------------------------------------------------
    def cluster_basics(self) -> None:
        for node in self.nodes:
            self.add({"apiVersion": "v1", "kind": "Node",
                      "metadata": self.meta(node, None, {"kubernetes.io/os": "linux",
                                                         "topology.kubernetes.io/region": self.cloud.region,
                                                         "node.kubernetes.io/instance-type": "m6i.xlarge"}),
                      "spec": {"podCIDR": f"10.{self.rng.randint(0, 255)}.0.0/24"},
                      "status": {"nodeInfo": {"kubeletVersion": self.cloud.version.split("-")[0],
                                              "containerRuntimeVersion": "containerd://1.7.20",
                                              "osImage": "Bottlerocket OS 1.20.5" if self.cloud.provider == "eks"
                                              else "Ubuntu 22.04.4 LTS"}}})
        for ns in ("kube-system", "kube-public", "kube-node-lease", "default"):
            self.namespace(ns, "system")
        self.add({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                  "metadata": self.meta("cluster-admin", None, {"kubernetes.io/bootstrapping": "rbac-defaults"}),
                  "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                            {"nonResourceURLs": ["*"], "verbs": ["*"]}]})
        for role, verbs in (("view", ["get", "list", "watch"]), ("edit", ["get", "list", "watch", "create",
                                                                          "update", "patch", "delete"])):
            self.add({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                      "metadata": self.meta(role, None, {"kubernetes.io/bootstrapping": "rbac-defaults"}),
                      "rules": [{"apiGroups": ["", "apps", "batch"], "resources": ["pods", "services",
                                 "deployments", "statefulsets", "jobs", "configmaps"], "verbs": verbs}]})
        self.crds()
        self.system_components()

    def namespace(self, ns: str, posture: str) -> None:
        labels = {"kubernetes.io/metadata.name": ns}
        if posture == "restricted":
            labels["pod-security.kubernetes.io/enforce"] = "restricted"
        elif posture == "baseline":
            labels["pod-security.kubernetes.io/enforce"] = "baseline"
        self.add({"apiVersion": "v1", "kind": "Namespace", "metadata": self.meta(ns, None, labels),
                  "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
        self.add({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": self.meta("default", ns)})
        self.add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": self.meta("kube-root-ca.crt", ns),
                  "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0B"
                                     "\n-----END CERTIFICATE-----\n"}})

    def crds(self) -> None:
        """A few CRDs with schemas of realistic depth (they are most of the bytes in real clusters)."""
        for group, kind, plural in (("argoproj.io", "Rollout", "rollouts"),
                                    ("serving.knative.dev", "Service", "services"),
                                    ("ray.io", "RayCluster", "rayclusters"),
                                    ("apps.kruise.io", "CloneSet", "clonesets"),
                                    ("external-secrets.io", "ExternalSecret", "externalsecrets"),
                                    ("cert-manager.io", "Certificate", "certificates"),
                                    ("monitoring.coreos.com", "ServiceMonitor", "servicemonitors"),
                                    ("keda.sh", "ScaledObject", "scaledobjects")):
            self.add({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                      "metadata": self.meta(f"{plural}.{group}", None),
                      "spec": {"group": group, "scope": "Namespaced",
                               "names": {"kind": kind, "plural": plural, "singular": kind.lower(),
                                         "listKind": kind + "List"},
                               "versions": [{"name": "v1", "served": True, "storage": True,
                                             "schema": {"openAPIV3Schema": self.schema(5)}}]}})

    def schema(self, depth: int) -> Obj:
        rng = self.rng
        if depth == 0:
            return {"type": rng.choice(("string", "integer", "boolean")),
                    "description": "A leaf field of the custom resource; see the project's API reference."}
        props = {f"field{rng.randint(0, 999)}": self.schema(depth - 1) for _ in range(rng.randint(2, 4))}
        return {"type": "object", "description": "Nested settings.", "properties": props,
                "x-kubernetes-preserve-unknown-fields": rng.random() < 0.1}

    def system_components(self) -> None:
        p = self.cloud.provider
        ks = "kube-system"
        # coredns: well configured
        self.system_app(ks, "coredns", "registry.k8s.io/coredns/coredns:v1.11.3", 2, kind="Deployment",
                        sc={"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]}},
                        rules=[{"apiGroups": [""], "resources": ["endpoints", "services", "pods", "namespaces"],
                                "verbs": ["list", "watch"]}], port=53)
        self.system_app(ks, "kube-proxy", f"registry.k8s.io/kube-proxy:{self.cloud.version.split('-')[0]}",
                        0, kind="DaemonSet", sc={"privileged": True}, host_network=True,
                        host_paths=[("/run/xtables.lock", "/run/xtables.lock"), ("/lib/modules", "/lib/modules")],
                        rules=None, cluster_role="system:node-proxier")
        self.system_app(ks, "metrics-server", "registry.k8s.io/metrics-server/metrics-server:v0.7.2", 1,
                        kind="Deployment", sc={"readOnlyRootFilesystem": True, "runAsNonRoot": True,
                                               "runAsUser": 1000, "allowPrivilegeEscalation": False},
                        rules=[{"apiGroups": [""], "resources": ["nodes/metrics", "pods", "nodes"],
                                "verbs": ["get", "list", "watch"]}], port=10250)
        if p == "eks":
            self.system_app(ks, "aws-node", "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.18.3",
                            0, kind="DaemonSet", sc={"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}},
                            host_network=True, host_paths=[("/opt/cni/bin", "/host/opt/cni/bin"),
                                                           ("/var/log/aws-routed-eni", "/host/var/log/aws-routed-eni")],
                            rules=[{"apiGroups": ["crd.k8s.amazonaws.com"], "resources": ["*"], "verbs": ["*"]},
                                   {"apiGroups": [""], "resources": ["pods", "nodes", "namespaces"],
                                    "verbs": ["list", "watch", "get"]}])
            self.system_app(ks, "ebs-csi-node", "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.35.0", 0,
                            kind="DaemonSet", sc={"privileged": True},
                            host_paths=[("/var/lib/kubelet", "/var/lib/kubelet"), ("/dev", "/dev")], rules=None)
            self.system_app(ks, "aws-load-balancer-controller",
                            "public.ecr.aws/eks/aws-load-balancer-controller:v2.8.3", 2, kind="Deployment",
                            sc={"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                                "runAsNonRoot": True}, port=9443,
                            rules=[{"apiGroups": ["", "networking.k8s.io", "elbv2.k8s.aws"],
                                    "resources": ["services", "ingresses", "targetgroupbindings", "pods"],
                                    "verbs": ["get", "list", "watch", "patch", "update"]}],
                            sa_annotations=self.cloud.sa_annotation(ks, "aws-load-balancer-controller"))
        elif p == "aks":
            self.system_app(ks, "azure-ip-masq-agent", "mcr.microsoft.com/aks/ip-masq-agent-v2:v0.1.13", 0,
                            kind="DaemonSet", sc={"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}},
                            host_network=True, rules=None)
            self.system_app(ks, "cloud-node-manager", "mcr.microsoft.com/oss/kubernetes/azure-cloud-node-manager:v1.29.9",
                            0, kind="DaemonSet", sc={}, host_network=True,
                            rules=[{"apiGroups": [""], "resources": ["nodes", "nodes/status"],
                                    "verbs": ["get", "list", "watch", "patch", "update"]}])
            self.system_app(ks, "csi-azuredisk-node", "mcr.microsoft.com/oss/kubernetes-csi/azuredisk-csi:v1.30.3", 0,
                            kind="DaemonSet", sc={"privileged": True}, host_network=True,
                            host_paths=[("/var/lib/kubelet", "/var/lib/kubelet"), ("/dev", "/dev"),
                                        ("/etc/kubernetes/", "/etc/kubernetes/")], rules=None)
            self.system_app(ks, "konnectivity-agent", "mcr.microsoft.com/oss/kubernetes/apiserver-network-proxy/agent:v0.30.3",
                            2, kind="Deployment", sc={"allowPrivilegeEscalation": False}, rules=None)
        elif p == "gke":
            self.system_app(ks, "fluentbit-gke", "gke.gcr.io/fluent-bit:v1.8.12-gke.33", 0, kind="DaemonSet",
                            sc={"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True},
                            host_paths=[("/var/log", "/var/log"), ("/var/lib/docker/containers",
                                                                   "/var/lib/docker/containers")], rules=None)
            self.system_app(ks, "gke-metadata-server", "gke.gcr.io/gke-metadata-server:20240826_2300_RC0", 0,
                            kind="DaemonSet", sc={"privileged": True}, host_network=True,
                            host_paths=[("/var/lib/kubelet/kubeconfig", "/var/lib/kubelet/kubeconfig")],
                            rules=[{"apiGroups": [""], "resources": ["serviceaccounts", "pods"],
                                    "verbs": ["get", "list", "watch"]}])
            self.system_app(ks, "pdcsi-node", "gke.gcr.io/gcp-compute-persistent-disk-csi-driver:v1.13.2-gke.0", 0,
                            kind="DaemonSet", sc={"privileged": True},
                            host_paths=[("/var/lib/kubelet", "/var/lib/kubelet"), ("/dev", "/dev")], rules=None)
            self.system_app(ks, "konnectivity-agent", "gke.gcr.io/proxy-agent:v0.30.3-gke.0", 2, kind="Deployment",
                            sc={"allowPrivilegeEscalation": False, "runAsNonRoot": True, "runAsUser": 1000},
                            rules=None)

    def system_app(self, ns: str, name: str, image: str, replicas: int, kind: str, sc: Obj,
                   rules: list[Obj] | None, host_network: bool = False,
                   host_paths: list[tuple[str, str]] = (), port: int | None = None,
                   cluster_role: str | None = None, sa_annotations: dict[str, str] | None = None) -> None:
        labels = {"app": name, "k8s-app": name}
        self.add({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": self.meta(name, ns, labels,
                                                                                      sa_annotations)})
        role = cluster_role or f"system:{name}"
        if rules is not None:
            self.add({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                      "metadata": self.meta(role, None, labels), "rules": rules})
        self.add({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                  "metadata": self.meta(role, None, labels),
                  "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
                  "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": ns}]})
        c: Obj = {"name": name, "image": image,
                  "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "256Mi"}}}
        if sc:
            c["securityContext"] = sc
        if port:
            c["ports"] = [{"name": "metrics" if port != 53 else "dns", "containerPort": port,
                           "protocol": "UDP" if port == 53 else "TCP"}]
        spec: Obj = {"serviceAccountName": name, "priorityClassName": "system-node-critical"
                     if kind == "DaemonSet" else "system-cluster-critical",
                     "tolerations": [{"operator": "Exists"}], "containers": [c]}
        if host_network:
            spec["hostNetwork"] = True
        if host_paths:
            spec["volumes"] = [{"name": f"host-{i}", "hostPath": {"path": src}} for i, (src, _) in enumerate(host_paths)]
            c["volumeMounts"] = [{"name": f"host-{i}", "mountPath": dst} for i, (_, dst) in enumerate(host_paths)]
        template = self.template(labels, spec)
        if kind == "DaemonSet":
            ds = self.add({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": self.meta(name, ns, labels),
                           "spec": {"selector": {"matchLabels": {"k8s-app": name}}, "template": template,
                                    "updateStrategy": {"type": "RollingUpdate"}}})
            self.pods_for(ds, template, len(self.nodes))
        else:
            self.deployment(ns, name, labels, template, replicas)
        if port:
            self.add({"apiVersion": "v1", "kind": "Service", "metadata": self.meta(name, ns, labels),
                      "spec": {"type": "ClusterIP", "selector": {"k8s-app": name},
                               "ports": [{"name": "p", "port": port, "targetPort": port}]}})

    # --- application namespaces ------------------------------------------------
    def app_namespace(self, ns: str, team: str, posture: str) -> None:
        rng = self.rng
        self.namespace(ns, posture)
        netpol = {"restricted": 1.0, "baseline": 0.6, "legacy": 0.1, "dangerous": 0.0}[posture]
        if rng.random() < netpol:
            self.add({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                      "metadata": self.meta("default-deny", ns),
                      "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}})
            self.add({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                      "metadata": self.meta("allow-dns", ns),
                      "spec": {"podSelector": {}, "policyTypes": ["Egress"],
                               "egress": [{"to": [{"namespaceSelector": {"matchLabels": {
                                   "kubernetes.io/metadata.name": "kube-system"}}}],
                                   "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]}]}})
        self.team_rbac(ns, team, posture)
        if rng.random() < 0.3:
            self.add({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": self.meta("quota", ns),
                      "spec": {"hard": {"requests.cpu": "20", "requests.memory": "64Gi", "pods": "200"}}})
        if rng.random() < 0.3:
            self.add({"apiVersion": "v1", "kind": "LimitRange", "metadata": self.meta("defaults", ns),
                      "spec": {"limits": [{"type": "Container", "default": {"memory": "512Mi"},
                                           "defaultRequest": {"cpu": "100m", "memory": "128Mi"}}]}})
        comps = rng.sample(COMPONENTS, rng.randint(3, 7))
        for comp in comps:
            app_posture = posture if rng.random() < 0.8 else rng.choice([p for p, _ in POSTURES])
            self.app(ns, team, comp, app_posture)

    def team_rbac(self, ns: str, team: str, posture: str) -> None:
        rng = self.rng
        rbac = "rbac.authorization.k8s.io/v1"
        if posture in ("legacy", "dangerous") and rng.random() < 0.5:
            rules = [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]
        else:
            rules = [{"apiGroups": ["", "apps"], "resources": ["pods", "pods/log", "deployments", "services"],
                      "verbs": ["get", "list", "watch"]},
                     {"apiGroups": ["apps"], "resources": ["deployments/scale"], "verbs": ["patch"]}]
            if rng.random() < 0.3:
                rules.append({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]})
            if rng.random() < 0.15:
                rules.append({"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]})
        self.add({"apiVersion": rbac, "kind": "Role", "metadata": self.meta(f"{team}-developer", ns),
                  "rules": rules})
        self.add({"apiVersion": rbac, "kind": "RoleBinding", "metadata": self.meta(f"{team}-developers", ns),
                  "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": f"{team}-developer"},
                  "subjects": [{"kind": "Group", "name": f"{team}-devs", "apiGroup": "rbac.authorization.k8s.io"}]})
        if posture == "dangerous" and rng.random() < 0.5:
            # the classic: cluster-admin for the namespace's default service account
            self.add({"apiVersion": rbac, "kind": "ClusterRoleBinding",
                      "metadata": self.meta(f"{ns}-default-admin", None),
                      "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                  "name": "cluster-admin"},
                      "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": ns}]})
        if rng.random() < 0.2:
            verbs = rng.choice((["get", "list", "watch"], ["escalate", "bind"], ["impersonate"], ["*"]))
            res = {"impersonate": ["users", "groups", "serviceaccounts"], "escalate": ["clusterroles", "roles"]}
            self.add({"apiVersion": rbac, "kind": "ClusterRole", "metadata": self.meta(f"{ns}-ops", None),
                      "rules": [{"apiGroups": ["", "rbac.authorization.k8s.io"],
                                 "resources": res.get(verbs[0], ["secrets", "configmaps"]), "verbs": verbs}]})
            self.add({"apiVersion": rbac, "kind": "ClusterRoleBinding", "metadata": self.meta(f"{ns}-ops", None),
                      "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                  "name": f"{ns}-ops"},
                      "subjects": [{"kind": "ServiceAccount", "name": f"{ns}-ops", "namespace": ns}]})
            self.add({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": self.meta(f"{ns}-ops", ns)})

    def app(self, ns: str, team: str, comp: str, posture: str) -> None:
        rng = self.rng
        name = f"{team}-{comp}"
        labels = {"app": name, "app.kubernetes.io/name": comp, "app.kubernetes.io/part-of": team,
                  "team": team}
        own_sa = posture == "restricted" or rng.random() < 0.6
        sa = name if own_sa else None
        if own_sa:
            ann = self.cloud.sa_annotation(ns, name) if rng.random() < 0.4 else None
            self.add({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": self.meta(name, ns, labels, ann),
                      **({"automountServiceAccountToken": False} if posture == "restricted" else {})})
        cm = None
        if rng.random() < 0.7:
            cm = f"{name}-config"
            self.add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": self.meta(cm, ns, labels),
                      "data": {"APP_ENV": rng.choice(ENVS), "FEATURE_FLAGS": "search,checkout-v2",
                               "app.yaml": f"server:\n  port: 8080\n  name: {name}\nlog:\n  level: info\n"}})
        secret = None
        if rng.random() < 0.6:
            secret = f"{name}-db"
            self.add({"apiVersion": "v1", "kind": "Secret", "metadata": self.meta(secret, ns, labels),
                      "type": "Opaque",
                      "stringData": {"username": f"{comp}_app", "password": FAKE_SECRET_PREFIX + self.suffix(16)}})
        shape = rng.choices(("deployment", "statefulset", "cronjob", "job", "pod", "rollout", "knative",
                             "ray", "cloneset", "daemonset"),
                            weights=(55, 10, 8, 3, 4, 5, 4, 2, 2, 2))[0]
        port = 8080 if shape in ("deployment", "statefulset", "rollout", "cloneset", "knative") else None
        spec = self.pod_spec(team, comp, posture, sa, secret, cm, port,
                             restart="OnFailure" if shape in ("cronjob", "job") else None)
        tmpl_labels = labels
        if own_sa and self.cloud.pod_label and rng.random() < 0.5:  # AKS workload identity needs a pod label
            tmpl_labels = labels | self.cloud.pod_label
        template = self.template(tmpl_labels, spec,
                                 {"prometheus.io/scrape": "true"} if port and rng.random() < 0.4 else None)
        replicas = rng.choice((1, 2, 2, 3, 3, 4, 6))
        if shape == "deployment":
            self.deployment(ns, name, labels, template, replicas,
                            extra={"strategy": {"type": "RollingUpdate",
                                                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}}})
        elif shape == "statefulset":
            self.deployment(ns, name, labels, template, replicas, kind="StatefulSet",
                            extra={"serviceName": name, "volumeClaimTemplates": [{
                                "metadata": {"name": "data"},
                                "spec": {"accessModes": ["ReadWriteOnce"],
                                         "resources": {"requests": {"storage": "20Gi"}}}}]})
        elif shape == "daemonset":
            ds = self.add({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": self.meta(name, ns, labels),
                           "spec": {"selector": {"matchLabels": {"app": name}}, "template": template}})
            self.pods_for(ds, template, len(self.nodes))
        elif shape == "cronjob":
            self.add({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": self.meta(name, ns, labels),
                      "spec": {"schedule": f"{rng.randint(0, 59)} {rng.randint(0, 23)} * * *",
                               "concurrencyPolicy": "Forbid",
                               "jobTemplate": {"spec": {"backoffLimit": 2, "template": template}}}})
        elif shape == "job":
            self.add({"apiVersion": "batch/v1", "kind": "Job", "metadata": self.meta(f"{name}-once", ns, labels),
                      "spec": {"backoffLimit": 4, "ttlSecondsAfterFinished": 3600, "template": template}})
        elif shape == "pod":
            self.add({"apiVersion": "v1", "kind": "Pod", "metadata": self.meta(f"{name}-debug", ns, labels),
                      "spec": {**spec, "restartPolicy": "Never"}})
        elif shape == "rollout":
            self.deployment(ns, name, labels, template, replicas, api="argoproj.io/v1alpha1", kind="Rollout",
                            extra={"strategy": {"canary": {"steps": [{"setWeight": 20}, {"pause": {"duration": "10m"}},
                                                                     {"setWeight": 60}]}}})
        elif shape == "cloneset":
            self.deployment(ns, name, labels, template, replicas, api="apps.kruise.io/v1alpha1", kind="CloneSet")
        elif shape == "knative":
            self.add({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
                      "metadata": self.meta(name, ns, labels),
                      "spec": {"template": {"metadata": {"annotations": {
                          "autoscaling.knative.dev/max-scale": "10"}}, "spec": spec}}})
        elif shape == "ray":
            worker = {**spec, "containers": [{**spec["containers"][0], "name": "ray-worker"}]}
            self.add({"apiVersion": "ray.io/v1", "kind": "RayCluster", "metadata": self.meta(name, ns, labels),
                      "spec": {"rayVersion": "2.9.0",
                               "headGroupSpec": {"rayStartParams": {"dashboard-host": "0.0.0.0"},
                                                 "template": template},
                               "workerGroupSpecs": [{"groupName": "workers", "replicas": replicas,
                                                     "template": {"spec": worker}}]}})
        if port and shape != "knative":
            self.service(ns, name, labels, posture)
        if shape in ("deployment", "rollout", "cloneset") and replicas > 1:
            self.add({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
                      "metadata": self.meta(name, ns, labels),
                      "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": name}}}})
            if rng.random() < 0.5:
                self.add({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                          "metadata": self.meta(name, ns, labels),
                          "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                                   "minReplicas": replicas, "maxReplicas": replicas * 3,
                                   "metrics": [{"type": "Resource", "resource": {
                                       "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}})
        if port and (posture == "restricted" or rng.random() < 0.5):
            self.add({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                      "metadata": self.meta(f"{name}-ingress", ns),
                      "spec": {"podSelector": {"matchLabels": {"app": name}}, "policyTypes": ["Ingress"],
                               "ingress": [{"from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/part-of": team}}},
                                                     {"namespaceSelector": {"matchLabels": {
                                                         "kubernetes.io/metadata.name": "ingress-nginx"}}}],
                                            "ports": [{"port": port, "protocol": "TCP"}]}]}})
        if secret and rng.random() < 0.3:
            self.add({"apiVersion": "external-secrets.io/v1beta1", "kind": "ExternalSecret",
                      "metadata": self.meta(f"{name}-db", ns, labels),
                      "spec": {"refreshInterval": "1h", "secretStoreRef": {"name": "vault", "kind": "ClusterSecretStore"},
                               "target": {"name": secret}, "data": [{"secretKey": "password",
                                                                     "remoteRef": {"key": f"{team}/{comp}/db"}}]}})
        if port and rng.random() < 0.2:
            self.add({"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
                      "metadata": self.meta(name, ns, labels),
                      "spec": {"selector": {"matchLabels": {"app": name}}, "endpoints": [{"port": "http"}]}})

    def service(self, ns: str, name: str, labels: dict[str, str], posture: str) -> None:
        rng = self.rng
        r = rng.random()
        svc_type = "LoadBalancer" if r < (0.15 if posture in ("legacy", "dangerous") else 0.04) else \
            "NodePort" if r < 0.2 else "ClusterIP"
        spec: Obj = {"type": svc_type, "selector": {"app": name},
                     "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]}
        ann = None
        if svc_type == "LoadBalancer" and rng.random() < 0.5:
            ann = {"eks": {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"},
                   "aks": {"service.beta.kubernetes.io/azure-load-balancer-internal": "true"},
                   "gke": {"networking.gke.io/load-balancer-type": "Internal"}}[self.cloud.provider]
        self.add({"apiVersion": "v1", "kind": "Service", "metadata": self.meta(name, ns, labels, ann), "spec": spec})
        if svc_type == "ClusterIP" and rng.random() < 0.3:
            tls = posture in ("restricted", "baseline") or rng.random() < 0.5
            ing: Obj = {"ingressClassName": "nginx",
                        "rules": [{"host": f"{name}.{self.cloud.region}.example.com",
                                   "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {
                                       "service": {"name": name, "port": {"name": "http"}}}}]}}]}
            if tls:
                ing["tls"] = [{"hosts": [f"{name}.{self.cloud.region}.example.com"], "secretName": f"{name}-tls"}]
            self.add({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": self.meta(name, ns, labels),
                      "spec": ing})


# --- fleet -------------------------------------------------------------------------

def generate(clusters: int = 3, objects: int = 15_000, seed: int = 1, nodes: int = 6) -> list[ClusterSpec]:
    """Build the fleet in memory: ``clusters`` clusters with about ``objects`` objects in all."""
    if clusters < 1:
        raise ValueError("clusters must be at least 1")
    if objects < clusters * 200:
        raise ValueError(f"objects must be at least {clusters * 200} for {clusters} cluster(s)")
    rng = random.Random(seed)
    fleet = []
    per_cluster = objects // clusters
    for i in range(clusters):
        cloud = CLOUDS[i % len(CLOUDS)]
        spec = ClusterSpec(f"bench-{cloud.provider}-{i + 1:02d}", cloud)
        g = Gen(rng, spec, nodes)
        g.cluster_basics()
        n = 0
        while len(spec.objects) < per_cluster:
            team = TEAMS[n % len(TEAMS)]
            env = ENVS[(n // len(TEAMS)) % len(ENVS)]
            ns = f"{team}-{env}" + (f"-{n // (len(TEAMS) * len(ENVS))}" if n >= len(TEAMS) * len(ENVS) else "")
            posture = rng.choices([p for p, _ in POSTURES], weights=[w for _, w in POSTURES])[0]
            g.app_namespace(ns, team, posture)
            n += 1
        fleet.append(spec)
    return fleet


def _group_by_namespace(objects: list[Obj]) -> dict[str, list[Obj]]:
    files: dict[str, list[Obj]] = {}
    for o in objects:
        ns = o["metadata"].get("namespace")
        files.setdefault(ns or "_cluster", []).append(o)
    return files


def write_manifests(fleet: list[ClusterSpec], out: Path, progress: Callable[[int], None] | None = None) -> int:
    """``out/fleet.yaml`` plus ``out/<cluster>/<namespace>.yaml``; returns the number of files written."""
    out.mkdir(parents=True, exist_ok=True)
    fleet_doc = {"clusters": [{"name": c.name, "provider": c.cloud.provider, "kubernetesVersion": c.cloud.version,
                               "facts": c.facts, "manifests": c.name} for c in fleet]}
    (out / "fleet.yaml").write_text(yaml.dump(fleet_doc, Dumper=_NoAliasDumper, sort_keys=False), encoding="utf-8")
    files = 1
    for c in fleet:
        cdir = out / c.name
        cdir.mkdir(exist_ok=True)
        for ns, objs in _group_by_namespace(c.objects).items():
            text = yaml.dump_all(objs, Dumper=_NoAliasDumper, sort_keys=False, default_flow_style=False, width=120)
            (cdir / f"{ns}.yaml").write_text(text, encoding="utf-8")
            files += 1
            if progress is not None:
                progress(len(objs))
    return files


def write_snapshot(fleet: list[ClusterSpec], path: Path) -> int:
    """A fleet snapshot through kubeguard's own writer; returns its size in bytes."""
    from kubeguard.collect.snapshot import SnapshotCluster, write_snapshot as _write
    from kubeguard.model.cloud import ClusterFacts

    path.parent.mkdir(parents=True, exist_ok=True)
    return _write(path, [SnapshotCluster(ClusterFacts(c.name, c.cloud.provider, c.cloud.version, c.facts, "live"),
                                         c.objects) for c in fleet], created=CREATED)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic Kubernetes fleet for benchmarking kubeguard.")
    ap.add_argument("--clusters", type=int, default=3, help="number of clusters (EKS, AKS, GKE in turn; default 3)")
    ap.add_argument("--objects", type=int, default=15_000, help="approximate total objects (default 15000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--nodes", type=int, default=6, help="nodes per cluster; DaemonSets get one pod each (default 6)")
    ap.add_argument("--format", choices=("manifests", "snapshot"), default="manifests",
                    help="manifests: a folder with fleet.yaml; snapshot: one .snapshot.json.gz file")
    ap.add_argument("--out", required=True, help="output folder (manifests) or file (snapshot)")
    args = ap.parse_args(argv)
    try:
        fleet = generate(args.clusters, args.objects, args.seed, args.nodes)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    total = sum(len(c.objects) for c in fleet)
    try:
        if args.format == "snapshot":
            size = write_snapshot(fleet, Path(args.out))
            print(f"{total} objects in {len(fleet)} clusters -> {args.out} ({size / 1e6:.1f} MB)")
        else:
            files = write_manifests(fleet, Path(args.out))
            print(f"{total} objects in {len(fleet)} clusters -> {args.out} ({files} files)")
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

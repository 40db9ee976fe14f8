"""Fact detection from raw objects: provider, nodes, CNI and network-policy enforcement, admission."""

from __future__ import annotations

import pytest

from kubeguard.collect.facts import derive_facts, detect_cni, detect_provider
from kubeguard.collect.files import read_paths

from .fakeapi import obj


def node(name: str, provider_id: str = "", labels: dict | None = None, kubelet: str = "v1.31.2") -> dict:
    return obj("v1", "Node", name, spec={"providerID": provider_id} if provider_id else {},
               metadata={"labels": labels or {}},
               status={"nodeInfo": {"osImage": "Ubuntu 22.04.4 LTS", "kernelVersion": "5.15.0-1071-azure",
                                    "containerRuntimeVersion": "containerd://1.7.15", "kubeletVersion": kubelet,
                                    "operatingSystem": "linux", "architecture": "amd64"}})


def ds(name: str, ns: str, containers: list[dict], labels: dict | None = None) -> dict:
    return obj("apps/v1", "DaemonSet", name, ns, metadata={"labels": labels or {}},
               spec={"template": {"spec": {"containers": containers}}})


@pytest.mark.parametrize("nodes,version,groups,expected", [
    ([node("n", "aws:///eu-west-1a/i-1")], "v1.30.4-eks-a737599", [], "eks"),
    ([node("n", labels={"eks.amazonaws.com/nodegroup": "ng-1"})], "v1.30.4", [], "eks"),
    ([node("n", "azure:///subscriptions/s/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/"
               "aks-x/virtualMachines/0", {"kubernetes.azure.com/agentpool": "sys"})], "v1.29.7", [], "aks"),
    ([node("n", "gce://proj/europe-west4-a/gke-n")], "v1.31.1-gke.1678000", [], "gke"),
    ([node("n", "aws:///eu-west-1a/i-1")], "v1.29.10", ["route.openshift.io", "config.openshift.io"], "openshift"),
    ([node("n", "k3s://n", kubelet="v1.30.5+k3s1")], "v1.30.5+k3s1", [], "k3s"),
    ([node("kind-control-plane", "kind://docker/kind/kind-control-plane")], "v1.31.0", [], "kind"),
    ([node("n")], "v1.31.0", [], "other"),
    ([], None, [], "other"),
])
def test_provider(nodes, version, groups, expected):
    provider, evidence = detect_provider(nodes, version, groups)
    assert provider == expected and evidence


def aws_node(agent_arg: str | None) -> dict:
    containers = [{"name": "aws-node", "image": "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.0"}]
    if agent_arg is not None:
        containers.append({"name": "aws-eks-nodeagent", "image": "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/"
                                                                  "aws-network-policy-agent:v1.1.5",
                           "args": ["--enable-ipv6=false", f"--enable-network-policy={agent_arg}"]})
    return ds("aws-node", "kube-system", containers)


@pytest.mark.parametrize("objects,provider,name,enforced,engine", [
    ([aws_node("true")], "eks", "aws-vpc-cni", True, "aws-network-policy-agent"),
    ([aws_node("false")], "eks", "aws-vpc-cni", False, None),
    ([aws_node(None)], "eks", "aws-vpc-cni", False, None),
    ([aws_node("false"), ds("calico-node", "calico-system", [{"name": "calico-node",
                                                              "image": "docker.io/calico/node:v3.28.0"}])],
     "eks", "aws-vpc-cni", True, "calico"),
    ([ds("azure-npm", "kube-system", [{"name": "azure-npm", "image": "mcr.microsoft.com/containernetworking/"
                                                                      "azure-npm:v1.5.34"}])],
     "aks", "azure-npm", True, "azure-npm"),
    ([ds("cilium", "kube-system", [{"name": "cilium-agent", "image": "mcr.microsoft.com/oss/cilium/cilium:1.14.10"}],
         {"kubernetes.azure.com/managedby": "aks"})], "aks", "azure-cilium", True, "cilium"),
    ([ds("anetd", "kube-system", [{"name": "cilium-agent", "image": "gke.gcr.io/cilium/cilium:v1.14"}])],
     "gke", "gke-dataplane-v2", True, "cilium"),
    ([ds("cilium", "kube-system", [{"name": "cilium-agent", "image": "quay.io/cilium/cilium:v1.16.1"}]),
      obj("v1", "ConfigMap", "cilium-config", "kube-system", data={"enable-policy": "never"})],
     "other", "cilium", False, "cilium"),
    ([ds("kube-flannel-ds", "kube-flannel", [{"name": "kube-flannel", "image": "docker.io/flannel/flannel:v0.25.6"}])],
     "other", "flannel", False, None),
    ([ds("kube-router", "kube-system", [{"name": "kube-router", "image": "docker.io/cloudnativelabs/kube-router",
                                         "args": ["--run-router=true", "--run-firewall=false"]}])],
     "other", "kube-router", False, None),
    ([ds("kube-router", "kube-system", [{"name": "kube-router", "image": "docker.io/cloudnativelabs/kube-router",
                                         "args": ["--run-router=true", "-run-firewall"]}])],
     "other", "kube-router", True, "kube-router"),
    ([ds("weave-net", "kube-system", [{"name": "weave", "image": "weaveworks/weave-kube:2.8.1"},
                                      {"name": "weave-npc", "image": "weaveworks/weave-npc:2.8.1"}])],
     "other", "weave", True, "weave-npc"),
    ([], "k3s", "flannel", None, None),
    ([ds("fluentd", "logging", [{"name": "fluentd", "image": "fluent/fluentd:v1.17"}])], "other", "unknown", None, None),
])
def test_cni_and_enforcement(objects, provider, name, enforced, engine):
    by_kind: dict[str, list] = {}
    for o in objects:
        by_kind.setdefault(o["kind"], []).append(o)
    cni = detect_cni(by_kind, provider)
    assert (cni["name"], cni["networkPolicyEnforcement"], cni.get("policyEngine")) == (name, enforced, engine)
    assert cni["evidence"]


def raw(folder) -> list[dict]:
    return [o.raw for o in read_paths([str(folder)], "x").objects]


def test_cni_from_real_calico_and_canal_manifests(corpus):
    calico = derive_facts("c", raw(corpus / "calico" / "manifests" / "calico.yaml"), source="manifests")
    assert calico.facts["cni"]["name"] == "calico" and calico.facts["cni"]["networkPolicyEnforcement"] is True
    canal = derive_facts("c", raw(corpus / "calico" / "manifests" / "canal-etcd.yaml"), source="manifests")
    assert canal.facts["cni"] == {**canal.facts["cni"], "name": "flannel", "networkPolicyEnforcement": True,
                                  "policyEngine": "calico"}


def test_admission_from_real_gatekeeper_manifest(corpus):
    facts = derive_facts("c", raw(corpus / "gatekeeper"), source="manifests").facts["admission"]
    assert facts["gatekeeper"]["installed"] is True
    assert any("gatekeeper-controller-manager" in e for e in facts["gatekeeper"]["evidence"])
    assert facts["kyverno"]["installed"] is False


def test_admission_facts():
    objects = [
        obj("v1", "Namespace", "prod", metadata={"labels": {"pod-security.kubernetes.io/enforce": "restricted",
                                                            "pod-security.kubernetes.io/enforce-version": "v1.31",
                                                            "pod-security.kubernetes.io/warn": "restricted"}}),
        obj("v1", "Namespace", "dev"),
        obj("kyverno.io/v1", "ClusterPolicy", "require-labels", spec={}),
        obj("apps/v1", "Deployment", "kyverno-admission-controller", "kyverno", spec={}),
        obj("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", "no-latest", spec={}),
        obj("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding", "no-latest-b", spec={}),
        obj("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "kyverno-resource-validating"),
    ]
    facts = derive_facts("c", objects, source="manifests")
    adm = facts.facts["admission"]
    assert adm["podSecurity"] == {"prod": {"enforce": "restricted", "enforce-version": "v1.31", "warn": "restricted"},
                                  "dev": {}}
    assert adm["kyverno"]["installed"] and adm["kyverno"]["clusterPolicies"] == 1
    assert not adm["gatekeeper"]["installed"]
    assert adm["validatingAdmissionPolicies"] == ["no-latest"]
    assert adm["validatingAdmissionPolicyBindings"] == ["no-latest-b"]
    assert facts.facts["apiGroups"] == ["admissionregistration.k8s.io", "apps", "kyverno.io"]


def test_node_facts():
    f = derive_facts("c", [node("b", "azure:///x", {"kubernetes.azure.com/agentpool": "sys",
                                                    "topology.kubernetes.io/zone": "westeurope-1"}), node("a")],
                     {"gitVersion": "v1.29.7", "major": "1", "minor": "29", "platform": "linux/amd64",
                      "buildDate": "2024-07-01"})
    assert f.kubernetes_version == "v1.29.7" and f.facts["version"]["minor"] == "29"
    assert [n["name"] for n in f.facts["nodes"]] == ["a", "b"]
    b = f.facts["nodes"][1]
    assert (b["osImage"], b["kernelVersion"], b["containerRuntimeVersion"], b["kubeletVersion"]) == (
        "Ubuntu 22.04.4 LTS", "5.15.0-1071-azure", "containerd://1.7.15", "v1.31.2")
    assert b["nodePool"] == "sys" and b["zone"] == "westeurope-1"

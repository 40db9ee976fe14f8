from __future__ import annotations

import json
import subprocess
import sys

from kubeguard.collect.facts import complete_facts
from kubeguard.model import ClusterFacts

CALICO = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "calico-node", "namespace": "kube-system"},
          "spec": {"template": {"spec": {"containers": [{"name": "calico-node", "image": "calico/node:v3.28.0"}]}}}}
NS = {"apiVersion": "v1", "kind": "Namespace",
      "metadata": {"name": "shop", "labels": {"pod-security.kubernetes.io/enforce": "restricted"}}}


def test_manifest_facts_are_derived_from_objects():
    f = complete_facts(ClusterFacts("m", source="manifests"), [CALICO, NS])
    assert f.facts["cni"]["name"] == "calico" and f.facts["cni"]["networkPolicyEnforcement"] is True
    assert f.facts["admission"]["podSecurity"]["shop"]["enforce"] == "restricted"
    assert f.provider == "other"


def test_stated_facts_win_over_derived_ones():
    stated = ClusterFacts("m", provider="aks", facts={"cni": {"name": "azure-npm", "networkPolicyEnforcement": True}},
                          source="demo")
    f = complete_facts(stated, [CALICO, NS])
    assert f.provider == "aks" and f.facts["cni"]["name"] == "azure-npm"
    assert "admission" in f.facts


def test_scan_json_carries_derived_facts(tmp_path):
    (tmp_path / "m.yaml").write_text(json.dumps(CALICO) + "\n---\n" + json.dumps(NS))
    p = subprocess.run([sys.executable, "-m", "kubeguard", "scan", str(tmp_path), "-f", "json", "--no-progress"],
                       capture_output=True, text=True, timeout=120)
    [cluster] = json.loads(p.stdout)["clusters"]
    assert cluster["facts"]["cni"]["name"] == "calico"


def test_manifests_using_an_openshift_api_do_not_make_the_cluster_openshift():
    route = {"apiVersion": "route.openshift.io/v1", "kind": "Route", "metadata": {"name": "r", "namespace": "a"}}
    f = complete_facts(ClusterFacts("m", source="manifests"), [route, CALICO])
    assert f.provider == "other"
    eks_node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"},
                "spec": {"providerID": "aws:///eu-west-1a/i-0abc"}}
    assert complete_facts(ClusterFacts("m", source="manifests"), [route, eks_node]).provider == "eks"

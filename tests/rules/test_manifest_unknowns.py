"""Cross-object rules on manifests: what the input cannot show is UNKNOWN, never PASS and never a guessed FAIL.

Each case names the rule, the files of one scanned folder tree, and a phrase of the reason.
"""

from __future__ import annotations

import pytest

from kubeguard.model import Status
from kubeguard.rules._registry import default_registry

from .harness import scan_fixture

REGISTRY = default_registry()

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {ns}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec: {{containers: [{{name: c, image: "ghcr.io/example/{name}:1.0.0"}}]}}
"""
PROMETHEUS = """apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring, labels: {app.kubernetes.io/name: prometheus}}
spec:
  replicas: 2
  podMetadata: {labels: {app.kubernetes.io/name: prometheus, app.kubernetes.io/instance: k8s}}
"""

CASES = {
    "NW007 policy in another folder than its workloads": ("NW007", {
        "policies/np.yaml": """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: hello, namespace: shop}
spec: {podSelector: {matchLabels: {app: hello}}, policyTypes: [Ingress]}
""",
        "apps/web.yaml": DEPLOY.format(name="web", ns="shop")}, "defines no workload"),
    "NW007 pods an operator creates": ("NW007", {
        "stack/all.yaml": PROMETHEUS + "---\n" + DEPLOY.format(name="grafana", ns="monitoring") + """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: prometheus-k8s, namespace: monitoring}
spec: {podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}, policyTypes: [Ingress]}
"""}, "operator"),
    "NW008 peer in a namespace the input does not hold": ("NW008", {
        "app/all.yaml": DEPLOY.format(name="web", ns="shop") + """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
      ports: [{port: 53, protocol: UDP}]
"""}, "may select pods"),
    "NW008 peer selecting operator pods": ("NW008", {
        "stack/all.yaml": PROMETHEUS + "---\n" + DEPLOY.format(name="grafana", ns="monitoring") + """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: grafana, namespace: monitoring}
spec:
  podSelector: {matchLabels: {app: grafana}}
  ingress: [{from: [{podSelector: {matchLabels: {app.kubernetes.io/name: prometheus}}}]}]
"""}, "may select pods"),
    "RL019 budget for pods an operator creates": ("RL019", {
        "stack/all.yaml": PROMETHEUS + "---\n" + DEPLOY.format(name="grafana", ns="monitoring") + """---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: prometheus-k8s, namespace: monitoring}
spec: {maxUnavailable: 1, selector: {matchLabels: {app.kubernetes.io/instance: k8s}}}
"""}, "operator create"),
    "RB004 subject in a namespace whose ServiceAccounts the input does not hold": ("RB004", {
        "rbac/crb.yaml": """apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: velero-server}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: velero, namespace: velero}]
"""}, "no ServiceAccount of namespace"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unknown_not_pass(case, tmp_path):
    code, files, reason = CASES[case]
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    rule = REGISTRY.get(code)
    result = scan_fixture(rule, REGISTRY, tmp_path)
    assert [f.name for f in result.findings if f.status == Status.FAIL.value] == []
    rr = [r for r in result.rule_results if r.rule == code]
    assert rr and rr[0].status == Status.UNKNOWN.value and reason in rr[0].reason, rr

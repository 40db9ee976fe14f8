"""Manifest scans: a Secret that a workload of the folder may create at run time is UNKNOWN, not missing.

Argo CD's install.yaml is the real-world shape: its Redis Secret is created by an init
container whose ServiceAccount may create Secrets, so other Secrets in the folder prove
nothing about this one.  Without that RBAC grant, or from another folder, the reference fails.
"""

from __future__ import annotations

import pytest

from kubeguard.model import Status
from kubeguard.rules._registry import default_registry

from ..conftest import FIXTURES
from .harness import scan_fixture

REGISTRY = default_registry()

OTHER_SECRET = """apiVersion: v1
kind: Secret
metadata: {name: app-config, namespace: cd}
type: Opaque
data: {url: aHR0cHM6Ly9leGFtcGxl}
"""
WORKLOADS = """apiVersion: apps/v1
kind: Deployment
metadata: {name: redis, namespace: cd}
spec:
  selector: {matchLabels: {app: redis}}
  template:
    metadata: {labels: {app: redis}}
    spec:
      serviceAccountName: redis
      imagePullSecrets: [{name: regcred}]
      initContainers:
        - {name: secret-init, image: "quay.io/argoproj/argocd:v3.1.0", command: [argocd, admin, redis-initial-password]}
      containers:
        - name: redis
          image: redis:7.4
          env: [{name: REDIS_PASSWORD, valueFrom: {secretKeyRef: {name: redis-auth, key: auth}}}]
"""
ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: redis, namespace: cd}
rules:
  - {apiGroups: [""], resources: [secrets], resourceNames: [redis-auth], verbs: [get]}
  - {apiGroups: [""], resources: [secrets], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: redis, namespace: cd}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: redis}
subjects: [{kind: ServiceAccount, name: redis, namespace: cd}]
"""
# create limited by resourceNames never allows creating (create requests carry no name)
NAMED_ROLE = ROLE.replace("resources: [secrets], verbs: [create]", "resources: [secrets], resourceNames: [redis-auth], verbs: [create]")


@pytest.mark.parametrize("code", ["SC011", "SU007"])
def test_runtime_writer_makes_it_unknown(code, tmp_path):
    (tmp_path / "all.yaml").write_text("---\n".join([OTHER_SECRET, WORKLOADS, ROLE]))
    result = scan_fixture(REGISTRY.get(code), REGISTRY, tmp_path)
    assert [f.path for f in result.findings if f.status == Status.FAIL.value] == []
    rr = [r for r in result.rule_results if r.rule == code]
    assert rr[0].status == Status.UNKNOWN.value and "ServiceAccount cd/redis may create Secrets" in rr[0].reason


@pytest.mark.parametrize("role,layout", [
    (NAMED_ROLE, "one folder"),       # resourceNames cannot restrict create: RBAC denies it
    (ROLE, "writer in another folder"),
])
def test_without_a_writer_of_the_folder_it_fails(role, layout, tmp_path):
    if layout == "one folder":
        (tmp_path / "all.yaml").write_text("---\n".join([OTHER_SECRET, WORKLOADS, role]))
        app = WORKLOADS
    else:
        (tmp_path / "app").mkdir()
        (tmp_path / "ops").mkdir()
        app = WORKLOADS.replace("name: redis, namespace: cd}\nspec", "name: api, namespace: cd}\nspec") \
            .replace("serviceAccountName: redis", "serviceAccountName: api")
        (tmp_path / "app" / "all.yaml").write_text("---\n".join([OTHER_SECRET, app]))
        (tmp_path / "ops" / "all.yaml").write_text("---\n".join([WORKLOADS.replace("redis-auth", "other"), role]))
    result = scan_fixture(REGISTRY.get("SC011"), REGISTRY, tmp_path)
    failed = [(f.name, f.path) for f in result.findings if f.status == Status.FAIL.value]
    assert failed and all(p.endswith("secretKeyRef") for _, p in failed), failed


@pytest.mark.parametrize("code,case", [("SC011", "secret-reference-missing"), ("SU007", "image-pull-secret-unusable")])
def test_metadata_only_secrets_are_unknown(code, case):
    """Live clusters list Secrets as metadata only: keys and types cannot be checked, so UNKNOWN, not FAIL."""
    path = FIXTURES / "rules" / case / "pass.live-metadata-only.snapshot.json"
    result = scan_fixture(REGISTRY.get(code), REGISTRY, path)
    assert [f.path for f in result.findings if f.status == Status.FAIL.value] == []
    rr = [r for r in result.rule_results if r.rule == code]
    assert rr[0].status == Status.UNKNOWN.value and rr[0].passed == 1 and "metadata only" in rr[0].reason, rr

"""Findings never repeat a credential, even when the field that fails holds one."""

from __future__ import annotations

from kubeguard.model import Status
from kubeguard.rules._registry import default_registry

from .harness import scan_fixture

REGISTRY = default_registry()
PASSWORD = "s3cr3t-Pa55w0rd"

POD = f"""apiVersion: v1
kind: Pod
metadata: {{name: web, namespace: shop}}
spec:
  containers:
    - name: app
      image: "https://deploy:{PASSWORD}@registry.example.com/shop/web:1.0"
"""


def test_invalid_image_with_credentials_is_not_echoed(tmp_path):
    (tmp_path / "pod.yaml").write_text(POD)
    result = scan_fixture(REGISTRY.get("SU008"), REGISTRY, tmp_path)
    failed = [f for f in result.findings if f.status == Status.FAIL.value]
    assert [f.path for f in failed] == ["spec.containers[0].image"]
    assert PASSWORD not in failed[0].message and "URL with an embedded password" in failed[0].message

"""Rule parameters: overrides from .kubeguard.yaml change outcomes; bad values stop the scan with one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kubeguard.engine.run import ConfigError, resolve_params
from kubeguard.rules._registry import default_registry

from ..conftest import FIXTURES

REGISTRY = default_registry()
DEPLOYMENT = FIXTURES / "rules" / "image-registry-not-allowed" / "fail.forbidden.yaml"


def kg(*args, cwd):
    return subprocess.run([sys.executable, "-m", "kubeguard", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.mark.parametrize("rule,params,needle", [
    ("image-registry-not-allowed", {"allowed_registries": "registry.example.com"}, "allowed_registries"),
    ("RL009", {"max_cpu": "2 cores"}, "max_cpu"),
    ("sensitive-env-literal", {"sensitive_names": ["pass(word"]}, "sensitive_names"),
    ("TN007", {"minimum_level": "strict"}, "minimum_level"),
    ("RL014", {"min_replicas": "three"}, "min_replicas"),
    ("RL014", {"min_replica": 3}, "min_replica"),
])
def test_bad_values_are_config_errors(rule, params, needle):
    target = REGISTRY.get(rule)
    with pytest.raises(ConfigError) as exc:
        resolve_params([target], REGISTRY, {rule: params})
    msg = str(exc.value)
    assert "\n" not in msg and target.code in msg and needle in msg


def test_overrides_are_typed_and_defaults_kept():
    rule = REGISTRY.get("RL009")
    resolved = resolve_params([rule], REGISTRY, {"container-resources-out-of-range": {"max_cpu": "4"}})
    assert resolved[rule.code].max_cpu == "4" and resolved[rule.code].max_memory == "256Gi"


def test_cli_bad_parameter_exits_2_with_one_line(tmp_path):
    (tmp_path / ".kubeguard.yaml").write_text(
        "version: 1\nrules:\n  params:\n    image-registry-not-allowed:\n"
        "      allowed_registries: registry.example.com\n")
    p = kg("scan", str(DEPLOYMENT), cwd=tmp_path)
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    lines = [line for line in p.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, p.stderr
    assert "SU003" in lines[0] and "allowed_registries" in lines[0]


def test_cli_parameter_override_changes_the_outcome(tmp_path):
    cfg = tmp_path / "kg.yaml"
    cfg.write_text("version: 1\nrules:\n  params:\n    SU003:\n      forbidden_registries: [docker.io]\n")
    plain = kg("scan", str(DEPLOYMENT), "--rules", "SU003", "--fail-on", "low", cwd=tmp_path)
    forbidden = kg("scan", str(DEPLOYMENT), "--rules", "SU003", "--fail-on", "low", "--config", str(cfg), cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert forbidden.returncode == 1, forbidden.stderr

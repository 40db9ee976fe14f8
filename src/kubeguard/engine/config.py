"""``.kubeguard.yaml``: rule selection, rule parameters and scan defaults.

::

    version: 1
    rules:
      include: [workload/*]          # selectors: code, slug, domain/*, tag:pss:baseline
      exclude: [WL020]
      params:
        allowed-registries:          # rule code or slug
          registries: [registry.example.com/]
    scan:
      fail-on: high                  # critical high medium low info none
      cluster: prod-eu               # name for manifests given on the command line
      ignore-file: .kubeguardignore.yaml

Parameter values are validated once per scan against each rule's declared
types (:func:`kubeguard.engine.run.resolve_params`); any problem is one line
naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_TOP = {"version", "rules", "scan"}
_RULES = {"include", "exclude", "params"}
_SCAN = {"fail-on", "cluster", "ignore-file", "include-passed", "frameworks", "strict", "peer-annotations"}


class ConfigFileError(ValueError):
    pass


@dataclass
class FileConfig:
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    scan: dict[str, Any] = field(default_factory=dict)


def parse_config(text: str, filename: str) -> FileConfig:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise ConfigFileError(f"{filename}:{line}: YAML syntax error: {exc.problem}") from None

    def line_of(*keys: str) -> int:
        node = root
        line = node.start_mark.line + 1 if node is not None else 1
        for k in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            for kn, vn in node.value:
                if kn.value == k:
                    line, node = kn.start_mark.line + 1, vn
                    break
            else:
                break
        return line

    def fail(msg: str, *keys: str) -> ConfigFileError:
        return ConfigFileError(f"{filename}:{line_of(*keys)}: {msg}")

    if data is None:
        return FileConfig()
    if not isinstance(data, dict):
        raise fail("config must be a mapping")
    bad = set(data) - _TOP
    if bad:
        raise fail(f"unknown key(s) {', '.join(sorted(map(str, bad)))}; allowed: {', '.join(sorted(_TOP))}")
    if data.get("version", 1) != 1:
        raise fail(f"unsupported version {data.get('version')!r} (expected 1)", "version")
    cfg = FileConfig()
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise fail("'rules' must be a mapping", "rules")
    bad = set(rules) - _RULES
    if bad:
        raise fail(f"rules: unknown key(s) {', '.join(sorted(map(str, bad)))}; allowed: {', '.join(sorted(_RULES))}",
                   "rules")
    for key in ("include", "exclude"):
        v = rules.get(key) or []
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise fail(f"rules.{key} must be a list of rule selectors", "rules", key)
        setattr(cfg, key, v)
    params = rules.get("params") or {}
    if not isinstance(params, dict):
        raise fail("rules.params must map rule ids to parameter mappings", "rules", "params")
    for rid, values in params.items():
        if not isinstance(values, dict):
            raise fail(f"rules.params.{rid} must be a mapping of parameter names to values", "rules", "params", rid)
    cfg.params = {str(k): dict(v) for k, v in params.items()}
    scan = data.get("scan") or {}
    if not isinstance(scan, dict):
        raise fail("'scan' must be a mapping", "scan")
    bad = set(scan) - _SCAN
    if bad:
        raise fail(f"scan: unknown key(s) {', '.join(sorted(map(str, bad)))}; allowed: {', '.join(sorted(_SCAN))}",
                   "scan")
    cfg.scan = dict(scan)
    return cfg


def param_line(text: str, filename: str, rule_key: str) -> str:
    """``file:line`` of a rule's params block, for parameter errors found later."""
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    node = root
    line = 1
    for k in ("rules", "params", rule_key):
        if not isinstance(node, yaml.MappingNode):
            break
        for kn, vn in node.value:
            if kn.value == k:
                line, node = kn.start_mark.line + 1, vn
                break
    return f"{filename}:{line}"

"""tools/concordance_checkov.py: Checkov report parsing and the split of differences (no Checkov needed)."""

from __future__ import annotations

import importlib.util
import sys

import orjson

from ..conftest import FIXTURES, ROOT

spec = importlib.util.spec_from_file_location("concordance_checkov", ROOT / "tools" / "concordance_checkov.py")
tool = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = tool  # dataclasses resolve annotations through the module
spec.loader.exec_module(tool)


def _item(check, resource, path="/apps/web.yaml"):
    return {"check_id": check, "resource": resource, "file_path": path}


REPORT = orjson.dumps([{"check_type": "secrets", "results": {}},
                       {"check_type": "kubernetes", "summary": {"checkov_version": "3.3.30"}, "results": {
                           "failed_checks": [_item("CKV_K8S_16", "Deployment.shop.web"),
                                             _item("CKV_K8S_16", "Pod.default.debug.example.com")],
                           "passed_checks": [_item("CKV_K8S_16", "Deployment.shop.api"),
                                             _item("CKV_K8S_20", "Deployment.shop.db")]}}])


def test_checkov_report_is_read_per_check_with_dotted_names():
    verdicts, seen, version = tool.checkov_verdicts(REPORT, {"CKV_K8S_16"})
    assert version == "3.3.30"
    v = verdicts["CKV_K8S_16"]
    assert v.failed == {("apps/web.yaml", "Deployment", "shop", "web"),
                        ("apps/web.yaml", "Pod", "default", "debug.example.com")}
    assert ("apps/web.yaml", "Deployment", "shop", "api") in v.evaluated
    assert ("apps/web.yaml", "Deployment", "shop", "db") in seen and "CKV_K8S_20" not in verdicts


def test_differences_are_split_into_disagreements_and_scope():
    k = lambda name, kind="Deployment": ("apps/web.yaml", kind, "shop", name)  # noqa: E731
    ck = {"CKV_K8S_16": tool.Verdicts(failed={k("web"), k("api")}, evaluated={k("web"), k("api"), k("db")})}
    kg = {"CKV_K8S_16": tool.Verdicts(failed={k("web"), k("db"), k("job"), k("ray", "RayCluster")},
                                      evaluated={k("web"), k("db"), k("job"), k("ray", "RayCluster")})}
    [row] = tool.compare({"CKV_K8S_16": ["WL001"]}, ck, kg, ck_seen={k("web"), k("api"), k("db"), k("job")})
    assert row["both"] == 1
    assert row["onlyCheckov"] == {"kubeguardPassed": [], "kubeguardDidNotEvaluate": [k("api")]}
    assert row["onlyKubeguard"] == {"checkovPassed": [k("db")], "checkovSkippedObject": [k("job")],
                                    "checkovNeverSawObject": [k("ray", "RayCluster")]}


def test_missing_checkov_is_one_clear_error(capsys, tmp_path):
    assert tool.find_checkov(str(tmp_path / "nope")) is None
    assert tool.main(["--checkov", str(tmp_path / "nope"), "--corpus", str(FIXTURES)]) == 2
    err = capsys.readouterr().err
    assert "checkov not found" in err and "--checkov" in err and "Traceback" not in err

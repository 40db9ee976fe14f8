"""Every CP and ND rule pinned on the shared node fixtures (insecure fails, naming the field) and on
hardened variants (pass); UNKNOWN where the deciding setting lives in a file the scan cannot read.

Letters per rule CP001..CP046, ND001..ND016: P(ass) F(ail) U(nknown) -(not applicable).
"""

from __future__ import annotations

import re

import pytest
import yaml

from .helpers import CODES, DATA, NODE, by_rule, letters, reason, scan

APISERVER = NODE / "kube-apiserver-insecure.yaml"
APISERVER_FILES = [DATA / "admission-config.yaml", DATA / "encryption-config.yaml", DATA / "audit-policy.yaml"]
#            CP001                                   CP046 ND001          ND016
EXPECTED = {
    "apiserver-insecure": ("FFFFFFFFFFFFPFFFFFFPFPPPPPFFFF" + "-" * 16 + "-" * 16, [APISERVER], []),
    # the files its flags name, given with --node-config (CP009 reads the EventRateLimit limits)
    "apiserver-hardened": ("P" * 30 + "-" * 16 + "-" * 16, [DATA / "kube-apiserver-hardened.yaml"], APISERVER_FILES),
    "apiserver-hardened-without-files": ("P" * 8 + "U" + "P" * 21 + "-" * 16 + "-" * 16,
                                         [DATA / "kube-apiserver-hardened.yaml"], []),
    "controller-manager-insecure": ("-" * 30 + "FFFFFFF" + "-" * 9 + "-" * 16,
                                    [DATA / "kube-controller-manager-insecure.yaml"], []),
    "controller-manager-hardened": ("-" * 30 + "PPPPPPP" + "-" * 9 + "-" * 16,
                                    [DATA / "kube-controller-manager-hardened.yaml"], []),
    "scheduler-insecure": ("-" * 37 + "FF" + "-" * 7 + "-" * 16, [DATA / "kube-scheduler-insecure.yaml"], []),
    "scheduler-hardened": ("-" * 37 + "PP" + "-" * 7 + "-" * 16, [DATA / "kube-scheduler-hardened.yaml"], []),
    # with a hardened kube-apiserver, whose --client-ca-file CP046 compares etcd's CA with
    "etcd-insecure": ("P" * 30 + "-" * 9 + "FFFFFFF" + "-" * 16,
                      [DATA / "etcd-insecure.yaml", DATA / "kube-apiserver-hardened.yaml"], APISERVER_FILES),
    "etcd-hardened": ("P" * 30 + "-" * 9 + "PPPPPPP" + "-" * 16,
                      [DATA / "etcd-hardened.yaml", DATA / "kube-apiserver-hardened.yaml"], APISERVER_FILES),
    # 4.2.7 (hostname override) is a flag: UNKNOWN from any configuration file or configz; 4.2.8 passes (50).
    # 4.2.5: the file's "streamingConnectionIdleTimeout: 0s" is replaced by the kubelet's defaulting (4h), as
    # in every kubeadm-written config.yaml; the configz of the same node shows an effective 0s and fails.
    "kubelet-file-insecure": ("-" * 46 + "FFFFPFUPFFFFFFF-", [], [NODE / "kubelet-config-insecure.yaml"]),
    "kubelet-configz-insecure": ("-" * 46 + "FFFFFFUPFFFFFFF-", [], [NODE / "kubelet-configz-insecure.json"]),
    "kubelet-file-hardened": ("-" * 46 + "PPPPPPUPPPPPPPP-", [], [DATA / "kubelet-config-hardened.yaml"]),
    "kubelet-configz-hardened": ("-" * 46 + "PPPPPPUPPPPPPPP-", [], [DATA / "kubelet-configz-hardened.json"]),
}


def _need_shared():
    if not NODE.is_dir():
        pytest.skip("shared node fixtures not present")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_rule_on_each_fixture(name):
    _need_shared()
    want, paths, node_configs = EXPECTED[name]
    assert len(want) == len(CODES) == 62
    result = scan(paths, node_configs)
    assert letters(result) == want, f"{name}: rule results differ (order {CODES[0]}..{CODES[-1]})"


def _command(path) -> list[str]:
    return yaml.safe_load(path.read_text())["spec"]["containers"][0]["command"]


def test_insecure_apiserver_findings_name_the_flag_or_the_container():
    _need_shared()
    command = _command(APISERVER)
    found = by_rule(scan([APISERVER]))
    flag_of = {"CP001": "anonymous-auth", "CP002": "token-auth-file", "CP006": "authorization-mode",
               "CP007": "authorization-mode", "CP008": "authorization-mode", "CP010": "enable-admission-plugins",
               "CP012": "disable-admission-plugins", "CP014": "disable-admission-plugins", "CP015": "profiling",
               "CP017": "audit-log-maxage", "CP021": "service-account-lookup", "CP028": "tls-cipher-suites",
               "CP029": "service-account-extend-token-expiration"}
    for code, flag in flag_of.items():
        [f] = found[code]
        index = next(i for i, w in enumerate(command) if w.startswith(f"--{flag}="))
        assert f.path == f"spec.containers[0].command[{index}]", code
        assert f"--{flag}" in f.message and f.kind == "Pod" and f.name == "kube-apiserver", code
        assert f.line is not None and f.file.endswith("kube-apiserver-insecure.yaml")
    absent = {"CP004": "kubelet-client-certificate", "CP005": "kubelet-certificate-authority",
              "CP016": "audit-log-path", "CP027": "encryption-provider-config", "CP030": "audit-policy-file"}
    for code, flag in absent.items():
        f = found[code][0]
        assert f.path == "spec.containers[0]" and f"--{flag}" in f.message and "not set" in f.message, code
    assert "--audit-log-maxbackup not set (default 0)" in found["CP018"][0].message
    assert found["CP021"][0].message == "kube-apiserver --service-account-lookup=false; it must be true"
    assert "TLS_RSA_WITH_3DES_EDE_CBC_SHA" in found["CP028"][0].message
    assert found["CP006"][0].evidence == {"component": "kube-apiserver", "flag": "--authorization-mode",
                                          "value": "AlwaysAllow", "default": False}


KUBELET_FIELD = {"ND001": "authentication.anonymous.enabled", "ND002": "authorization.mode",
                 "ND003": "authentication.x509.clientCAFile", "ND004": "readOnlyPort",
                 "ND005": "streamingConnectionIdleTimeout", "ND006": "makeIPTablesUtilChains",
                 "ND009": "tlsCertFile", "ND010": "rotateCertificates",
                 "ND011": "featureGates.RotateKubeletServerCertificate", "ND012": "tlsCipherSuites",
                 "ND013": "podPidsLimit", "ND014": "seccompDefault", "ND015": "protectKernelDefaults"}


@pytest.mark.parametrize("fixture", ["kubelet-config-insecure.yaml", "kubelet-configz-insecure.json"])
def test_insecure_kubelet_findings_name_node_and_field(fixture):
    _need_shared()
    node = fixture.split(".")[0]
    found = by_rule(scan([], [NODE / fixture]))
    for code, field in KUBELET_FIELD.items():
        if code == "ND005" and fixture.endswith(".yaml"):
            assert code not in found  # a zero duration in a file is defaulted to 4h
            continue
        [f] = found[code]
        assert f.path == f"kubelet.{node}.{field}", code
        assert field in f.message and f"node {node}" in f.message and fixture in f.message, code
    assert found["ND004"][0].message.endswith("readOnlyPort = 10255; pod specs and metrics are served without "
                                              "authentication on this port")
    assert 'clientCAFile not set (default "")' in found["ND003"][0].message  # absent: the v1beta1 default
    assert "needs node access" in reason(scan([], [NODE / fixture]), "ND007")


# --- UNKNOWN where the setting is in a file the scan cannot read ---------------------------------------

def _pod(tmp_path, component, *flags, name="x.yaml"):
    p = tmp_path / name
    container = {"name": component, "image": f"registry.k8s.io/{component}:v1.31.2", "command": [component, *flags]}
    p.write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "Pod",
                                 "metadata": {"name": component, "namespace": "kube-system",
                                              "labels": {"component": component}},
                                 "spec": {"containers": [container]}}))
    return p


def _status(result, code):
    return next(rr for rr in result.rule_results if rr.rule == code)


def test_authorization_and_authentication_config_files_make_the_rules_unknown(tmp_path):
    r = scan([_pod(tmp_path, "kube-apiserver", "--authorization-config=/etc/kubernetes/authz.yaml",
                   "--authentication-config=/etc/kubernetes/authn.yaml")])
    for code in ("CP001", "CP006", "CP007", "CP008"):
        rr = _status(r, code)
        assert rr.status == "UNKNOWN" and "needs node access" in rr.reason, code
    assert "--authorization-config=/etc/kubernetes/authz.yaml" in _status(r, "CP006").reason
    # an explicit --anonymous-auth decides even with an authentication config
    r = scan([_pod(tmp_path, "kube-apiserver", "--authentication-config=/a.yaml", "--anonymous-auth=false")])
    assert _status(r, "CP001").status == "PASS"


def test_etcd_config_file_and_scheduler_config_make_their_rules_unknown(tmp_path):
    r = scan([_pod(tmp_path, "etcd", "--config-file=/etc/etcd/etcd.conf.yml", "--client-cert-auth=true")])
    assert {_status(r, c).status for c in CODES if "CP040" <= c <= "CP046"} == {"UNKNOWN"}
    assert "--config-file=/etc/etcd/etcd.conf.yml" in _status(r, "CP041").reason
    r = scan([_pod(tmp_path, "kube-scheduler", "--config=/etc/kubernetes/sched.yaml", "--profiling=false",
                   "--bind-address=127.0.0.1")])
    assert _status(r, "CP038").status == "UNKNOWN" and "enableProfiling" in _status(r, "CP038").reason
    assert _status(r, "CP039").status == "PASS"


def test_one_failing_instance_keeps_fail_when_another_is_unknown(tmp_path):
    r = scan([_pod(tmp_path, "kube-apiserver", "--anonymous-auth=true", name="a.yaml"),
              _pod(tmp_path, "kube-apiserver", "--authentication-config=/a.yaml", name="b.yaml")])
    assert _status(r, "CP001").status == "FAIL"


def test_etcd_shared_ca_is_unknown_without_an_api_server(tmp_path):
    r = scan([_pod(tmp_path, "etcd", "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt")])
    assert _status(r, "CP046").status == "UNKNOWN"


def test_kubelet_flags_with_config_file_are_unknown_for_settings_not_given(tmp_path):
    p = tmp_path / "ds.yaml"
    p.write_text(yaml.safe_dump({"apiVersion": "apps/v1", "kind": "DaemonSet",
                                 "metadata": {"name": "kubelet", "namespace": "kube-system"},
                                 "spec": {"template": {"spec": {"containers": [{
                                     "name": "kubelet", "image": "kubelet:v1.31.2",
                                     "command": ["kubelet", "--config=/var/lib/kubelet/config.yaml",
                                                 "--anonymous-auth=false", "--read-only-port=10255"]}]}}}}))
    r = scan([p])
    assert _status(r, "ND001").status == "PASS"  # the flag overrides the file
    assert _status(r, "ND004").status == "FAIL"
    assert _status(r, "ND002").status == "UNKNOWN"
    assert "--config=/var/lib/kubelet/config.yaml" in _status(r, "ND002").reason
    assert _status(r, "ND007").status == "PASS"  # a flag only: absent means not overridden


def test_live_kubelet_not_collected_is_unknown_never_pass():
    _need_shared()
    r = scan([], [DATA / "kubelet-config-hardened.yaml"], unavailable={"kubelet": "forbidden (403) on nodes/proxy"})
    assert {_status(r, c).status for c in CODES if c.startswith("ND") and c != "ND016"} == {"UNKNOWN"}
    assert "forbidden (403)" in _status(r, "ND001").reason


def test_no_control_plane_pods_or_kubelet_configuration_is_not_applicable(tmp_path):
    p = tmp_path / "app.yaml"
    p.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: app, namespace: default}\n"
                 "spec: {containers: [{name: app, image: 'nginx:1.27', command: [nginx]}]}\n")
    r = scan([p], provider="eks")
    assert set(letters(r)) == {"-"}


def test_pods_list_forbidden_makes_control_plane_rules_unknown(tmp_path):
    r = scan([_pod(tmp_path, "kube-apiserver", "--anonymous-auth=false")], unavailable={"Pod": "forbidden (403)"})
    assert {_status(r, c).status for c in CODES if c.startswith("CP")} == {"UNKNOWN"}


def test_rule_parameters_change_thresholds(tmp_path):
    pod = _pod(tmp_path, "kube-apiserver", "--audit-log-path=/var/log/a.log", "--audit-log-maxage=30",
               "--request-timeout=10m")
    assert _status(scan([pod]), "CP017").status == "PASS"
    assert _status(scan([pod], params={"CP017": {"min_days": 90}}), "CP017").status == "FAIL"
    assert _status(scan([pod]), "CP020").status == "FAIL"
    assert _status(scan([pod], params={"CP020": {"max_seconds": 900}}), "CP020").status == "PASS"


def test_no_secret_values_in_findings(tmp_path):
    cfg = tmp_path / "kubelet.yaml"
    cfg.write_text("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
                   "staticPodURL: https://example.com/pods\nstaticPodURLHeader:\n"
                   "  Authorization: ['Bearer s3cr3t-token-value']\nreadOnlyPort: 10255\n")
    r = scan([], [cfg])
    text = repr([f.to_dict() for f in r.findings]) + repr([c.to_dict() for c in r.clusters])
    assert "s3cr3t-token-value" not in text
    assert re.search(r"Authorization", text)  # the header name stays, its value does not


def test_every_fail_fixture_of_these_rules_expects_a_finding():
    from ..conftest import FIXTURES
    from .helpers import REGISTRY

    empty = []
    for rule in REGISTRY:
        if rule.domain not in ("controlplane", "node"):
            continue
        folder = FIXTURES / "rules" / rule.slug
        expected = yaml.safe_load((folder / "expected.yaml").read_text()) or {}
        for case in sorted(folder.glob("fail.*")):
            if not expected.get(case.name):
                empty.append(f"{rule.code} {case.name}")
    assert not empty, f"fail fixtures that fail nothing: {empty}"

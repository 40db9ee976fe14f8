"""Kubelet flags from the node's files (unit, kubeadm-flags.env, /proc/PID/cmdline) merged with its
configuration file as the kubelet merges them: flags win, feature gates merge key by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubeguard.collect.files import display_path
from kubeguard.collect.kubelet_flags import combine, looks_like_flags, read_flag_source
from kubeguard.collect.nodeconfig import attach_node_configs
from kubeguard.model import ClusterFacts, CollectionReport

from .helpers import DATA, by_rule, reason, scan

KC = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
# kubeadm's drop-in (/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf)
UNIT = """# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
"""
KUBEADM_ENV = ('KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock '
               '--pod-infra-container-image=registry.k8s.io/pause:3.10"\n')


def _w(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return p


def _status(result, code):
    return next(rr for rr in result.rule_results if rr.rule == code)


def test_unit_expands_its_variables_like_systemd():
    src = read_flag_source(UNIT.encode())
    env = read_flag_source(KUBEADM_ENV.encode())
    extra = read_flag_source(b'KUBELET_EXTRA_ARGS="--read-only-port=10255 --node-labels=a=b"\n')
    words, unresolved, complete = combine([src, env, extra])
    assert complete and not unresolved
    assert words == ["--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf",
                     "--kubeconfig=/etc/kubernetes/kubelet.conf", "--config=/var/lib/kubelet/config.yaml",
                     "--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock",
                     "--pod-infra-container-image=registry.k8s.io/pause:3.10",
                     "--read-only-port=10255", "--node-labels=a=b"]
    # /etc/default/kubelet not given: systemd expands the variable to nothing, and it is recorded
    assert combine([src, env])[1] == ["KUBELET_EXTRA_ARGS"]
    # ${VAR} is one word, $VAR its words; an empty ExecStart= resets the list
    braced = read_flag_source(b'[Service]\nEnvironment="A=--x=1 --y=2"\nExecStart=/bin/kubelet ${A}\n'
                              b'ExecStart=\nExecStart=/bin/kubelet $A --z\n')
    assert combine([braced])[0] == ["--x=1", "--y=2", "--z"]


def test_environment_files_alone_are_a_part_of_the_command_line():
    words, _, complete = combine([read_flag_source(KUBEADM_ENV.encode())])
    assert not complete and words[0].startswith("--container-runtime-endpoint")


def test_proc_cmdline_and_ps_output():
    cmdline = b"/usr/bin/kubelet\x00--config=/var/lib/kubelet/config.yaml\x00--read-only-port\x0010255\x00"
    assert looks_like_flags(cmdline)
    assert combine([read_flag_source(cmdline)])[0] == ["--config=/var/lib/kubelet/config.yaml",
                                                       "--read-only-port", "10255"]
    ps = b"/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml \\\n  --hostname-override=w1\n"
    assert combine([read_flag_source(ps)]) == (["--config=/var/lib/kubelet/config.yaml", "--hostname-override=w1"],
                                               [], True)
    assert not looks_like_flags(KC.encode()) and not looks_like_flags(b"---\n" + KC.encode())
    assert not looks_like_flags(b'{"kubeletconfig": {}}')


def test_other_variables_of_an_environment_file_are_never_kept(tmp_path):
    env = _w(tmp_path, "kubelet.env", 'HTTPS_PROXY="http://admin:hunter2@proxy:3128"\n'
                                      'KUBELET_EXTRA_ARGS="--read-only-port=0"\n')
    out = attach_node_configs([f"w1={env}"], {"c": ClusterFacts(name="c")}, CollectionReport(), "c")
    assert out["c"].facts["kubeletFlags"] == {"w1": {"args": ["--read-only-port=0"], "file": display_path(str(env)),
                                                     "complete": False}}
    assert "hunter2" not in repr(out["c"].facts)


def test_flags_override_the_configuration_file_of_the_same_node(tmp_path):
    cfg = DATA / "kubelet-config-hardened.yaml"
    unit, env = _w(tmp_path, "10-kubeadm.conf", UNIT), _w(tmp_path, "kubeadm-flags.env", KUBEADM_ENV)
    extra = _w(tmp_path, "kubelet", 'KUBELET_EXTRA_ARGS="--read-only-port=10255 --hostname-override=node-a"\n')
    r = scan([], [f"w1={cfg}", f"w1={unit}", f"w1={env}", f"w1={extra}"])
    found = by_rule(r)
    [f] = found["ND004"]
    assert f.path == "kubeletFlags.w1.args[5]" and "--read-only-port=10255" in f.message
    cfg, unit, env, extra = (display_path(str(p)) for p in (cfg, unit, env, extra))
    assert f.message.startswith(f"kubelet on node w1 (file {cfg} + flags {unit}, {env}, {extra})")
    assert f.evidence["flags"] == f"{unit}, {env}, {extra}" and f.evidence["source"] == cfg
    [h] = found["ND007"]  # a flag with no configuration field, decided from the command line
    assert h.path == "kubeletFlags.w1.args[6]"
    for code in ("ND001", "ND002", "ND003", "ND005", "ND010", "ND014"):  # not in the flags: the file decides
        assert _status(r, code).status == "PASS", code
    assert len({k for k in by_rule(r)}) == 2  # one kubelet, not a second one judged on flag defaults


def test_feature_gates_merge_key_by_key(tmp_path):
    cfg = _w(tmp_path, "config.yaml", KC + "featureGates:\n  RotateKubeletServerCertificate: false\n")
    other = _w(tmp_path, "cmdline", "kubelet --config=/var/lib/kubelet/config.yaml --feature-gates=Foo=true\n")
    r = scan([], [f"w1={cfg}", f"w1={other}"])
    [f] = by_rule(r)["ND011"]  # the flag does not name the gate: the file's false stands
    assert f.path == "kubelet.w1.featureGates.RotateKubeletServerCertificate"
    fixed = _w(tmp_path, "cmdline2", "kubelet --feature-gates=Foo=true,RotateKubeletServerCertificate=true\n")
    assert _status(scan([], [f"w1={cfg}", f"w1={fixed}"]), "ND011").status == "PASS"


def test_flags_without_their_configuration_file_are_unknown_not_flag_defaults(tmp_path):
    cmd = _w(tmp_path, "cmdline", b"/usr/bin/kubelet\0--config=/var/lib/kubelet/config.yaml\0")
    r = scan([], [f"w1={cmd}"])
    assert _status(r, "ND001").status == "UNKNOWN"
    assert "--config=/var/lib/kubelet/config.yaml" in reason(r, "ND001") and "--node-config" in reason(r, "ND001")
    assert _status(r, "ND007").status == "PASS"  # the whole command line is known: no override
    env = _w(tmp_path, "kubeadm-flags.env", KUBEADM_ENV)
    r = scan([], [f"w1={env}"])
    assert _status(r, "ND007").status == "UNKNOWN" and "only a part" in reason(r, "ND007")
    plain = _w(tmp_path, "bare", "kubelet --anonymous-auth=false\n")  # no config file: the flag defaults
    assert _status(scan([], [f"w1={plain}"]), "ND004").status == "FAIL"  # --read-only-port defaults to 10255


def test_configz_is_already_the_merge_and_wins(tmp_path):
    configz = DATA / "kubelet-configz-hardened.json"
    cmd = _w(tmp_path, "cmdline", "kubelet --read-only-port=10255 --hostname-override=x\n")
    r = scan([], [f"w1={configz}", f"w1={cmd}"])
    assert _status(r, "ND004").status == "PASS"  # the running kubelet reports 0
    assert [f.path for f in by_rule(r)["ND007"]] == ["kubeletFlags.w1.args[1]"]


def test_a_pod_run_kubelet_merges_with_its_nodes_configuration(tmp_path):
    pod = _w(tmp_path, "kubelet-pod.yaml", """apiVersion: v1
kind: Pod
metadata: {name: kubelet-w1, namespace: kube-system}
spec:
  nodeName: w1
  containers:
  - name: kubelet
    image: registry.k8s.io/kubelet:v1.31.2
    command: [kubelet, --config=/var/lib/kubelet/config.yaml, --read-only-port=10255]
""")
    r = scan([pod], [f"w1={DATA / 'kubelet-config-hardened.yaml'}"])
    [f] = by_rule(r)["ND004"]
    assert f.kind == "Pod" and f.path == "spec.containers[0].command[2]"
    assert _status(r, "ND001").status == "PASS"  # not UNKNOWN: the Pod's --config file is given
    anonymous = _w(tmp_path, "config.yaml", KC + "authentication:\n  anonymous: {enabled: true}\n")
    [a] = by_rule(scan([pod], [f"w1={anonymous}"]))["ND001"]  # decided by the file: the cluster, not the Pod
    assert (a.kind, a.path, a.container) == ("Cluster", "kubelet.w1.authentication.anonymous.enabled", None)


@pytest.mark.parametrize("text, message", [
    ("ExecStart=/usr/bin/kubelet '--unbalanced\n", "cannot split"),
])
def test_bad_flag_files_are_one_line(tmp_path, text, message):
    report = CollectionReport()
    attach_node_configs([f"w1={_w(tmp_path, 'u.conf', text)}"], {"c": ClusterFacts(name="c")}, report, "c")
    [issue] = report.issues
    assert message in issue.one_line() and "u.conf" in issue.one_line()


def test_static_pod_url_credentials_in_flags_and_files_are_never_kept(tmp_path):
    cmd = _w(tmp_path, "cmdline", "kubelet --manifest-url=https://pods:hunter2@example.com/pods "
                                  "--manifest-url-header 'Authorization:Bearer s3cr3t,X-Trace:abc'\n")
    cfg = _w(tmp_path, "config.yaml", KC + "staticPodURL: https://pods:hunter2@example.com/pods\n")
    out = attach_node_configs([f"w1={cmd}", f"w2={cfg}"], {"c": ClusterFacts(name="c")}, CollectionReport(), "c")
    facts = out["c"].facts
    text = repr(facts)
    assert "hunter2" not in text and "s3cr3t" not in text and "abc" not in text
    assert facts["kubeletFlags"]["w1"]["args"] == [
        "--manifest-url=https://pods:<present; value not kept>@example.com/pods", "--manifest-url-header",
        "Authorization:<present; value not kept>,X-Trace:<present; value not kept>"]
    assert facts["kubelet"]["w2"]["staticPodURL"] == "https://pods:<present; value not kept>@example.com/pods"

"""Component command lines parsed as the components parse them (rules/_helpers/flags.py)."""

from __future__ import annotations

import pytest

from kubeguard.rules._helpers.flags import (
    ETCD, KUBE_APISERVER, KUBE_CONTROLLER_MANAGER, KUBELET, FlagError, format_seconds, loopback, parse,
    parse_duration, runs, split_list, weak_ciphers,
)

BASE = ("spec", "containers", 0)


def cl(*words: str, spec=KUBE_APISERVER, **container):
    return parse(spec, {"command": [spec.binaries[0], *words], **container}, BASE)


def test_equals_and_space_forms_give_the_same_value_and_path():
    eq = cl("--token-auth-file=/etc/tokens.csv")["token-auth-file"]
    sp = cl("--token-auth-file", "/etc/tokens.csv")["token-auth-file"]
    assert eq.raw == sp.raw == "/etc/tokens.csv"
    assert eq.path == BASE + ("command", 1)
    assert sp.path == BASE + ("command", 2)  # the value's entry


def test_last_occurrence_wins_for_scalars():
    s = cl("--profiling=false", "--anonymous-auth=false", "--profiling=true")["profiling"]
    assert s.boolean() is True
    assert s.path == BASE + ("command", 3)


def test_bare_boolean_is_true_and_does_not_take_the_next_word():
    flags = cl("--anonymous-auth", "false", "--profiling=false")
    assert flags["anonymous-auth"].boolean() is True
    assert flags["anonymous-auth"].shown() == "--anonymous-auth (bare, true)"
    assert flags.positional == ("false",)  # pflag leaves it as a stray argument
    assert flags["profiling"].boolean() is False


def test_non_boolean_flag_takes_the_next_word_even_with_a_dash():
    assert cl("--audit-log-path", "-")["audit-log-path"].raw == "-"
    assert cl("--request-timeout", "-1s")["request-timeout"].raw == "-1s"


def test_unknown_flag_followed_by_a_flag_is_bare():
    flags = cl("--some-new-switch", "--profiling=false")
    assert flags["some-new-switch"].raw == "true"
    assert flags["profiling"].boolean() is False


def test_list_flags_read_csv_and_repeats_append():
    s = cl("--authorization-mode=Node", "--authorization-mode", "RBAC,Webhook")["authorization-mode"]
    assert s.items() == ["Node", "RBAC", "Webhook"]
    assert s.path == BASE + ("command", 3)
    assert cl("--tls-cipher-suites=A, B ,,C")["tls-cipher-suites"].items() == ["A", "B", "C"]
    assert split_list('"A,B",C') == ["A,B", "C"]  # a quoted CSV field keeps its comma


def test_quoted_values_lose_one_pair_of_matching_quotes():
    assert cl('--authorization-mode="Node,RBAC"')["authorization-mode"].items() == ["Node", "RBAC"]
    assert cl("--audit-log-path='/var/log/a.log'")["audit-log-path"].raw == "/var/log/a.log"
    assert cl('--anonymous-auth="false"')["anonymous-auth"].boolean() is False
    assert cl('--audit-log-path="/x\'')["audit-log-path"].raw == '"/x\''  # unmatched: kept


def test_defaults_by_absence_and_messages_say_default():
    flags = cl("--secure-port=6443")
    assert flags["anonymous-auth"].boolean() is True
    assert flags["authorization-mode"].items() == ["AlwaysAllow"]
    assert flags["service-account-lookup"].boolean() is True
    assert flags["request-timeout"].seconds() == 60
    assert flags["profiling"].shown() == "--profiling not set (default true)"
    assert flags["token-auth-file"].shown() == "--token-auth-file not set"
    assert flags["profiling"].path == BASE  # absent: the container
    assert not flags["profiling"].is_set


def test_feature_gates_merge_key_by_key():
    s = cl("--feature-gates=A=true,RotateKubeletServerCertificate=true",
           "--feature-gates=RotateKubeletServerCertificate=false", spec=KUBE_CONTROLLER_MANAGER)["feature-gates"]
    assert s.mapping() == {"A": True, "RotateKubeletServerCertificate": False}
    with pytest.raises(FlagError, match="not key=value"):
        cl("--feature-gates=Broken", spec=KUBE_CONTROLLER_MANAGER)["feature-gates"].mapping()


def test_go_bools_and_invalid_values():
    for text, want in (("1", True), ("t", True), ("TRUE", True), ("0", False), ("F", False), ("False", False)):
        assert cl(f"--profiling={text}")["profiling"].boolean() is want
    with pytest.raises(FlagError, match="--profiling=yes is not a boolean"):
        cl("--profiling=yes")["profiling"].boolean()
    with pytest.raises(FlagError, match="not an integer"):
        cl("--audit-log-maxage=thirty")["audit-log-maxage"].integer()


def test_args_only_and_command_plus_args():
    image = "registry.k8s.io/kube-apiserver:v1.31.2"
    flags = parse(KUBE_APISERVER, {"image": image, "args": ["--profiling=false"]}, BASE)
    assert flags["profiling"].boolean() is False and flags["profiling"].path == BASE + ("args", 0)
    flags = parse(KUBE_APISERVER, {"command": ["/usr/local/bin/kube-apiserver"], "args": ["--profiling=false"]}, BASE)
    assert flags["profiling"].path == BASE + ("args", 0)
    flags = parse(KUBE_APISERVER, {"command": ["/hyperkube", "apiserver", "--profiling=false"]}, BASE)
    assert flags["profiling"].boolean() is False


def test_shell_script_command_is_split_like_a_shell():
    script = "exec kube-apiserver --audit-log-path='/var/log/a b.log' --profiling=false && true"
    c = {"command": ["/bin/sh", "-c", script]}
    assert runs(KUBE_APISERVER, c)
    flags = parse(KUBE_APISERVER, c, BASE)
    assert flags["audit-log-path"].raw == "/var/log/a b.log"
    assert flags["profiling"].path == BASE + ("command", 2)
    assert not runs(KUBE_APISERVER, {"command": ["/bin/sh", "-c", "echo kube-apiserver-ready"]})


def test_kubernetes_variable_expansion():
    c = {"command": ["kube-apiserver", "--audit-log-path=$(LOG_DIR)/audit.log", "--advertise-address=$$(HOST)",
                     "--token-auth-file=$(UNSET)"], "env": [{"name": "LOG_DIR", "value": "/var/log"}]}
    flags = parse(KUBE_APISERVER, c, BASE)
    assert flags["audit-log-path"].raw == "/var/log/audit.log"
    assert flags["advertise-address"].raw == "$(HOST)"  # $$ escapes
    assert flags["token-auth-file"].raw == "$(UNSET)"  # undefined: left as written


def test_double_dash_ends_flags():
    flags = cl("--profiling=false", "--", "--anonymous-auth=false")
    assert not flags.has("anonymous-auth")


def test_etcd_go_flag_syntax_environment_and_stop_at_first_argument():
    flags = parse(ETCD, {"command": ["etcd", "-client-cert-auth", "--auto-tls=false", "stray", "--peer-auto-tls=true"],
                         "env": [{"name": "ETCD_PEER_AUTO_TLS", "value": "false"},
                                 {"name": "ETCD_CERT_FILE", "value": "/pki/server.crt"},
                                 {"name": "ETCD_AUTO_TLS", "value": "true"},
                                 {"name": "ETCD_KEY_FILE", "valueFrom": {"secretKeyRef": {"name": "x", "key": "y"}}}]},
                  BASE)
    assert flags["client-cert-auth"].boolean() is True
    assert flags["auto-tls"].boolean() is False  # the flag shadows ETCD_AUTO_TLS
    assert flags["peer-auto-tls"].boolean() is False  # after "stray" Go stops parsing, so the variable decides
    assert flags["peer-auto-tls"].path == BASE + ("env", 0, "value")
    assert flags["cert-file"].shown() == "--cert-file=/pki/server.crt (from the environment)"
    assert flags["key-file"].raw == "$(ETCD_KEY_FILE)"  # set, value not readable


def test_durations_and_addresses():
    assert parse_duration("4h0m0s", "x") == 14400
    assert parse_duration("1.5h", "x") == 5400
    assert parse_duration("300ms", "x") == 0.3
    assert parse_duration("0", "x") == 0
    for bad in ("5", "1d", "", "4h0m0"):
        with pytest.raises(FlagError):
            parse_duration(bad, "x")
    assert [format_seconds(s) for s in (0, 60, 300, 14400, 0.5)] == ["0s", "1m0s", "5m0s", "4h0m0s", "0.5s"]
    assert all(loopback(a) for a in ("127.0.0.1", "127.0.0.1:10249", "::1", "[::1]:10249", "localhost"))
    assert not any(loopback(a) for a in ("0.0.0.0", ":10249", "", "[::]:10249", "192.0.2.1"))


def test_kubelet_flag_defaults_are_the_legacy_ones():
    flags = parse(KUBELET, {"command": ["kubelet", "--kubeconfig=/etc/kubernetes/kubelet.conf"]}, BASE)
    assert flags["anonymous-auth"].boolean() is True
    assert flags["authorization-mode"].raw == "AlwaysAllow"
    assert flags["read-only-port"].integer() == 10255


def test_weak_ciphers_keep_order():
    assert weak_ciphers(["A", "B", "C"], ["B"]) == ["A", "C"]


def test_only_a_word_in_command_position_is_the_binary():
    csi = {"command": ["/csi-node-driver", "--root-dir", "/var/lib/kubelet", "--kubelet-registration-path=/x"]}
    assert not runs(KUBELET, csi)
    assert runs(KUBELET, {"command": ["/usr/bin/tini", "--", "/usr/local/bin/kubelet", "--v=2"]})
    assert runs(KUBELET, {"command": ["env", "GOMAXPROCS=2", "kubelet"]})
    assert runs(KUBELET, {"command": ["sh", "-ec", "mkdir -p /x; exec kubelet --v=2"]})
    assert not runs(KUBELET, {"command": ["sh", "-c", "cp /bin/kubelet /host/bin"]})
    assert runs(KUBE_APISERVER, {"args": ["kube-apiserver", "--profiling=false"]})  # a wrapper entrypoint's argument
    kops = {"command": ["/go-runner", "--log-file=/var/log/kube-apiserver.log", "--also-stdout",
                        "/usr/local/bin/kube-apiserver", "--anonymous-auth=false"]}
    assert parse(KUBE_APISERVER, kops, BASE)["anonymous-auth"].path == BASE + ("command", 4)
    assert not runs(KUBE_APISERVER, {"command": ["/bin/promtail", "--config=/x", "kube-apiserver"]})


def test_integers_follow_go_base_prefixes():
    assert cl("--audit-log-maxage=0x1e")["audit-log-maxage"].integer() == 30
    assert cl("--audit-log-maxage=036")["audit-log-maxage"].integer() == 30

"""The live path end to end through the CLI: reports, snapshots, exit codes, and no Secret value anywhere."""

from __future__ import annotations

import base64
import gzip
import json

from .conftest import dead_url, kg, write_kubeconfig
from .fakeapi import BUILTIN, ROLLOUT, obj, pod_template

CANARY = "kg-canary-1b7e5d93f0"
CANARY_B64 = base64.b64encode(CANARY.encode()).decode()


def secret_objects() -> list[dict]:
    last_applied = json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db", "namespace": "shop"},
                               "stringData": {"password": CANARY}})
    return [
        obj("v1", "Namespace", "shop"),
        obj("v1", "Secret", "db", "shop", type="Opaque", data={"password": CANARY_B64, "user": "YWRtaW4="},
            metadata={"annotations": {"kubectl.kubernetes.io/last-applied-configuration": last_applied,
                                      "team": "payments"}}),
        obj("apps/v1", "Deployment", "web", "shop", spec={"template": pod_template(privileged=True)}),
    ]


def test_no_secret_value_in_any_output(fake, tmp_path):
    honest = fake(secret_objects(), BUILTIN, token="t")  # answers PartialObjectMetadataList
    ignorant = fake(secret_objects(), BUILTIN, token="t", honour_metadata_accept=False)  # sends the values
    garbled = fake(secret_objects(), BUILTIN, token="t",  # a broken body that contains the value
                   broken={"secrets": '{"kind": "SecretList", "items": [{"data": {"password": "' + CANARY})
    kc = write_kubeconfig(tmp_path / "config", {n: {"server": c.url, "token": "t"} for n, c in
                                                (("honest", honest), ("ignorant", ignorant), ("garbled", garbled))},
                          current="honest")
    env = {"KUBECONFIG": str(kc)}
    out = {f: tmp_path / f"report.{f}" for f in ("json", "sarif", "junit", "table")}
    scan = kg("scan", "--all-contexts", "--include-passed", *[a for f, p in out.items() for a in ("-f", f"{f}={p}")],
              env=env)
    assert scan.returncode == 0, scan.stderr
    snap = tmp_path / "fleet.snapshot.json.gz"
    coll = kg("collect", "--all-contexts", "-o", str(snap), env=env)
    assert coll.returncode == 0, coll.stderr
    rescan = kg("scan", str(snap), "-f", "json", "--include-passed")
    texts = {**{str(p): p.read_text() for p in out.values()}, "snapshot": gzip.decompress(snap.read_bytes()).decode(),
             "scan stdout+stderr": scan.stdout + scan.stderr, "collect output": coll.stdout + coll.stderr,
             "rescan": rescan.stdout + rescan.stderr}
    for where, text in texts.items():
        assert CANARY not in text and CANARY_B64 not in text, f"Secret value leaked into {where}"
    # metadata-only was asked for every Secrets list
    for c in (honest, ignorant):
        accepts = [h["accept"] for p, _, h in c.requests if p.endswith("/secrets")]
        assert accepts and all("as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" in a for a in accepts)
    # the Secret is still there for rules: metadata (without last-applied), and key names when the server sent them
    snapshot = json.loads(texts["snapshot"])
    secrets = {c["name"]: [o for o in c["objects"] if o["kind"] == "Secret"] for c in snapshot["clusters"]}
    assert secrets["honest"][0]["metadata"]["annotations"] == {"team": "payments"}
    assert "data" not in secrets["honest"][0]
    assert sorted(secrets["ignorant"][0]["data"]) == ["password", "user"]
    assert secrets["garbled"] == []
    assert snapshot["clusters"][2]["collection"]["unavailable"] == {"Secret": "the response is not valid JSON"}


def test_snapshot_scan_equals_live_scan(fake, tmp_path):
    objects = secret_objects() + [
        obj("argoproj.io/v1alpha1", "Rollout", "canary", "shop", spec={"template": pod_template(privileged=True)}),
        obj("v1", "Node", "n1", spec={"providerID": "gce://proj/europe-west4-a/n1"},
            metadata={"labels": {"cloud.google.com/gke-nodepool": "pool-1"}},
            status={"nodeInfo": {"osImage": "Container-Optimized OS from Google", "kernelVersion": "6.1.100+",
                                 "containerRuntimeVersion": "containerd://1.7.22", "kubeletVersion": "v1.31.1-gke.1"}}),
        obj("apps/v1", "DaemonSet", "anetd", "kube-system", spec={"template": pod_template()}),
    ]
    c = fake(objects, BUILTIN + (ROLLOUT,), token="t", forbidden=("roles",), git_version="v1.31.1-gke.1678000",
             configz={"n1": {"readOnlyPort": 0, "authentication": {"anonymous": {"enabled": False}}}})
    kc = write_kubeconfig(tmp_path / "config", {"gke-prod": {"server": c.url, "token": "t"},
                                                "gone": {"server": dead_url()}}, current="gke-prod")
    env = {"KUBECONFIG": str(kc)}
    live = kg("scan", "--all-contexts", "-f", "json", "--include-passed", env=env)
    snap = tmp_path / "fleet.snapshot.json.gz"
    assert kg("collect", "--all-contexts", "-o", str(snap), env=env).returncode == 0
    offline = kg("scan", str(snap), "-f", "json", "--include-passed")
    assert live.returncode == offline.returncode == 0, live.stderr + offline.stderr
    a, b = json.loads(live.stdout), json.loads(offline.stdout)
    assert a["inputs"]["mode"] == "live" and b["inputs"]["mode"] == "snapshot"
    assert a["findings"] and a["findings"] == b["findings"]
    assert a["ruleResults"] == b["ruleResults"]
    assert a["collection"]["unavailable"] == b["collection"]["unavailable"] == {
        "gke-prod": {"Role": "forbidden (403)"}, "gone": {"*": "connection refused"}}
    assert any(f["kind"] == "Rollout" and f["rule"] == "WL001" for f in a["findings"])
    facts = {cl["name"]: cl for cl in a["clusters"]}
    assert {cl["name"]: cl["facts"] for cl in b["clusters"]} == {n: cl["facts"] for n, cl in facts.items()}
    gke = facts["gke-prod"]
    assert gke["provider"] == "gke" and gke["kubernetesVersion"] == "v1.31.1-gke.1678000"
    assert gke["facts"]["cni"]["name"] == "gke-dataplane-v2" and gke["facts"]["cni"]["networkPolicyEnforcement"]
    assert gke["facts"]["nodes"][0]["osImage"] == "Container-Optimized OS from Google"
    assert gke["facts"]["kubelet"]["n1"]["readOnlyPort"] == 0
    unknown = [rr for rr in a["ruleResults"] if rr["cluster"] == "gone"]
    assert unknown and all(rr["status"] == "UNKNOWN" for rr in unknown)


def test_exit_codes_and_one_line_errors(fake, tmp_path):
    c = fake(secret_objects(), BUILTIN, token="t", forbidden=("secrets",))
    kc = write_kubeconfig(tmp_path / "config", {"ok": {"server": c.url, "token": "t"},
                                                "gone": {"server": dead_url()}}, current="ok")
    env = {"KUBECONFIG": str(kc)}
    p = kg("scan", "--context", "ok", "--context", "gone", env=env)
    assert p.returncode == 0 and "Traceback" not in p.stderr
    assert "cluster gone: not collected: connection refused" in p.stderr
    assert "cluster ok, secrets: cannot list secrets: forbidden (403)" in p.stderr
    assert "gone" in p.stdout and "Not evaluated" in p.stdout  # the table says what was not collected
    assert kg("scan", "--all-contexts", "--strict", env=env).returncode == 3
    assert kg("collect", "--context", "ok", "-o", str(tmp_path / "s.json.gz"), "--strict", env=env).returncode == 3
    only_dead = kg("scan", "--context", "gone", env=env)
    assert only_dead.returncode == 3 and "Traceback" not in only_dead.stderr
    usage = kg("scan", "--context", "nope", env=env)
    assert usage.returncode == 2 and "context 'nope' not found" in usage.stderr
    mixed = kg("scan", str(tmp_path), "--context", "ok", env=env)
    assert mixed.returncode == 2 and "do not give PATHs" in mixed.stderr

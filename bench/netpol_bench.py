"""NetworkPolicy reachability benchmark: kubeguard's engine next to network-config-analyzer (NCA).

Generates deterministic synthetic clusters (namespaces, workloads with replicas, policies of the
usual shapes: default deny, DNS egress, per-workload ingress from pods/namespaces on numbered and
named ports, egress to other tiers and ipBlocks) and times:

  small   400 pods, 100 policies: the full pod-level matrix (JSON rows written out) with kubeguard,
          and ``nca --connectivity --output_endpoints pods`` on the same files when NCA is installed
          (``.venv-nca/bin/nca`` or KUBEGUARD_NCA); prints the speed-up
  large   10,000 pods, 2,000 policies: graph build, the complete matrix as cell rectangles, and the
          number of allowed pod pairs it covers (writing 100 M pod pairs out is not the point)

    .venv/bin/python bench/netpol_bench.py               # both sizes, NCA when present
    .venv/bin/python bench/netpol_bench.py --no-nca      # kubeguard only
    .venv/bin/python bench/netpol_bench.py --pods 2000 --policies 500 --only large
"""

from __future__ import annotations

import argparse
import resource
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.nca_io import find_nca, pod_connections, run_connectivity, write_inputs  # noqa: E402
from kubeguard.collect.files import read_paths  # noqa: E402
from kubeguard.graph.network import _bits, build  # noqa: E402
from kubeguard.graph.network_matrix import build_matrix  # noqa: E402
from kubeguard.model import ClusterFacts, Inventory, K8sObject  # noqa: E402
from kubeguard.report.netpol_matrix import render_matrix  # noqa: E402
from kubeguard.model.inventory import ClusterInventory  # noqa: E402

TIERS = ("web", "api", "worker", "db", "cache")
PORTS = {"web": (8080, "http"), "api": (9000, "grpc"), "worker": (7000, "metrics"), "db": (5432, "pg"),
         "cache": (6379, "redis")}


def generate(n_pods: int, n_policies: int, replicas: int, seed: int = 42) -> tuple[list[dict], list[dict], list[dict]]:
    """(namespaces, pods, policies) as plain dicts; replicas share labels like a real controller's pods."""
    r = random.Random(seed)
    n_workloads = max(1, n_pods // replicas)
    n_ns = max(2, n_workloads // 10)
    namespaces = [{"apiVersion": "v1", "kind": "Namespace",
                   "metadata": {"name": f"ns{i}", "labels": {"team": f"t{i % 7}", "env": r.choice(("prod", "dev"))}}}
                  for i in range(n_ns)]
    pods, workloads = [], []
    for w in range(n_workloads):
        ns, tier = f"ns{w % n_ns}", r.choice(TIERS)
        port, pname = PORTS[tier]
        labels = {"app": f"app{w}", "tier": tier, "version": r.choice(("v1", "v2"))}
        workloads.append((ns, labels))
        for k in range(replicas):
            pods.append({"apiVersion": "v1", "kind": "Pod",
                         "metadata": {"name": f"app{w}-{k}", "namespace": ns,
                                      "labels": {**labels, "pod-template-hash": f"h{w}"},
                                      "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                                           "name": f"app{w}-h{w}", "uid": f"rs-{w}",
                                                           "controller": True}]},
                         "spec": {"containers": [{"name": "c", "image": f"img/{tier}:1", "ports": [
                             {"containerPort": port, "name": pname}, {"containerPort": 9090, "name": "prom"}]}]}})
    policies = []
    for i in range(n_policies):
        kind = i % 10
        if kind == 0 and (i // 10) % 2 == 0 and i // 10 < n_ns:  # default deny in every other namespace
            ns = f"ns{i // 10}"
            spec = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        elif kind in (0, 1):  # DNS plus everything inside the namespace
            ns = f"ns{r.randrange(n_ns)}"
            spec = {"podSelector": {}, "policyTypes": ["Egress"], "egress": [
                {"to": [{"namespaceSelector": {"matchLabels": {"team": "t0"}}}],
                 "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
                {"to": [{"podSelector": {}}]}]}
        elif kind in (2, 3):
            ns = f"ns{r.randrange(n_ns)}"
            tier = r.choice(TIERS)
            spec = {"podSelector": {"matchLabels": {"tier": tier}}, "policyTypes": ["Egress"], "egress": [
                {"to": [{"podSelector": {"matchLabels": {"tier": r.choice(TIERS)}}}],
                 "ports": [{"port": PORTS[tier][0]}]},
                {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8", "169.254.169.254/32"]}}],
                 "ports": [{"port": 443}]}]}
        else:  # per-workload ingress: several rules, each with a few peers and ports, like hand-written policies
            ns, labels = workloads[r.randrange(len(workloads))]
            spec = {"podSelector": {"matchLabels": {"app": labels["app"]}}, "policyTypes": ["Ingress"],
                    "ingress": [{"from": [_peer(r) for _ in range(r.randint(2, 3))],
                                 "ports": [_port(r) for _ in range(r.randint(1, 3))]}
                                for _ in range(r.randint(2, 3))]}
        policies.append({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                         "metadata": {"name": f"np{i}", "namespace": ns}, "spec": spec})
    return namespaces, pods, policies


def _peer(r: random.Random) -> dict:
    k = r.random()
    if k < 0.3:
        return {"podSelector": {"matchLabels": {"tier": r.choice(TIERS), "version": r.choice(("v1", "v2"))}}}
    if k < 0.6:
        return {"namespaceSelector": {"matchExpressions": [{"key": "team", "operator": "NotIn",
                                                            "values": [f"t{r.randrange(7)}"]}]},
                "podSelector": {"matchLabels": {"tier": r.choice(TIERS)}}}
    if k < 0.8:
        return {"namespaceSelector": {"matchLabels": {"env": r.choice(("prod", "dev"))}}}
    b = r.randrange(256)
    return {"ipBlock": {"cidr": f"10.{b}.0.0/16", "except": [f"10.{b}.{r.randrange(256)}.0/24"]}}


def _port(r: random.Random) -> dict:
    k = r.random()
    if k < 0.4:
        return {"port": r.choice((80, 443, 8080, 9000, 5432))}
    if k < 0.7:
        return {"port": r.choice(("http", "grpc", "metrics", "pg", "redis", "prom"))}
    lo = r.choice((1000, 3000, 8000))
    return {"port": lo, "endPort": lo + r.choice((10, 100, 999))}


def kubeguard_graph(docs: list[dict]):
    objs = [K8sObject.from_raw(d, "bench") for d in docs]
    return build(ClusterInventory(ClusterFacts("bench"), objs))


def time_small(n_pods: int, n_policies: int, replicas: int, nca: str | None, out: Path) -> None:
    namespaces, pods, policies = generate(n_pods, n_policies, replicas)
    d = out / "small"
    write_inputs(d, namespaces, pods, policies)
    t0 = time.process_time()
    ms = read_paths([str(d)], "bench")
    g = build(Inventory.build([ClusterFacts("bench")], ms.objects).cluster("bench"))
    t1 = time.process_time()
    m = build_matrix(g, "pod")
    t2 = time.process_time()
    data = render_matrix(m, "json")
    t3 = time.process_time()
    ours = t3 - t0
    allowed = sum(1 for i, j in m.pairs() if m.ports(i, j))
    print(f"small  {len(pods)} pods ({replicas} per workload), {len(policies)} policies, {g.cells.n} cells")
    print(f"  kubeguard  CPU: read+build {t1 - t0:.3f} s · matrix {t2 - t1:.3f} s · JSON {len(data) / 1e6:.1f} MB "
          f"{t3 - t2:.3f} s · total {ours:.3f} s · {allowed:,} of {sum(1 for _ in m.pairs()):,} pod pairs "
          f"allowed")
    c0, w0 = _child_cpu(), time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "kubeguard", "netpol", "matrix", str(d), "-f", "json", "-o",
                          str(out / "m.json")], capture_output=True, text=True, check=False)
    cli_cpu, wall = _child_cpu() - c0, time.perf_counter() - w0
    print(f"  kubeguard  CLI (interpreter start-up, YAML, matrix, JSON file): CPU {cli_cpu:.2f} s, wall {wall:.2f} s"
          + ("" if cli.returncode == 0 else f" (exit {cli.returncode}: {cli.stderr.strip()[-200:]})"))
    if nca is None:
        print("  NCA        not installed (python3 -m venv .venv-nca && .venv-nca/bin/pip install "
              "network-config-analyzer); skipped")
        return
    c0, w0 = _child_cpu(), time.perf_counter()
    proc = run_connectivity(nca, d)
    theirs, nca_wall = _child_cpu() - c0, time.perf_counter() - w0
    lines = sum(1 for line in proc.stdout.splitlines() if " => " in line)
    status = "" if proc.returncode == 0 else f" (exit {proc.returncode}: {proc.stderr.strip()[-200:]})"
    print(f"  NCA        CPU {theirs:.1f} s, wall {nca_wall:.1f} s · {lines:,} connection lines{status}")
    mine, other = g.connections(), pod_connections(proc.stdout)
    differ = sum(1 for k in set(mine) | set(other) if k[0] != k[1] and mine.get(k) != other.get(k))
    print(f"  agreement  {len(g.pods) * (len(g.pods) - 1) - differ:,} of {len(g.pods) * (len(g.pods) - 1):,} pod "
          f"pairs get the same ports from both")
    print(f"  speed-up   {theirs / ours:,.0f}x (CPU, engine to JSON), {theirs / cli_cpu:,.0f}x (CPU, command "
          f"against command)")


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_large(n_pods: int, n_policies: int, replicas: int) -> None:
    namespaces, pods, policies = generate(n_pods, n_policies, replicas)
    t0 = time.process_time()
    g = kubeguard_graph(namespaces + pods + policies)
    t1 = time.process_time()
    blocks = g.matrix_blocks()
    t2 = time.process_time()
    sizes = [len(ps) for ps in g.cells.pods]
    pairs = 0
    for s, d, _ in blocks:
        ns = sum(sizes[c] for c in _bits(s))
        nd = sum(sizes[c] for c in _bits(d))
        pairs += ns * nd
    t3 = time.process_time()
    print(f"large  {len(pods):,} pods ({replicas} per workload), {len(policies):,} policies, {g.cells.n:,} cells")
    print(f"  kubeguard  CPU: build {t1 - t0:.2f} s · whole matrix {t2 - t1:.2f} s ({len(blocks):,} rectangles) · "
          f"total {t2 - t0:.2f} s · {pairs:,} of {len(pods) ** 2:,} pod pairs allowed (counted in {t3 - t2:.2f} s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pods", type=int, default=10_000, help="pods in the large case")
    ap.add_argument("--policies", type=int, default=2_000, help="policies in the large case")
    ap.add_argument("--replicas", type=int, default=5, help="pods per workload in the large case")
    ap.add_argument("--small-replicas", type=int, default=1, help="pods per workload in the small case")
    ap.add_argument("--only", choices=("small", "large"))
    ap.add_argument("--no-nca", action="store_true", help="do not run network-config-analyzer")
    args = ap.parse_args()
    nca = None if args.no_nca else find_nca()
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "small"):
            time_small(400, 100, args.small_replicas, nca, Path(tmp))
        if args.only in (None, "large"):
            time_large(args.pods, args.policies, args.replicas)


if __name__ == "__main__":
    main()

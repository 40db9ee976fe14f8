"""RBAC benchmark: effective permissions of a synthetic cluster with N bindings (default 10k).

Prints one table of wall times for the steps the RBAC analysis takes on a realistic
shape: many namespaces, a RoleBinding per team per namespace (to a namespace Role, to
edit/view, or to a shared ClusterRole), ClusterRoleBindings to aggregated ClusterRoles,
ServiceAccounts bound as User ``system:serviceaccount:NS:NAME`` too, and workloads.

  build       graph construction (aggregation fixed point, binding resolution, indexes)
  grants      effective grants of every identity (subjects and ServiceAccounts)
  escalations every primitive for every identity (the RB rules' work)
  who-can     ten who-can questions over the whole cluster
  rules       a full ``run_scan`` with every RB rule, as ``kubeguard scan`` does

With ``--compare`` it also times the same subject -> binding -> role -> rule expansion
on a rustworkx (and networkx) digraph, the measurement behind the choice of plain dict
indexes in ``kubeguard.graph.rbac``.

    python bench/rbac_bench.py                 # 10k bindings
    python bench/rbac_bench.py --bindings 50000 --compare
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any, Callable

from kubeguard.graph.rbac import build
from kubeguard.graph.rbac_match import ANY_NAME, Request
from kubeguard.model import ClusterFacts, Inventory, K8sObject

RBAC = "rbac.authorization.k8s.io/v1"
VERBS = (["get", "list", "watch"], ["create", "update", "patch", "delete"], ["*"], ["get"])
RESOURCES = (["pods"], ["secrets"], ["configmaps", "services"], ["deployments"], ["pods/exec", "pods/log"],
             ["serviceaccounts/token"], ["*"], ["jobs", "cronjobs"], ["rolebindings"], ["endpoints"])


def synthetic(bindings: int, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    namespaces = max(10, bindings // 20)
    objs: list[dict[str, Any]] = []

    def rule() -> dict[str, Any]:
        res = rnd.choice(RESOURCES)
        group = "apps" if res == ["deployments"] else "batch" if res == ["jobs", "cronjobs"] else (
            "rbac.authorization.k8s.io" if res == ["rolebindings"] else "")
        r = {"apiGroups": [group], "resources": res, "verbs": rnd.choice(VERBS)}
        if rnd.random() < 0.1:
            r["resourceNames"] = [f"obj-{rnd.randrange(50)}"]
        return r

    for i in range(200):
        labels = {"example.com/aggregate-to-platform": "true"} if i % 10 == 0 else {}
        objs.append({"apiVersion": RBAC, "kind": "ClusterRole",
                     "metadata": {"name": f"cr-{i}", "labels": labels},
                     "rules": [rule() for _ in range(rnd.randint(1, 6))]})
    objs.append({"apiVersion": RBAC, "kind": "ClusterRole", "metadata": {"name": "platform"},
                 "aggregationRule": {"clusterRoleSelectors": [
                     {"matchLabels": {"example.com/aggregate-to-platform": "true"}}]}})
    made = 0
    for n in range(namespaces):
        ns = f"ns-{n}"
        objs.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        for r in range(4):
            objs.append({"apiVersion": RBAC, "kind": "Role", "metadata": {"name": f"role-{r}", "namespace": ns},
                         "rules": [rule() for _ in range(rnd.randint(1, 4))]})
        for s in range(10):
            objs.append({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": f"sa-{s}", "namespace": ns}})
        for d in range(5):
            objs.append({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": f"app-{d}", "namespace": ns},
                         "spec": {"template": {"spec": {"serviceAccountName": f"sa-{d}",
                                                        "containers": [{"name": "c", "image": "img:1"}]}}}})
        for b in range(20):
            if made >= bindings:
                break
            choice = rnd.random()
            if choice < 0.5:
                ref = {"kind": "Role", "name": f"role-{rnd.randrange(4)}"}
            elif choice < 0.8:
                ref = {"kind": "ClusterRole", "name": rnd.choice(["edit", "view", "admin"])}
            else:
                ref = {"kind": "ClusterRole", "name": f"cr-{rnd.randrange(200)}"}
            subj = rnd.choice([{"kind": "ServiceAccount", "name": f"sa-{rnd.randrange(10)}", "namespace": ns},
                               {"kind": "User", "name": f"user-{rnd.randrange(2000)}"},
                               {"kind": "Group", "name": f"team-{rnd.randrange(100)}"},
                               {"kind": "User", "name": f"system:serviceaccount:{ns}:sa-{rnd.randrange(10)}"}])
            objs.append({"apiVersion": RBAC, "kind": "RoleBinding", "metadata": {"name": f"rb-{b}", "namespace": ns},
                         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", **ref}, "subjects": [subj]})
            made += 1
    for c in range(max(0, bindings - made)):
        objs.append({"apiVersion": RBAC, "kind": "ClusterRoleBinding", "metadata": {"name": f"crb-{c}"},
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                                 "name": rnd.choice(["platform", f"cr-{rnd.randrange(200)}"])},
                     "subjects": [{"kind": "Group", "name": f"team-{rnd.randrange(100)}"}]})
    return objs


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def compare_graph_libraries(graph, identities) -> list[tuple[str, float, int]]:
    """The same expansion (identity keys -> bindings -> role -> rules) on library digraphs."""
    rows = []
    def dict_count():
        n = 0
        for ident in identities:
            seen = set()
            for k in ident.keys():
                for b in graph.bindings_naming(k):
                    if id(b) not in seen and b.role is not None:
                        seen.add(id(b))
                        n += len(b.role.rules)
        return n
    t, total = timed(dict_count)
    rows.append(("dict indexes count", t, total))
    t, total = timed(lambda: sum(len(graph.grants_for(i)) for i in identities))
    rows.append(("dict, Grant objects", t, total))
    try:
        import rustworkx as rx
    except ImportError:
        rx = None
    if rx is not None:
        def rx_build():
            g = rx.PyDiGraph()
            ids: dict[Any, int] = {}

            def node(key):
                if key not in ids:
                    ids[key] = g.add_node(key)
                return ids[key]
            for b in graph.bindings:
                if b.role is None:
                    continue
                bn = node(("b", id(b)))
                for s in b.subjects:
                    g.add_edge(node(s.key), bn, None)
                fresh = ("r", id(b.role)) not in ids
                rn = node(("r", id(b.role)))
                g.add_edge(bn, rn, None)
                if fresh:
                    for r in b.role.rules:
                        g.add_edge(rn, node(("p", id(r))), None)
            return g, ids
        tb, (g, ids) = timed(rx_build)

        def rx_expand():
            n = 0
            for ident in identities:
                seen = set()
                for k in ident.keys():
                    if k in ids:
                        for b in g.successor_indices(ids[k]):
                            if b not in seen:
                                seen.add(b)
                                for r in g.successor_indices(b):
                                    n += len(g.successor_indices(r))
            return n
        t, total = timed(rx_expand)
        rows.append(("rustworkx build", tb, g.num_edges()))
        rows.append(("rustworkx expand", t, total))
    try:
        import networkx as nx
    except ImportError:
        nx = None
    if nx is not None:
        def nx_build():
            g = nx.DiGraph()
            for b in graph.bindings:
                if b.role is None:
                    continue
                for s in b.subjects:
                    g.add_edge(s.key, ("b", id(b)))
                g.add_edge(("b", id(b)), ("r", id(b.role)))
                for r in b.role.rules:
                    g.add_edge(("r", id(b.role)), ("p", id(r)))
            return g
        tb, g = timed(nx_build)

        def nx_expand():
            n = 0
            for ident in identities:
                seen = set()
                for k in ident.keys():
                    if k in g:
                        for b in g.successors(k):
                            if b not in seen:
                                seen.add(b)
                                for r in g.successors(b):
                                    n += g.out_degree(r)
            return n
        t, total = timed(nx_expand)
        rows.append(("networkx build", tb, g.number_of_edges()))
        rows.append(("networkx expand", t, total))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bindings", type=int, default=10_000)
    ap.add_argument("--compare", action="store_true", help="also time rustworkx/networkx when installed")
    ap.add_argument("--no-rules", action="store_true", help="skip the full run_scan step")
    args = ap.parse_args()

    raw = synthetic(args.bindings)
    objects = [K8sObject.from_raw(o, "bench") for o in raw]
    inv = Inventory.build([ClusterFacts("bench", source="snapshot")], objects)
    cluster = inv.cluster("bench")
    n_bind = len(cluster.of_kind("RoleBinding", "ClusterRoleBinding"))
    rows: list[tuple[str, float, str]] = []
    t, graph = timed(lambda: build(cluster))
    rows.append(("build", t, f"{len(graph.roles):,} roles, {len(graph.bindings):,} bindings"))
    identities = graph.identities()
    t, total = timed(lambda: sum(len(graph.grants_for(i)) for i in identities))
    rows.append(("grants", t, f"{len(identities):,} identities, {total:,} grants"))
    esc = graph.escalations()
    t, total = timed(lambda: sum(len(esc.of(i)) for i in identities))
    rows.append(("escalations", t, f"{total:,} primitives held"))
    questions = [Request("get", "secrets", name=ANY_NAME, namespace=None),
                 Request("create", "pods", "exec", name=ANY_NAME, namespace="ns-3"),
                 Request("create", "deployments", group="apps", namespace=None),
                 Request("create", "serviceaccounts", "token", name=ANY_NAME, namespace=None),
                 Request("list", "pods", namespace="ns-1"), Request("get", path="/metrics"),
                 Request("impersonate", "serviceaccounts", name=ANY_NAME, namespace=None),
                 Request("bind", "clusterroles", group="rbac.authorization.k8s.io", name=ANY_NAME, namespace=""),
                 Request("patch", "namespaces", name="ns-2", namespace="ns-2"),
                 Request("delete", "configmaps", name=ANY_NAME, namespace=None)]
    t, total = timed(lambda: sum(len(graph.who_can(q)) for q in questions))
    rows.append(("who-can x10", t, f"{total:,} answers"))
    if not args.no_rules:
        from kubeguard.engine.run import ScanInput, run_scan
        from kubeguard.model.settings import Settings
        from kubeguard.rules._registry import default_registry

        reg = default_registry()
        rb = tuple(r.code for r in reg if r.code.startswith("RB"))
        t, result = timed(lambda: run_scan(ScanInput(inv), reg, Settings(include=rb, include_preview=True)))
        rows.append(("rules", t, f"{len(rb)} RB rules, {len(result.findings):,} findings"))
    print(f"RBAC benchmark: {n_bind:,} bindings, {len(objects):,} objects")
    print(f"{'step':<14}{'seconds':>10}  detail")
    for name, secs, detail in rows:
        print(f"{name:<14}{secs:>10.3f}  {detail}")
    if args.compare:
        print("\nexpansion subject -> binding -> role -> rule, every identity")
        for name, secs, count in compare_graph_libraries(build(cluster), identities):  # cold caches
            print(f"{name:<26}{secs:>10.3f}  {count:,}")


if __name__ == "__main__":
    main()

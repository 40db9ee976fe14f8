"""Random NetworkPolicy scenarios from a seed: namespaces, pods and policies exercising part A.

Used by the differential test against network-config-analyzer and by the
engine's self-consistency test (matrix vs per-pair explanation).  Every choice
comes from ``random.Random(seed)``, so a failing seed reproduces exactly.
"""

from __future__ import annotations

import random
from typing import Any

from .helpers import admin, netpol, ns, pod

KEYS = ("app", "tier", "env")
VALUES = ("a", "b", "c")
PORTS = ((80, "http", "TCP"), (8080, "http", "TCP"), (443, "https", "TCP"), (53, "dns", "UDP"),
         (5432, None, "TCP"), (9000, "metrics", "TCP"), (7000, None, "SCTP"), (53, "dns-tcp", "TCP"))
CIDRS = (("10.0.0.0/8", ["10.1.0.0/16"]), ("192.168.0.0/16", []), ("172.16.0.0/12", ["172.16.5.0/24"]),
         ("93.184.216.0/24", []), ("0.0.0.0/0", ["10.0.0.0/8"]))


def _labels(r: random.Random, n: int | None = None) -> dict[str, str]:
    n = r.randint(1, 2) if n is None else n
    return {k: r.choice(VALUES) for k in r.sample(KEYS, n)}


def _selector(r: random.Random, allow_expr: bool = True, key_ops: bool = True) -> dict[str, Any]:
    roll = r.random()
    if roll < 0.2:
        return {}
    if roll < 0.7 or not allow_expr:
        return {"matchLabels": _labels(r, 1)}
    op = r.choice(("In", "NotIn", "Exists", "DoesNotExist") if key_ops else ("In", "NotIn"))
    e: dict[str, Any] = {"key": r.choice(KEYS), "operator": op}
    if op in ("In", "NotIn"):
        e["values"] = r.sample(VALUES, r.randint(1, 2))
    return {"matchExpressions": [e]}


def _peer(r: random.Random, ip_blocks: bool, nca_safe: bool) -> dict[str, Any]:
    roll = r.random()
    if roll < 0.35:
        return {"podSelector": _selector(r)}
    if roll < 0.6:
        return {"namespaceSelector": _selector(r)}
    if roll < 0.85 or not ip_blocks:
        return {"namespaceSelector": _selector(r), "podSelector": _selector(r, key_ops=not nca_safe)}
    cidr, excepts = r.choice(CIDRS)
    block: dict[str, Any] = {"cidr": cidr}
    if excepts:
        block["except"] = excepts
    return {"ipBlock": block}


def _port(r: random.Random) -> dict[str, Any]:
    roll = r.random()
    if roll < 0.45:
        num, _, proto = r.choice(PORTS)
        d: dict[str, Any] = {"port": num}
        if proto != "TCP" or r.random() < 0.3:
            d["protocol"] = proto
        return d
    if roll < 0.7:
        _, name, proto = r.choice([p for p in PORTS if p[1]])
        d = {"port": name}
        if proto != "TCP":
            d["protocol"] = proto
        return d
    if roll < 0.85:
        lo = r.choice((80, 440, 5000, 8000))
        return {"port": lo, "endPort": lo + r.choice((0, 5, 100, 1000))}
    return {"protocol": r.choice(("TCP", "UDP", "SCTP"))}


def _rule(r: random.Random, peer_key: str, ip_blocks: bool, nca_safe: bool) -> dict[str, Any]:
    rule: dict[str, Any] = {}
    roll = r.random()
    if roll < 0.15:
        pass  # any peer
    elif roll < 0.2:
        rule[peer_key] = []
    else:
        rule[peer_key] = [_peer(r, ip_blocks, nca_safe) for _ in range(r.randint(1, 2))]
    if r.random() < 0.7:
        rule["ports"] = [_port(r) for _ in range(r.randint(1, 3))]
    return rule


def _policy_spec(r: random.Random, ip_blocks: bool, nca_safe: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if r.random() < 0.85:
        spec["podSelector"] = _selector(r)
    shape = r.random()
    n_in, n_eg = r.randint(0, 2), r.randint(0, 2)
    if shape < 0.3:
        spec["policyTypes"] = ["Ingress"]
        spec["ingress"] = [_rule(r, "from", ip_blocks, nca_safe) for _ in range(n_in)]
    elif shape < 0.5:
        spec["policyTypes"] = ["Egress"]
        spec["egress"] = [_rule(r, "to", ip_blocks, nca_safe) for _ in range(n_eg)]
    elif shape < 0.75:
        spec["policyTypes"] = ["Ingress", "Egress"]
        spec["ingress"] = [_rule(r, "from", ip_blocks, nca_safe) for _ in range(n_in)]
        spec["egress"] = [_rule(r, "to", ip_blocks, nca_safe) for _ in range(n_eg)]
    else:  # policyTypes absent: defaulting decides (NP-07/08/09)
        if n_in:
            spec["ingress"] = [_rule(r, "from", ip_blocks, nca_safe) for _ in range(n_in)]
        if r.random() < 0.5:
            spec["egress"] = [_rule(r, "to", ip_blocks, nca_safe) for _ in range(n_eg)]
    return spec


def scenario(seed: int, n_ns: int = 3, n_pods: int = 8, n_policies: int = 6, ip_blocks: bool = True,
             pod_ips: bool = False, admin_policies: bool = False, nca_safe: bool = False) -> list[dict[str, Any]]:
    """``nca_safe``: no Exists/DoesNotExist in the podSelector of a peer that also has a namespaceSelector
    (network-config-analyzer scopes those to the policy's namespace; see test_differential_nca)."""
    r = random.Random(seed)
    names = [f"ns{i}" for i in range(n_ns)]
    docs: list[dict[str, Any]] = [ns(n, **_labels(r)) for n in names]
    for i in range(n_pods):
        ports = [(num, name, proto) for num, name, proto in r.sample(PORTS, r.randint(1, 3))]
        seen, uniq = set(), []
        for p in ports:  # a pod declares each port name once
            if p[1] in seen:
                p = (p[0], None, p[2])
            seen.add(p[1])
            uniq.append(p)
        docs.append(pod(r.choice(names), f"p{i}", _labels(r), uniq,
                        ip=f"10.{r.choice((0, 1, 2))}.{i}.{r.randint(2, 250)}" if pod_ips else None))
    for i in range(n_policies):
        docs.append(netpol(r.choice(names), f"np{i}", _policy_spec(r, ip_blocks, nca_safe)))
    if admin_policies:
        for i in range(r.randint(1, 2)):
            docs.append(admin("AdminNetworkPolicy", f"anp{i}", _admin_spec(r, baseline=False)))
        if r.random() < 0.7:
            docs.append(admin("BaselineAdminNetworkPolicy", "default", _admin_spec(r, baseline=True)))
    return docs


def _admin_peer(r: random.Random, direction: str) -> dict[str, Any]:
    roll = r.random()
    if roll < 0.4:
        return {"namespaces": _selector(r, False)}
    if roll < 0.8 or direction == "ingress":
        return {"pods": {"namespaceSelector": _selector(r, False), "podSelector": _selector(r, False)}}
    cidr, _ = r.choice(CIDRS)
    return {"networks": [cidr]}


def _admin_spec(r: random.Random, baseline: bool) -> dict[str, Any]:
    actions = ("Allow", "Deny") if baseline else ("Allow", "Deny", "Pass")
    spec: dict[str, Any] = {"subject": {"namespaces": _selector(r, False)} if r.random() < 0.6 else
                            {"pods": {"namespaceSelector": _selector(r, False), "podSelector": _selector(r, False)}}}
    if not baseline:
        spec["priority"] = r.randint(0, 20)
    for direction, key in (("ingress", "from"), ("egress", "to")):
        rules = []
        for _ in range(r.randint(0, 3)):
            rule: dict[str, Any] = {"action": r.choice(actions),
                                    key: [_admin_peer(r, direction) for _ in range(r.randint(1, 2))]}
            if r.random() < 0.6:
                num, name, proto = r.choice(PORTS)
                rule["ports"] = [{"portNumber": {"protocol": proto, "port": num}} if r.random() < 0.7 or not name
                                 else {"namedPort": name}]
            rules.append(rule)
        if rules:
            spec[direction] = rules
    return spec


# --- CNI policy CRDs ------------------------------------------------------------------------------

def _calico_sel(r: random.Random) -> str:
    k, v = r.choice(KEYS), r.choice(VALUES)
    return r.choice((f"{k} == '{v}'", f"{k} != '{v}'", f"has({k})", f"!has({k})", f"{k} in {{'{v}', 'c'}}", "all()"))


def _calico_entity(r: random.Random) -> dict[str, Any]:
    roll = r.random()
    if roll < 0.3:
        return {"selector": _calico_sel(r)}
    if roll < 0.5:
        return {"namespaceSelector": _calico_sel(r), "selector": _calico_sel(r)}
    if roll < 0.7:
        return {"nets": [r.choice(CIDRS)[0]]}
    return {}


def _calico_rule(r: random.Random, direction: str, undecided: bool) -> dict[str, Any]:
    rule: dict[str, Any] = {"action": r.choice(("Allow", "Allow", "Deny", "Pass", "Log"))}
    peer = "source" if direction == "ingress" else "destination"
    rule[peer] = _calico_entity(r)
    if r.random() < 0.6:
        num, name, proto = r.choice(PORTS)
        rule["protocol"] = proto
        dst = rule.setdefault("destination", {})
        dst["ports"] = [r.choice((num, name or num, f"{num}:{num + 10}"))]
        if r.random() < 0.2:
            dst["notPorts"] = [num]
    if undecided and r.random() < 0.2:
        rule["protocol"] = "TCP"
        rule["http"] = {"methods": ["GET"]}
    return rule


def calico_policies(r: random.Random, names: list[str], n: int, undecided: bool = True) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        glob = r.random() < 0.4
        spec: dict[str, Any] = {"selector": _calico_sel(r), "order": r.choice((100, 1000, 2000, None))}
        if spec["order"] is None:
            del spec["order"]
        for direction in ("ingress", "egress"):
            if r.random() < 0.6:
                spec[direction] = [_calico_rule(r, direction, undecided) for _ in range(r.randint(0, 3))]
        if r.random() < 0.3:
            spec["types"] = r.choice((["Ingress"], ["Egress"], ["Ingress", "Egress"]))
            for d, t in (("ingress", "Ingress"), ("egress", "Egress")):
                if t not in spec["types"]:
                    spec.pop(d, None)
        meta: dict[str, Any] = {"name": f"cal{i}"}
        if not glob:
            meta["namespace"] = r.choice(names)
        out.append({"apiVersion": "projectcalico.org/v3", "kind": "GlobalNetworkPolicy" if glob else "NetworkPolicy",
                    "metadata": meta, "spec": spec})
    return out


def _cilium_rule(r: random.Random, direction: str, deny: bool, undecided: bool) -> dict[str, Any]:
    pre = "from" if direction == "ingress" else "to"
    roll = r.random()
    rule: dict[str, Any] = {}
    if roll < 0.4:
        rule[f"{pre}Endpoints"] = [{"matchLabels": _labels(r, 1)}] if r.random() < 0.7 else \
            [{"matchLabels": {"k8s:io.kubernetes.pod.namespace": f"ns{r.randint(0, 2)}"}}]
    elif roll < 0.6:
        rule[f"{pre}Entities"] = [r.choice(("world", "cluster", "all", "host"))]
    elif roll < 0.75:
        rule[f"{pre}CIDR"] = [r.choice(CIDRS)[0]]
    if r.random() < 0.6 or not rule:
        num, name, proto = r.choice(PORTS)
        port: dict[str, Any] = {"port": str(num if deny or r.random() < 0.7 or not name else name), "protocol": proto}
        entry: dict[str, Any] = {"ports": [port]}
        if undecided and not deny and r.random() < 0.2:
            entry["rules"] = {"http": [{"method": "GET"}]}
        rule["toPorts"] = [entry]
    return rule


def cilium_policies(r: random.Random, names: list[str], n: int, undecided: bool = True) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        glob = r.random() < 0.3
        spec: dict[str, Any] = {"endpointSelector": {"matchLabels": _labels(r, 1)} if r.random() < 0.7 else {}}
        for key, direction, deny in (("ingress", "ingress", False), ("egress", "egress", False),
                                     ("ingressDeny", "ingress", True), ("egressDeny", "egress", True)):
            if r.random() < (0.5 if not deny else 0.25):
                spec[key] = [_cilium_rule(r, direction, deny, undecided) for _ in range(r.randint(1, 2))]
        if r.random() < 0.15:
            spec["enableDefaultDeny"] = {"ingress": False}
        meta: dict[str, Any] = {"name": f"cil{i}"}
        if not glob:
            meta["namespace"] = r.choice(names)
        out.append({"apiVersion": "cilium.io/v2",
                    "kind": "CiliumClusterwideNetworkPolicy" if glob else "CiliumNetworkPolicy",
                    "metadata": meta, "spec": spec})
    return out

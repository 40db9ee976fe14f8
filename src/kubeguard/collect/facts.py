"""Cluster facts derived from objects: provider, version, nodes, CNI, admission.

Pure functions over raw Kubernetes objects (JSON dicts), so the same detection
runs on a live collection, on a snapshot and on manifests.  Each fact carries
the evidence it was derived from, so a reader can check the guess.

Keys written to :attr:`ClusterFacts.facts`:

``providerEvidence``
    list of strings: why ``ClusterFacts.provider`` was chosen.
``version``
    the API server's ``/version`` (``gitVersion``, ``major``, ``minor``,
    ``platform``) when it was read.
``nodes``
    one entry per Node: ``name``, ``providerID``, ``osImage``,
    ``kernelVersion``, ``containerRuntimeVersion``, ``kubeletVersion``,
    ``operatingSystem``, ``architecture``, and when labelled ``nodePool``,
    ``zone``, ``instanceType``.
``cni``
    ``name`` (one of :data:`CNI_NAMES`), ``networkPolicyEnforcement``
    (``true``, ``false`` or ``null`` when it cannot be told), ``policyEngine``
    (what enforces NetworkPolicy when known: ``calico``, ``cilium``,
    ``aws-network-policy-agent``, ``azure-npm``, ``kube-router``, ``weave-npc``),
    ``enforcingMode`` (the VPC CNI agent's NETWORK_POLICY_ENFORCING_MODE: ``standard``
    or ``strict``) and ``evidence`` (list of strings).
``admission``
    ``podSecurity``: namespace -> {``enforce``, ``enforce-version``, ``audit``,
    ``audit-version``, ``warn``, ``warn-version``} as labelled (empty mapping
    for an unlabelled namespace); ``kyverno`` and ``gatekeeper``:
    {``installed``, ``evidence``, policy counts}; ``validatingAdmissionPolicies``
    and ``validatingAdmissionPolicyBindings``: names; ``validatingWebhooks`` and
    ``mutatingWebhooks``: configuration names.
``kubelet``
    node name -> the kubelet's effective configuration as returned by
    ``/api/v1/nodes/NAME/proxy/configz`` (written by the live collector).
``apiGroups``
    API groups the server serves (live) or the objects use (otherwise).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..model.cloud import ClusterFacts

CNI_NAMES = ("calico", "cilium", "aws-vpc-cni", "azure-npm", "azure-cilium", "gke-dataplane-v2", "flannel",
             "kube-router", "weave", "unknown")
PSA_LABEL = "pod-security.kubernetes.io/"
PSA_KEYS = ("enforce", "enforce-version", "audit", "audit-version", "warn", "warn-version")

Raw = Mapping[str, Any]


def _meta(o: Raw) -> Mapping[str, Any]:
    m = o.get("metadata")
    return m if isinstance(m, dict) else {}


def _labels(o: Raw) -> Mapping[str, str]:
    v = _meta(o).get("labels")
    return v if isinstance(v, dict) else {}


def _group(o: Raw) -> str:
    av = o.get("apiVersion")
    return av.rpartition("/")[0] if isinstance(av, str) and "/" in av else ""


def _index(objects: Iterable[Raw]) -> dict[str, list[Raw]]:
    by_kind: dict[str, list[Raw]] = {}
    for o in objects:
        k = o.get("kind")
        if isinstance(k, str):
            by_kind.setdefault(k, []).append(o)
    return by_kind


# --- provider ---------------------------------------------------------------------

_OPENSHIFT_GROUPS = ("config.openshift.io", "route.openshift.io", "security.openshift.io", "apps.openshift.io")


def detect_provider(nodes: list[Raw], git_version: str | None, api_groups: Iterable[str]) -> tuple[str, list[str]]:
    """The platform: ``eks aks gke openshift k3s kind other`` and the evidence.

    Distribution markers win over the cloud a node runs in (OpenShift on AWS is
    ``openshift``); a managed service is named from version strings, node
    labels, or the nodes' providerID scheme.
    """
    groups = set(api_groups)
    v = git_version or ""
    kubelet_versions = [str(_status(n).get("nodeInfo", {}).get("kubeletVersion") or "") for n in nodes]
    provider_ids = [str((n.get("spec") or {}).get("providerID") or "") for n in nodes]
    label_keys = {k for n in nodes for k in _labels(n)}

    os_groups = sorted(g for g in groups if g in _OPENSHIFT_GROUPS)
    if os_groups:
        return "openshift", [f"API group {os_groups[0]} is served"]
    if any(k.startswith("node.openshift.io/") for k in label_keys):
        return "openshift", ["node labels node.openshift.io/*"]
    if "+k3s" in v or any("+k3s" in kv for kv in kubelet_versions):
        return "k3s", [f"version {v or kubelet_versions[0]} carries +k3s"]
    if any(p.startswith("k3s://") for p in provider_ids):
        return "k3s", ["node providerID k3s://"]
    if any(p.startswith("kind://") for p in provider_ids):
        return "kind", ["node providerID kind://"]

    votes: dict[str, list[str]] = {"eks": [], "aks": [], "gke": []}
    if "-eks-" in v:
        votes["eks"].append(f"server version {v}")
    if "-gke." in v:
        votes["gke"].append(f"server version {v}")
    if any(k.startswith("eks.amazonaws.com/") for k in label_keys):
        votes["eks"].append("node labels eks.amazonaws.com/*")
    if any(k.startswith("kubernetes.azure.com/") for k in label_keys):
        votes["aks"].append("node labels kubernetes.azure.com/*")
    if any(k.startswith("cloud.google.com/gke-") for k in label_keys):
        votes["gke"].append("node labels cloud.google.com/gke-*")
    for scheme, name in (("aws://", "eks"), ("azure://", "aks"), ("gce://", "gke")):
        if any(p.startswith(scheme) for p in provider_ids):
            votes[name].append(f"node providerID {scheme}")
    best = max(votes, key=lambda k: len(votes[k]))
    if votes[best]:
        return best, votes[best]
    return "other", ["no provider marker in version, node labels or providerID"]


def _status(o: Raw) -> Mapping[str, Any]:
    s = o.get("status")
    return s if isinstance(s, dict) else {}


def node_facts(nodes: list[Raw]) -> list[dict[str, Any]]:
    out = []
    for n in nodes:
        info = _status(n).get("nodeInfo")
        info = info if isinstance(info, dict) else {}
        labels = _labels(n)
        entry: dict[str, Any] = {
            "name": _meta(n).get("name"),
            "providerID": (n.get("spec") or {}).get("providerID"),
            "osImage": info.get("osImage"),
            "kernelVersion": info.get("kernelVersion"),
            "containerRuntimeVersion": info.get("containerRuntimeVersion"),
            "kubeletVersion": info.get("kubeletVersion"),
            "operatingSystem": info.get("operatingSystem") or labels.get("kubernetes.io/os"),
            "architecture": info.get("architecture") or labels.get("kubernetes.io/arch"),
        }
        pool = (labels.get("eks.amazonaws.com/nodegroup") or labels.get("kubernetes.azure.com/agentpool")
                or labels.get("agentpool") or labels.get("cloud.google.com/gke-nodepool")
                or labels.get("karpenter.sh/nodepool"))
        for key, value in (("nodePool", pool), ("zone", labels.get("topology.kubernetes.io/zone")),
                           ("instanceType", labels.get("node.kubernetes.io/instance-type"))):
            if value:
                entry[key] = value
        out.append(entry)
    out.sort(key=lambda e: str(e["name"]))
    return out


# --- CNI --------------------------------------------------------------------------

def _containers(o: Raw) -> list[Mapping[str, Any]]:
    """Containers of a DaemonSet/Deployment template or of a Pod."""
    spec = o.get("spec") or {}
    if o.get("kind") != "Pod":
        spec = ((spec.get("template") or {}).get("spec")) or {}
    out = []
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict):
                out.append(c)
    return out


def _bool_flag(args: list[Any], name: str) -> str | None:
    """Value of the boolean flag ``--name`` in an argument list, as Go's flag packages read it.

    ``--name`` alone is true (a following word is not its value), ``--name=v`` is v, the last
    occurrence wins, and one leading dash works as well as two; None when absent.
    """
    value = None
    for a in args:
        if not isinstance(a, str):
            continue
        flag, eq, v = a.lstrip("-").partition("=")
        if a.startswith("-") and flag == name:
            value = v if eq else "true"
    return value


def _env(c: Mapping[str, Any], name: str) -> str | None:
    for e in c.get("env") or []:
        if isinstance(e, dict) and e.get("name") == name and isinstance(e.get("value"), str):
            return e["value"]
    return None


def _truthy(v: str | None) -> bool | None:
    if v is None:
        return None
    return v.strip().lower() in ("true", "1", "yes", "on")


def _image_has(c: Mapping[str, Any], *needles: str) -> bool:
    img = c.get("image")
    return isinstance(img, str) and any(n in img for n in needles)


def _where(o: Raw) -> str:
    m = _meta(o)
    ns = m.get("namespace")
    return f"{o.get('kind')} {ns + '/' if ns else ''}{m.get('name')}"


def detect_cni(by_kind: Mapping[str, list[Raw]], provider: str = "other") -> dict[str, Any]:
    """Which CNI runs, and whether NetworkPolicy is enforced, from DaemonSets, Pods and ConfigMaps."""
    workloads = list(by_kind.get("DaemonSet", ())) or [
        p for p in by_kind.get("Pod", ()) if _meta(p).get("namespace") in ("kube-system", "calico-system",
                                                                             "kube-flannel", "cilium")]
    configmaps = {(_meta(c).get("namespace"), _meta(c).get("name")): c for c in by_kind.get("ConfigMap", ())}
    found: dict[str, tuple[Raw, list[Mapping[str, Any]]]] = {}

    def name_of(o: Raw) -> str:
        m = _meta(o)
        n = str(m.get("name") or "")
        if o.get("kind") == "Pod":  # pods of a DaemonSet: strip the generated suffix
            owner = next((r.get("name") for r in m.get("ownerReferences") or [] if isinstance(r, dict)), None)
            n = str(owner or m.get("generateName") or n).rstrip("-")
        return n

    for o in workloads:
        n = name_of(o)
        cs = _containers(o)
        names = {str(c.get("name")) for c in cs}
        if n == "anetd" or "anetd" in names:
            found.setdefault("anetd", (o, cs))
        elif n == "aws-node" or any(_image_has(c, "amazon-k8s-cni") for c in cs):
            found.setdefault("aws-node", (o, cs))
        elif n == "azure-npm" or any(_image_has(c, "azure-npm") for c in cs):
            found.setdefault("azure-npm", (o, cs))
        elif n in ("canal", "canal-node") or ("calico-node" in names and any(_image_has(c, "flannel") for c in cs)):
            found.setdefault("canal", (o, cs))
        elif n == "calico-node" or any(_image_has(c, "calico/node", "calico-node") for c in cs):
            found.setdefault("calico-node", (o, cs))
        elif n == "cilium" or any(_image_has(c, "/cilium/cilium:", "/cilium/cilium@", "cilium/cilium:")
                                  for c in cs):
            found.setdefault("cilium", (o, cs))
        elif n.startswith("kube-flannel") or any(_image_has(c, "flannel") for c in cs):
            found.setdefault("flannel", (o, cs))
        elif n == "kube-router" or any(_image_has(c, "kube-router") for c in cs):
            found.setdefault("kube-router", (o, cs))
        elif n == "weave-net" or any(_image_has(c, "weaveworks/weave", "weave-kube") for c in cs):
            found.setdefault("weave", (o, cs))
        elif n == "kindnet" or any(_image_has(c, "kindnet") for c in cs):
            found.setdefault("kindnet", (o, cs))

    evidence: list[str] = []
    name, enforced, engine, enforcing_mode = "unknown", None, None, "standard"

    def cilium_policy() -> tuple[bool | None, str]:
        cm = configmaps.get(("kube-system", "cilium-config")) or next(
            (c for (ns, n), c in configmaps.items() if n == "cilium-config"), None)
        if cm is None:
            return True, "cilium enforces NetworkPolicy unless enable-policy is never (cilium-config not read)"
        mode = str((cm.get("data") or {}).get("enable-policy", "default"))
        return mode != "never", f"ConfigMap cilium-config enable-policy={mode}"

    if "anetd" in found:
        o, _ = found["anetd"]
        name, enforced, engine = "gke-dataplane-v2", True, "cilium"
        evidence.append(f"{_where(o)} (GKE Dataplane V2 always enforces NetworkPolicy)")
    elif "cilium" in found and ("aws-node" not in found):
        o, cs = found["cilium"]
        aks = provider == "aks" or any(k.startswith("kubernetes.azure.com/") for k in _labels(o)) or any(
            _image_has(c, "mcr.microsoft.com") for c in cs)
        name, engine = ("azure-cilium" if aks else "cilium"), "cilium"
        evidence.append(_where(o) + (" (AKS-managed Cilium)" if aks else ""))
        enforced, why = cilium_policy()
        evidence.append(why)
    elif "aws-node" in found:
        o, cs = found["aws-node"]
        name = "aws-vpc-cni"
        evidence.append(_where(o))
        agent = next((c for c in cs if c.get("name") in ("aws-eks-nodeagent", "aws-network-policy-agent")
                      or _image_has(c, "aws-network-policy-agent")), None)
        if agent is None:
            enforced = False
            evidence.append("no network policy agent container (VPC CNI before 1.14, or removed)")
        else:
            arg = _truthy(_bool_flag(list(agent.get("args") or []), "enable-network-policy"))
            env_on = any(_truthy(_env(c, "ENABLE_NETWORK_POLICY")) for c in cs)
            enforced = bool(arg) or env_on
            evidence.append(f"container {agent.get('name')} --enable-network-policy={'true' if arg else 'false'}"
                            + (", ENABLE_NETWORK_POLICY=true" if env_on else ""))
            if enforced:
                engine = "aws-network-policy-agent"
                mode = next((m for c in cs if (m := _env(c, "NETWORK_POLICY_ENFORCING_MODE"))), None)
                enforcing_mode = (mode or "standard").strip().lower()  # the VPC CNI's default is standard
                evidence.append(f"NETWORK_POLICY_ENFORCING_MODE={mode}" if mode else
                                "NETWORK_POLICY_ENFORCING_MODE not set (standard)")
        cm = configmaps.get(("kube-system", "amazon-vpc-cni"))
        if cm is not None and "enable-network-policy-controller" in (cm.get("data") or {}):
            evidence.append("ConfigMap amazon-vpc-cni enable-network-policy-controller="
                            f"{cm['data']['enable-network-policy-controller']}")
        overlay = found.get("calico-node") or found.get("cilium")
        if overlay is not None:
            enforced, engine = True, ("calico" if "calico-node" in found else "cilium")
            evidence.append(f"{_where(overlay[0])} enforces NetworkPolicy on top of the VPC CNI")
    elif "azure-npm" in found:
        o, _ = found["azure-npm"]
        name, enforced, engine = "azure-npm", True, "azure-npm"
        evidence.append(_where(o))
    elif "canal" in found:
        o, _ = found["canal"]
        name, enforced, engine = "flannel", True, "calico"
        evidence.append(f"{_where(o)} (Canal: flannel networking, Calico policy)")
    elif "calico-node" in found:
        o, _ = found["calico-node"]
        name, enforced, engine = "calico", True, "calico"
        evidence.append(_where(o))
    elif "kube-router" in found:
        o, cs = found["kube-router"]
        name = "kube-router"
        fw = next((v for c in cs if (v := _bool_flag(list(c.get("args") or []), "run-firewall")) is not None), None)
        enforced = fw is None or bool(_truthy(fw))
        engine = "kube-router" if enforced else None
        evidence.append(f"{_where(o)} --run-firewall={fw if fw is not None else 'true (default)'}")
    elif "weave" in found:
        o, cs = found["weave"]
        name = "weave"
        npc = any(c.get("name") == "weave-npc" or _image_has(c, "weave-npc") for c in cs)
        enforced, engine = npc, ("weave-npc" if npc else None)
        evidence.append(f"{_where(o)} {'with' if npc else 'without'} weave-npc")
    elif "flannel" in found:
        o, _ = found["flannel"]
        name, enforced = "flannel", False
        evidence.append(f"{_where(o)} (flannel does not enforce NetworkPolicy)")
        if "kube-router" in found:
            enforced, engine = True, "kube-router"
    elif provider == "k3s":
        name = "flannel"
        evidence.append("k3s embeds flannel and kube-router's policy controller; whether it runs "
                        "(--disable-network-policy) is not visible through the API")
    elif "kindnet" in found:
        evidence.append(f"{_where(found['kindnet'][0])} (kindnet)")
    elif not by_kind.get("DaemonSet") and not by_kind.get("Pod"):
        evidence.append("no DaemonSets or Pods were read")
    else:
        evidence.append("no known CNI DaemonSet found")
    out: dict[str, Any] = {"name": name, "networkPolicyEnforcement": enforced, "evidence": evidence}
    if engine:
        out["policyEngine"] = engine
    if engine == "aws-network-policy-agent":
        out["enforcingMode"] = enforcing_mode
    return out


# --- admission --------------------------------------------------------------------

def detect_admission(by_kind: Mapping[str, list[Raw]], api_groups: Iterable[str] = ()) -> dict[str, Any]:
    groups = set(api_groups)
    psa: dict[str, dict[str, str]] = {}
    for ns in by_kind.get("Namespace", ()):
        labels = _labels(ns)
        psa[str(_meta(ns).get("name"))] = {k: str(labels[PSA_LABEL + k]) for k in PSA_KEYS if PSA_LABEL + k in labels}

    def names(kind: str, group: str) -> list[str]:
        return sorted(str(_meta(o).get("name")) for o in by_kind.get(kind, ()) if _group(o) == group)

    vwc = names("ValidatingWebhookConfiguration", "admissionregistration.k8s.io")
    mwc = names("MutatingWebhookConfiguration", "admissionregistration.k8s.io")
    deployments = [str(_meta(d).get("name")) for d in by_kind.get("Deployment", ())]

    def engine(group_prefix: str, marker: str, counts: dict[str, int]) -> dict[str, Any]:
        ev = []
        served = sorted(g for g in groups if g == group_prefix or g.endswith("." + group_prefix))
        if served:
            ev.append(f"API group {served[0]} is served")
        ev += [f"Deployment {d}" for d in deployments if marker in d][:3]
        ev += [f"webhook configuration {w}" for w in vwc + mwc if marker in w][:3]
        used = {k: v for k, v in counts.items() if v}
        if used:
            ev.append(", ".join(f"{v} {k}" for k, v in used.items()))
        return {"installed": bool(ev), "evidence": ev, **counts}

    def count(kinds: tuple[str, ...], group_suffix: str) -> int:
        return sum(1 for k in kinds for o in by_kind.get(k, ()) if _group(o).endswith(group_suffix))

    constraint_count = sum(len(v) for v in by_kind.values() if v and _group(v[0]) == "constraints.gatekeeper.sh")
    return {
        "podSecurity": psa,
        "kyverno": engine("kyverno.io", "kyverno", {
            "clusterPolicies": count(("ClusterPolicy",), "kyverno.io"),
            "policies": count(("Policy",), "kyverno.io")}),
        "gatekeeper": engine("gatekeeper.sh", "gatekeeper", {
            "constraintTemplates": count(("ConstraintTemplate",), "gatekeeper.sh"),
            "constraints": constraint_count}),
        "validatingAdmissionPolicies": names("ValidatingAdmissionPolicy", "admissionregistration.k8s.io"),
        "validatingAdmissionPolicyBindings": names("ValidatingAdmissionPolicyBinding",
                                                   "admissionregistration.k8s.io"),
        "validatingWebhooks": vwc,
        "mutatingWebhooks": mwc,
    }


# --- all together -----------------------------------------------------------------

def derive_facts(name: str, objects: Iterable[Raw], version: Mapping[str, Any] | None = None,
                 api_groups: Iterable[str] | None = None, source: str = "live",
                 extra: Mapping[str, Any] | None = None) -> ClusterFacts:
    """Facts of one cluster from its objects (and ``/version`` and discovery when live).

    ``api_groups`` defaults to the groups the objects use, which is what
    manifests and snapshots can offer.
    """
    by_kind = _index(objects)
    if api_groups is None:
        api_groups = {_group(o) for objs in by_kind.values() for o in objs} - {""}
    groups = sorted(set(api_groups) - {""})
    nodes = by_kind.get("Node", [])
    git_version = str(version.get("gitVersion")) if version and version.get("gitVersion") else None
    provider, why = detect_provider(nodes, git_version, groups)
    facts: dict[str, Any] = {"providerEvidence": why}
    if version:
        facts["version"] = {k: version[k] for k in ("gitVersion", "major", "minor", "platform") if k in version}
    facts["nodes"] = node_facts(nodes)
    facts["cni"] = detect_cni(by_kind, provider)
    facts["admission"] = detect_admission(by_kind, groups)
    facts["apiGroups"] = groups
    if extra:
        facts.update(extra)
    return ClusterFacts(name=name, provider=provider, kubernetes_version=git_version, facts=facts, source=source)


def complete_facts(facts: ClusterFacts, objects: Iterable[Raw]) -> ClusterFacts:
    """Fill what a manifest or demo cluster does not state from its objects.

    Stated facts win (a fleet file's provider and CNI, cloud descriptions); the
    derived ones only fill gaps, so scanning manifests gives the same fact keys
    as a live collection, with their evidence.
    """
    objects = list(objects)
    derived = derive_facts(facts.name, objects, source=facts.source)
    merged = dict(derived.facts)
    merged.update(facts.facts)
    # manifests only *use* API groups, a server would *serve* them: the provider comes from nodes and versions
    found, why = detect_provider([o for o in objects if o.get("kind") == "Node"], facts.kubernetes_version, ())
    provider = facts.provider if facts.provider != "other" else found
    merged["providerEvidence"] = (facts.facts.get("providerEvidence", ["stated in the fleet or cloud file"])
                                  if provider != found else why)
    return ClusterFacts(name=facts.name, provider=provider,
                        kubernetes_version=facts.kubernetes_version or derived.kubernetes_version,
                        facts=merged, source=facts.source)

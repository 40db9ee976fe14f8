"""Every reference a pod spec makes to a Secret, ConfigMap or PersistentVolumeClaim, with its path.

Secrets are reached through ``env[].valueFrom.secretKeyRef``, ``envFrom[].secretRef``,
``secret`` and ``projected`` volumes, ``imagePullSecrets``, CSI ``nodePublishSecretRef``
and the ``secretRef``/``secretName`` of in-tree volume plugins; ConfigMaps through the
matching ``configMapKeyRef``/``configMapRef``/``configMap`` forms; claims through
``persistentVolumeClaim`` volumes.  ``optional: true`` references are marked, since a
missing optional object does not stop the pod.

Secrets read from a live cluster carry metadata only (kubeguard never asks for their values):
their keys and type are unknown, so key references to them are undecidable, not missing.

In a manifest scan a Secret may be absent from the input and still exist at run time: some
object of the namespace declares it (a cert-manager Certificate, an ExternalSecret, a
SealedSecret, a Vault or 1Password operator resource, a CSI SecretProviderClass), or a
workload of the namespace, from the same folder, runs as a ServiceAccount that RBAC lets create
Secrets there (Argo CD creates its Redis password, ingress-nginx its webhook certificate, that
way).  The first counts as present, the second makes the reference undecidable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from kubeguard.graph.rbac import Identity
from kubeguard.graph.rbac_match import Request
from kubeguard.model import ClusterInventory, ContainerView, K8sObject, NotEvaluated, Path, PodSpecView, Violation

from .serviceaccounts import service_account_name
from .workloads import inventory_is_complete, nearness, objects_in, same_input

# In-tree volume plugins that name a Secret: plugin -> (field, is it an object reference {name: ...}?)
_PLUGIN_SECRETS = {
    "azureFile": ("secretName", False), "cephfs": ("secretRef", True), "rbd": ("secretRef", True),
    "iscsi": ("secretRef", True), "flexVolume": ("secretRef", True), "scaleIO": ("secretRef", True),
    "storageos": ("secretRef", True), "csi": ("nodePublishSecretRef", True),
}


@dataclass(frozen=True, slots=True)
class Ref:
    kind: str  # Secret | ConfigMap | PersistentVolumeClaim
    name: str
    path: Path
    via: str  # env | envFrom | volume | projected | imagePullSecrets | volume plugin name
    optional: bool = False
    container: str | None = None
    key: str | None = None


def env_refs(c: ContainerView) -> Iterator[Ref]:
    env = c.raw.get("env")
    if isinstance(env, list):
        for i, e in enumerate(env):
            vf = e.get("valueFrom") if isinstance(e, dict) else None
            if not isinstance(vf, dict):
                continue
            for field, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                ref = vf.get(field)
                if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                    yield Ref(kind, ref["name"], c.path("env", i, "valueFrom", field), "env",
                              ref.get("optional") is True, c.name, ref.get("key"))
    env_from = c.raw.get("envFrom")
    if isinstance(env_from, list):
        for i, e in enumerate(env_from):
            if not isinstance(e, dict):
                continue
            for field, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                ref = e.get(field)
                if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                    yield Ref(kind, ref["name"], c.path("envFrom", i, field), "envFrom",
                              ref.get("optional") is True, c.name)


def volume_refs(pod: PodSpecView) -> Iterator[Ref]:
    vols = pod.spec.get("volumes")
    if not isinstance(vols, list):
        return
    for i, v in enumerate(vols):
        if not isinstance(v, dict):
            continue
        base = pod.path("volumes", i)
        sec = v.get("secret")
        if isinstance(sec, dict) and isinstance(sec.get("secretName"), str):
            yield Ref("Secret", sec["secretName"], base + ("secret", "secretName"), "volume",
                      sec.get("optional") is True)
        cm = v.get("configMap")
        if isinstance(cm, dict) and isinstance(cm.get("name"), str):
            yield Ref("ConfigMap", cm["name"], base + ("configMap", "name"), "volume", cm.get("optional") is True)
        pvc = v.get("persistentVolumeClaim")
        if isinstance(pvc, dict) and isinstance(pvc.get("claimName"), str):
            yield Ref("PersistentVolumeClaim", pvc["claimName"], base + ("persistentVolumeClaim", "claimName"),
                      "volume")
        proj = v.get("projected")
        sources = proj.get("sources") if isinstance(proj, dict) else None
        if isinstance(sources, list):
            for j, s in enumerate(sources):
                if not isinstance(s, dict):
                    continue
                for field, kind in (("secret", "Secret"), ("configMap", "ConfigMap")):
                    ref = s.get(field)
                    if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                        yield Ref(kind, ref["name"], base + ("projected", "sources", j, field, "name"), "projected",
                                  ref.get("optional") is True)
        for plugin, (field, is_obj) in _PLUGIN_SECRETS.items():
            src = v.get(plugin)
            if not isinstance(src, dict):
                continue
            ref = src.get(field)
            name = ref.get("name") if is_obj and isinstance(ref, dict) else (ref if not is_obj else None)
            if isinstance(name, str) and name:
                yield Ref("Secret", name, base + (plugin, field), plugin)


def pull_secret_refs(pod: PodSpecView) -> Iterator[Ref]:
    ips = pod.spec.get("imagePullSecrets")
    if isinstance(ips, list):
        for i, s in enumerate(ips):
            if isinstance(s, dict) and isinstance(s.get("name"), str) and s["name"]:
                yield Ref("Secret", s["name"], pod.path("imagePullSecrets", i, "name"), "imagePullSecrets")


def pod_refs(pod: PodSpecView) -> Iterator[Ref]:
    """Every Secret, ConfigMap and claim reference of the pod spec, in document order."""
    for c in pod.all_containers():
        yield from env_refs(c)
    yield from volume_refs(pod)
    yield from pull_secret_refs(pod)


# Objects every namespace has, created by Kubernetes itself.
IMPLICIT = {("ConfigMap", "kube-root-ca.crt"), ("ServiceAccount", "default")}


@dataclass
class Resolution:
    """References that point at nothing, and those that cannot be judged from a partial input."""

    missing: list[tuple[Ref, str]]  # (reference, problem)
    undecidable: list[Ref]
    writer: str | None = None  # a workload's ServiceAccount that may create the missing Secrets at run time
    metadata_only: bool = False  # a key could not be checked: the Secret was read without its data


def _nearest_by_name(objs, origin: K8sObject) -> dict[str, K8sObject]:
    """Objects by name; where a manifest folder defines one name twice (variants of one install, as
    calico.yaml and calico-etcd.yaml), the one from ``origin``'s file, else its folder, else the first."""
    out: dict[str, K8sObject] = {}
    for o in objs:
        cur = out.get(o.name)
        if cur is None or nearness(o, origin) < nearness(cur, origin):
            out[o.name] = o
    return out


def resolve(cluster: ClusterInventory, origin: K8sObject, refs: list[Ref],
            rbac: Callable[[], Any] | None = None) -> Resolution:
    """Look every reference of ``origin`` up in its namespace; check keys of ``*KeyRef`` references too.

    On a whole cluster (live, snapshot) a missing object is missing.  In a manifest scan it
    is only reported when the folder that defines ``origin`` also defines other objects of
    that kind in the namespace, which makes a typo likely; otherwise it is undecidable.
    Secrets declared by other objects of the input count as present there, and with ``rbac``
    (the RBAC graph, built on demand) a Secret that a workload of the namespace may create is
    undecidable too (see the module doc).
    """
    namespace = origin.namespace
    complete = inventory_is_complete(cluster)
    out = Resolution([], [])
    known: dict[str, dict[str, K8sObject]] = {}
    produced: set[str] | None = None
    for ref in refs:
        if ref.optional or (ref.kind, ref.name) in IMPLICIT:
            continue
        if ref.kind not in known:
            known[ref.kind] = _nearest_by_name(objects_in(cluster, ref.kind, namespace), origin)
        target = known[ref.kind].get(ref.name)
        if target is None:
            if not complete and ref.kind == "Secret":
                if produced is None:
                    produced = declared_secrets(cluster, namespace)
                if ref.name in produced:
                    continue
                if out.writer is None and rbac is not None:
                    out.writer = secret_writer(rbac(), cluster, origin)
                if out.writer is not None:
                    out.undecidable.append(ref)
                    continue
            if complete or any(same_input(o, origin) for o in known[ref.kind].values()):
                out.missing.append((ref, f"{ref.kind} {ref.name!r} does not exist in namespace {namespace!r}"))
            else:
                out.undecidable.append(ref)
            continue
        if ref.key is not None:
            if not contents_known(target):
                out.undecidable.append(ref)
                out.metadata_only = True
                continue
            keys: set[str] = set()
            for field in ("data", "binaryData", "stringData"):
                v = target.raw.get(field)
                if isinstance(v, dict):
                    keys.update(str(k) for k in v)
            if ref.key not in keys:
                out.missing.append((ref, f"{ref.kind} {ref.name!r} has no key {ref.key!r}"))
    return out


def contents_known(obj: K8sObject) -> bool:
    """False for a Secret read as metadata only: live clusters list Secrets without ``type`` or data keys."""
    return obj.kind != "Secret" or any(f in obj.raw for f in ("type", "data", "stringData"))


def undecidable_reason(res: Resolution, what: str) -> str:
    """The UNKNOWN reason for references the input cannot judge."""
    if res.metadata_only:
        return "Secrets were read as metadata only, so their keys and types cannot be checked"
    if res.writer is not None:
        return f"{what} are not in the scanned folder, and ServiceAccount {res.writer} may create Secrets at run time"
    return f"{what} are not in the scanned folder"


def missing_references(pod: PodSpecView, ctx: Any, refs: list[Ref], what: str) -> Iterator[Violation]:
    """A violation per reference of ``refs`` (made by ``pod``) to an object or key that does not exist.

    When none is missing but some cannot be judged from the input, UNKNOWN, naming them as
    ``what`` ("the referenced ConfigMaps").  The RBAC graph is built only for Secret references.
    """
    if not refs:
        return
    res = resolve(ctx.cluster, pod.obj, refs, lambda: ctx.graph("rbac"))
    if not res.missing and res.undecidable:
        raise NotEvaluated(undecidable_reason(res, what))
    for ref, problem in res.missing:
        yield Violation(problem, ref.path, container=ref.container)


# API groups of the kinds _declared_names knows: other objects are skipped without a look at their spec
_DECLARING_GROUPS = frozenset({"cert-manager.io", "external-secrets.io", "bitnami.com", "secrets.hashicorp.com",
                               "onepassword.com", "secrets-store.csi.x-k8s.io"})


def _declared_names(obj: K8sObject) -> Iterator[Any]:
    """Names of the Secrets ``obj`` makes its operator create (nothing for other kinds)."""
    group, kind, spec = obj.group, obj.kind, obj.spec
    if group == "cert-manager.io" and kind == "Certificate":
        yield spec.get("secretName")
    elif group == "external-secrets.io" and kind == "ExternalSecret":
        target = spec.get("target") if isinstance(spec.get("target"), dict) else {}
        if target.get("creationPolicy", "Owner") in ("Owner", "Orphan"):
            yield target.get("name") or obj.name
    elif group == "bitnami.com" and kind == "SealedSecret":
        template = spec.get("template") if isinstance(spec.get("template"), dict) else {}
        meta = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
        yield meta.get("name") or obj.name
    elif group == "secrets.hashicorp.com":
        destination = spec.get("destination")
        if isinstance(destination, dict):
            yield destination.get("name")
    elif group == "onepassword.com" and kind == "OnePasswordItem":
        yield obj.name
    elif group == "secrets-store.csi.x-k8s.io" and kind == "SecretProviderClass":
        for item in spec.get("secretObjects") or []:
            if isinstance(item, dict):
                yield item.get("secretName")


def declared_secrets(cluster: ClusterInventory, namespace: str | None) -> set[str]:
    """Secrets of ``namespace`` that other objects of the input declare (see the module doc)."""
    return {n for o in cluster.in_namespace(namespace) if o.group in _DECLARING_GROUPS
            for n in _declared_names(o) if isinstance(n, str) and n}


def secret_writer(graph: Any, cluster: ClusterInventory, origin: K8sObject) -> str | None:
    """``namespace/name`` of a ServiceAccount that RBAC lets create Secrets in ``origin``'s namespace
    and that a workload of that namespace, read from the same folder as ``origin``, runs as."""
    namespace = origin.namespace
    request = Request("create", "secrets", namespace=namespace or "")
    accounts = sorted({service_account_name(pod) for pod in cluster.workloads_in(namespace)
                       if same_input(pod.obj, origin)})
    for name in accounts:
        if graph.allowed(Identity("ServiceAccount", name, namespace), request):
            return f"{namespace}/{name}"
    return None


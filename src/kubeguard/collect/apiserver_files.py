"""Files kube-apiserver reads through its flags, given with ``--node-config``: what the rules need of them.

Each document kind belongs to the flag that names it:

* ``EncryptionConfiguration`` (``apiserver.config.k8s.io/v1``): ``--encryption-provider-config``;
* ``Policy`` (``audit.k8s.io/v1``): ``--audit-policy-file``;
* ``AdmissionConfiguration`` (``apiserver.config.k8s.io/v1``, or the older ``apiserver.k8s.io/v1alpha1``):
  ``--admission-control-config-file``.

Only what decides the CIS items is kept, never a secret:

* encryption: per ``resources[]`` entry its resource names and its providers in order, each as
  ``{"type": "aescbc", "keys": [key names]}`` or ``{"type": "kms", "apiVersion": "v2", "name": ...}``;
  the keys' ``secret`` values are dropped when the file is read;
* audit policy: the rules' matching fields and levels;
* admission: each plugin's name and ``path``; an inline ``configuration`` only for
  ``EventRateLimit`` (its limits), others marked ``"<present; value not kept>"``.
"""

from __future__ import annotations

from typing import Any

REDACTED = "<present; value not kept>"

KINDS: dict[tuple[str, str], str] = {
    ("EncryptionConfiguration", "apiserver.config.k8s.io/v1"): "encryption-provider-config",
    ("Policy", "audit.k8s.io/v1"): "audit-policy-file",
    ("AdmissionConfiguration", "apiserver.config.k8s.io/v1"): "admission-control-config-file",
    ("AdmissionConfiguration", "apiserver.k8s.io/v1alpha1"): "admission-control-config-file",
}
KIND_NAMES = tuple(sorted({k for k, _ in KINDS}))
_KEYED = ("aescbc", "aesgcm", "secretbox")
_RULE_FIELDS = ("level", "users", "userGroups", "verbs", "namespaces", "nonResourceURLs")


def flag_of(doc: Any) -> str | None:
    """The kube-apiserver flag that reads a document of this kind and apiVersion (None: not one of ours)."""
    if not isinstance(doc, dict):
        return None
    return KINDS.get((str(doc.get("kind")), str(doc.get("apiVersion"))))


def unsupported_version(doc: Any) -> str | None:
    """A known kind at an apiVersion the API server no longer reads, as a one-line reason."""
    if isinstance(doc, dict) and doc.get("kind") in KIND_NAMES and flag_of(doc) is None:
        wanted = ", ".join(v for (k, v) in KINDS if k == doc.get("kind"))
        return f"{doc.get('kind')} apiVersion {doc.get('apiVersion')!r} is not supported (expected {wanted})"
    return None


def keep(flag: str, doc: dict[str, Any]) -> dict[str, Any]:
    """The parts of the document the rules read, with every secret value removed."""
    if flag == "encryption-provider-config":
        return {"resources": [_resource_entry(r) for r in _dicts(doc.get("resources"))]}
    if flag == "audit-policy-file":
        return {"rules": [_audit_rule(r) for r in _dicts(doc.get("rules"))]}
    return {"plugins": [_plugin(p) for p in _dicts(doc.get("plugins"))]}


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [x for x in items if isinstance(x, dict)] if isinstance(items, list) else []


def _strings(items: Any) -> list[str]:
    return [str(x) for x in items] if isinstance(items, list) else []


def _resource_entry(entry: dict[str, Any]) -> dict[str, Any]:
    providers = []
    for p in entry.get("providers") or []:
        types = sorted(p) if isinstance(p, dict) else []
        if len(types) != 1:  # the API server accepts exactly one provider type per entry
            providers.append({"type": "+".join(types) or "empty"})
            continue
        kind, body = types[0], p[types[0]] if isinstance(p[types[0]], dict) else {}
        item: dict[str, Any] = {"type": kind}
        if kind == "kms":
            item["apiVersion"] = str(body.get("apiVersion") or "v1")
            item["name"] = str(body.get("name") or "")
        elif kind in _KEYED:
            item["keys"] = [str(k.get("name") or "") for k in _dicts(body.get("keys"))]
        providers.append(item)
    return {"resources": _strings(entry.get("resources")), "providers": providers}


def _audit_rule(rule: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {k: rule[k] for k in _RULE_FIELDS if k in rule}
    if "resources" in rule:
        out["resources"] = [{"group": str(g.get("group") or ""), "resources": _strings(g.get("resources")),
                             "resourceNames": _strings(g.get("resourceNames"))} for g in _dicts(rule["resources"])]
    return out


def _plugin(plugin: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": str(plugin.get("name") or "")}
    if plugin.get("path"):
        out["path"] = str(plugin["path"])
    config = plugin.get("configuration")
    if config is not None:
        if out["name"] == "EventRateLimit" and isinstance(config, dict):
            out["configuration"] = {
                "kind": config.get("kind"), "apiVersion": config.get("apiVersion"),
                "limits": [{k: lim[k] for k in ("type", "qps", "burst", "cacheSize") if k in lim}
                           for lim in _dicts(config.get("limits"))]}
        else:
            out["configuration"] = REDACTED
    return out

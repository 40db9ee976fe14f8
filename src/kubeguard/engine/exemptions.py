"""Exceptions: the ignore file and per-object annotations, each with reason, owner and expiry.

Ignore file (``.kubeguardignore.yaml``)::

    version: 1
    ignores:
      - rule: WL001                 # code, slug, alias or "*"; or rules: [WL001, WL002]
                                    # or a peer tool's id: checkov:CKV_K8S_16 -> every equivalent rule
        match:                      # every key optional; shell-style globs
          cluster: "prod-*"
          namespace: kube-system
          kind: DaemonSet
          name: "kube-proxy*"
          container: "*"
        reason: kube-proxy needs host networking
        owner: platform-team
        expires: 2026-12-31         # from the day after, the entry stops suppressing

Annotation on the object (or its pod template)::

    kubeguard.dev/ignore.<code-or-slug>: "reason; owner=team; expires=2026-12-31"

A malformed entry is an error, never skipped silently.  Expired entries stop
suppressing and are listed in the result with status ``expired``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

import yaml

from ..rules._meta import PEERS
from ..rules._registry import Registry
from .peers import PeerIndex, split_peer_ref

ANNOTATION_PREFIX = "kubeguard.dev/ignore."
_ENTRY_KEYS = {"rule", "rules", "match", "reason", "owner", "expires"}
_MATCH_KEYS = {"cluster", "namespace", "kind", "name", "container"}
Resolver = Callable[[str], "str | tuple[str, ...] | None"]  # rule reference -> code(s), None if unknown


class ExemptionError(ValueError):
    """A malformed ignore file; the message is one line naming file and line."""


@dataclass
class IgnoreEntry:
    rules: tuple[str, ...]  # resolved rule codes, or ("*",)
    match: dict[str, str]
    reason: str
    owner: str
    expires: date | None
    where: str  # "file:line"
    matched: int = 0
    prevented: int = 0  # findings it would have suppressed if it had not expired

    def applies(self, code: str, cluster: str, namespace: str | None, kind: str, name: str,
                container: str | None) -> bool:
        if "*" not in self.rules and code not in self.rules:
            return False
        values = {"cluster": cluster, "namespace": namespace or "", "kind": kind, "name": name,
                  "container": container or ""}
        return all(fnmatch.fnmatchcase(values[k], pat) for k, pat in self.match.items())

    def expired(self, today: date) -> bool:
        return self.expires is not None and today > self.expires

    def to_dict(self, today: date) -> dict[str, Any]:
        return {
            "source": "ignore-file", "entry": self.where, "rules": list(self.rules), "match": self.match,
            "reason": self.reason, "owner": self.owner,
            "expires": self.expires.isoformat() if self.expires else None,
            "status": "expired" if self.expired(today) else "active",
            "matched": self.matched if not self.expired(today) else 0,
            "wouldMatch": self.prevented,
        }


def parse_ignore_file(text: str, filename: str, resolve_rule: Resolver) -> list[IgnoreEntry]:
    """Parse and validate an ignore file.  Raises :class:`ExemptionError` on the first problem."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise ExemptionError(f"{filename}:{line}: YAML syntax error: {exc.problem}") from None
    if root is None:
        return []
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    def err(node: yaml.Node | None, msg: str) -> ExemptionError:
        line = node.start_mark.line + 1 if node is not None else 1
        return ExemptionError(f"{filename}:{line}: {msg}")

    if not isinstance(data, dict):
        raise err(root, "ignore file must be a mapping with 'version' and 'ignores'")
    unknown = set(data) - {"version", "ignores"}
    if unknown:
        raise err(root, f"unknown top-level key(s): {', '.join(sorted(map(str, unknown)))}")
    if data.get("version", 1) != 1:
        raise err(root, f"unsupported version {data.get('version')!r} (expected 1)")
    items = data.get("ignores") or []
    if not isinstance(items, list):
        raise err(root, "'ignores' must be a list")
    item_nodes = _value_node(root, "ignores")
    entries = []
    for i, item in enumerate(items):
        node = item_nodes.value[i] if isinstance(item_nodes, yaml.SequenceNode) else root
        where = f"{filename}:{node.start_mark.line + 1}"
        if not isinstance(item, dict):
            raise err(node, f"ignores[{i}] must be a mapping")
        bad = set(item) - _ENTRY_KEYS
        if bad:
            raise err(node, f"ignores[{i}]: unknown key(s) {', '.join(sorted(map(str, bad)))}; "
                            f"allowed: {', '.join(sorted(_ENTRY_KEYS))}")
        raw_rules = item.get("rules", item.get("rule"))
        if "rule" in item and "rules" in item:
            raise err(node, f"ignores[{i}]: give 'rule' or 'rules', not both")
        if isinstance(raw_rules, str):
            raw_rules = [raw_rules]
        if not raw_rules or not isinstance(raw_rules, list) or not all(isinstance(r, str) for r in raw_rules):
            raise err(node, f"ignores[{i}]: 'rule' is required (a rule id, slug or \"*\")")
        codes = []
        for r in raw_rules:
            if r == "*":
                codes.append("*")
                continue
            code = resolve_rule(r)
            if not code:
                raise err(node, f"ignores[{i}]: unknown rule {r!r}{_peer_hint(r)}")
            codes.extend([code] if isinstance(code, str) else code)
        match = item.get("match") or {}
        if not isinstance(match, dict):
            raise err(node, f"ignores[{i}]: 'match' must be a mapping")
        bad = set(match) - _MATCH_KEYS
        if bad:
            raise err(node, f"ignores[{i}].match: unknown key(s) {', '.join(sorted(map(str, bad)))}; "
                            f"allowed: {', '.join(sorted(_MATCH_KEYS))}")
        if not all(isinstance(v, str) for v in match.values()):
            raise err(node, f"ignores[{i}].match: values must be strings (globs)")
        reason, owner = item.get("reason"), item.get("owner")
        if not isinstance(reason, str) or not reason.strip():
            raise err(node, f"ignores[{i}]: 'reason' is required")
        if not isinstance(owner, str) or not owner.strip():
            raise err(node, f"ignores[{i}]: 'owner' is required")
        expires = item.get("expires")
        if expires is not None:
            expires = _parse_date(expires)
            if expires is None:
                raise err(node, f"ignores[{i}]: 'expires' must be a date YYYY-MM-DD, got {item.get('expires')!r}")
        entries.append(IgnoreEntry(tuple(codes), dict(match), reason.strip(), owner.strip(), expires, where))
    return entries


def _value_node(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(mapping, yaml.MappingNode):
        for k, v in mapping.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _parse_date(v: Any) -> date | None:
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            return None
    return None


@dataclass
class AnnotationExemption:
    reason: str
    owner: str | None
    expires: date | None
    key: str
    source: str = "annotation"  # or "annotation:checkov" etc. for another tool's skip annotation


@dataclass
class AnnotationParse:
    exemptions: dict[str, AnnotationExemption] = field(default_factory=dict)  # rule code or "*" -> exemption
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # another tool's skip with no equivalent rule


def parse_annotations(annotations: dict[str, Any], resolve_rule: Resolver, peers: bool = False) -> AnnotationParse:
    """Read ``kubeguard.dev/ignore.<rule>`` annotations; malformed ones become errors.

    With ``peers`` (``--peer-annotations``), other tools' skip annotations count too, for the
    rules that list the skipped check as equivalent: ``checkov.io/skipN: CKV_K8S_20=reason``,
    ``ignore-check.kube-linter.io/<check>: reason`` and ``kube-linter.io/ignore-all``,
    ``polaris.fairwinds.com/<check>-exempt: "true"`` and ``polaris.fairwinds.com/exempt``.
    Our own annotation wins where both name a rule.
    """
    out = AnnotationParse()
    for key, value in annotations.items():
        if not isinstance(key, str) or not key.startswith(ANNOTATION_PREFIX):
            continue
        rule = key[len(ANNOTATION_PREFIX):]
        code = "*" if rule in ("all", "*") else resolve_rule(rule)
        if not code:
            out.errors.append(f"annotation {key}: unknown rule {rule!r}")
            continue
        parts = [p.strip() for p in str(value or "").split(";")]
        reason = parts[0]
        if not reason:
            out.errors.append(f"annotation {key}: a reason is required as its value")
            continue
        owner = expires = None
        for p in parts[1:]:
            k, _, v = p.partition("=")
            k = k.strip()
            if k == "owner" and v.strip():
                owner = v.strip()
            elif k == "expires":
                expires = _parse_date(v)
                if expires is None:
                    out.errors.append(f"annotation {key}: expires must be YYYY-MM-DD, got {v.strip()!r}")
                    break
            elif p:
                out.errors.append(f"annotation {key}: unknown option {p!r} (use owner=... or expires=...)")
                break
        else:
            for c in [code] if isinstance(code, str) else code:
                out.exemptions[c] = AnnotationExemption(reason, owner, expires, key)
    if peers:
        _peer_annotations(annotations, resolve_rule, out)
    return out


def _peer_annotations(annotations: dict[str, Any], resolve_rule: Resolver, out: AnnotationParse) -> None:
    for key, value in annotations.items():
        if not isinstance(key, str):
            continue
        text = str(value or "").strip()
        if key.startswith("checkov.io/skip"):
            check, _, why = text.partition("=")
            peer, ref, reason = "checkov", f"checkov:{check.strip()}", why.strip()
        elif key.startswith("ignore-check.kube-linter.io/"):
            peer, ref, reason = "kube-linter", f"kube-linter:{key.split('/', 1)[1]}", text
        elif key == "kube-linter.io/ignore-all":
            peer, ref, reason = "kube-linter", "kube-linter:*", text
        elif key.startswith("polaris.fairwinds.com/") and key.endswith("exempt"):
            if text.lower() != "true":
                continue
            check = key.split("/", 1)[1][: -len("exempt")].rstrip("-")
            peer, ref, reason = "polaris", f"polaris:{check or '*'}", ""
        else:
            continue
        codes = resolve_rule(ref)
        if not codes:
            out.warnings.append(f"annotation {key}: {ref} has no equivalent kubeguard rule{_peer_hint(ref)}")
            continue
        for c in [codes] if isinstance(codes, str) else codes:
            out.exemptions.setdefault(c, AnnotationExemption(reason or f"skipped for {peer}", None, None, key,
                                                             f"annotation:{peer}"))


def rule_resolver(registry: Registry) -> Resolver:
    """Resolve a rule reference in an ignore entry or annotation: code, slug or alias -> its code; a peer tool's
    id (``checkov:CKV_K8S_16``) -> every rule whose metadata lists it as equivalent, so exceptions carry over."""
    peers = PeerIndex(registry)

    def resolve(key: str) -> str | tuple[str, ...] | None:
        rule = registry.get(key)
        if rule is not None:
            return rule.code
        if key.endswith(":*") and key[:-2].lower() in PEERS:  # every rule equivalent to one of the tool's checks
            return tuple(r.code for r in registry if r.meta.peers.get(key[:-2].lower())) or None
        return peers.resolve(key) or None

    return resolve


def _peer_hint(ref: str) -> str:
    peer, sep, _ = ref.partition(":")
    if not sep:
        return ""
    if split_peer_ref(ref) is None:
        return f" (unknown peer tool {peer!r}; expected one of {', '.join(PEERS)})"
    return (f" (no kubeguard rule lists it as equivalent; 'kubeguard rules --peer {peer.strip().lower()}' "
            "shows the mapping)")

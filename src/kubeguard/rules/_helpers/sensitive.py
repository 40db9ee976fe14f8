"""Recognising credentials without ever repeating them.

Two independent signals:

* **names**: an environment variable, ConfigMap key or embedded config key whose
  name says it holds a secret (``DB_PASSWORD``, ``client_secret``, ``apiKey``),
  minus names that only point at one (``PASSWORD_FILE``, ``TOKEN_URL``);
* **values**: text with the shape of a real credential (cloud access keys, VCS
  and chat tokens, private-key blocks, JWTs, URLs with an embedded password).

Callers report *which* detector fired and where, never the value; :func:`describe`
gives a safe label.  Values that are references or templates (``$(VAR)``,
``${VAR}``, ``{{ .Values.x }}``, file paths, booleans, empty strings) are not
literal secrets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

DEFAULT_SENSITIVE_NAMES: tuple[str, ...] = (
    r"pass(word|wd|phrase)?",
    r"pwd",
    r"secret",
    r"(access|auth|bearer|refresh|api|session|private|id)?token",
    r"api[_-]?key|apikey",
    r"(access|secret|private|signing|encryption|master|license)[_-]?key",
    r"credentials?",
    r"client[_-]?secret",
    r"auth(?!_)",  # as the last segment only: REDIS_AUTH, BASIC_AUTH; not GF_AUTH_ANONYMOUS_ORG_ROLE
    r"dsn|connection[_-]?string|conn[_-]?str",
)
DEFAULT_IGNORED_NAMES: tuple[str, ...] = (
    r".*[_.-](file|path|dir|directory|name|names|enabled|disabled|required|length|ttl|timeout|expiry|expiration"
    r"|expires|lifetime|seconds|minutes|hours|days|url|uri|endpoint|host|port|header|type|mode|ref|id|user"
    r"|username|location|version|algorithm|size|count|prefix|suffix|format|policy|rotation|min|max|provider"
    r"|issuer|audience|scope|scopes|method|kind|store|backend|mount|key[_-]?id|role|roles|realm|scheme|strategy)",
    # switches about a secret, not the secret: MYSQL_ALLOW_EMPTY_PASSWORD, MYSQL_RANDOM_ROOT_PASSWORD
    r"(?:.*_)?(?:allow|random|generate|skip|require|use)_.*",
    r"pwd",
    r".*tls[_-]secret",  # names a TLS Secret object
)
_TOKEN_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def name_tokens_form(name: str) -> str:
    """``dbPassword`` / ``DB-PASSWORD`` / ``db.password`` -> ``db_password`` (segments joined by ``_``)."""
    return re.sub(r"[^a-z0-9]+", "_", _TOKEN_SPLIT.sub("_", name).lower()).strip("_")


@lru_cache(maxsize=64)
def _compile_names(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    # each pattern must cover whole ``_``-separated segments of the normalised name
    return re.compile(r"(?:^|_)(?:" + "|".join(f"(?:{p})" for p in patterns) + r")(?:_|$)", re.IGNORECASE)


@lru_cache(maxsize=64)
def _compile_full(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def is_sensitive_name(name: str, sensitive: Iterable[str] = DEFAULT_SENSITIVE_NAMES,
                      ignored: Iterable[str] = DEFAULT_IGNORED_NAMES) -> bool:
    """True when ``name`` names a secret (segment match) and is not an ignored pointer-style name."""
    norm = name_tokens_form(name)
    if not norm:
        return False
    rx = _compile_names(tuple(sensitive))
    if rx is None or not rx.search(norm):
        return False
    ig = _compile_full(tuple(ignored))
    return not (ig is not None and ig.fullmatch(norm))


_PLACEHOLDER = re.compile(
    r"""^\s*(?:
        \$.*                                  # $(VAR), ${VAR:-x}, $VAR, $(command): expanded, not literal
      | .*\$\{.*\}.* | .*\{\{.*\}\}.*          # partly templated: "prefix-${X}", "{{ .Values.x }}"
      | <[^>]*>                               # <your-password>
      | __[A-Z0-9_]+__                        # __PLACEHOLDER__
      | (?:your|insert|replace|enter)[_-]\S*   # YOUR_API_KEY, INSERT_ETCD_DISCOVERY_TOKEN, replace-me
      | %\([^)]*\)s | %[A-Za-z_]+%            # %(var)s / %VAR%
      | ENC\(.*\) | vault:.* | ref\+.* | secretref:.* | sm://.* | arn:aws:secretsmanager:.*
      | \*+ | x+ | \.\.\.
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)


def is_literal_secret_value(value: object) -> bool:
    """A non-empty literal that could be a secret: not a reference, template, path or boolean."""
    if isinstance(value, bool) or value is None:
        return False
    text = str(value).strip().strip("'\"")
    if not text or text.lower() in ("true", "false", "yes", "no", "null", "none", "~", "nil", "undefined"):
        return False
    if text.startswith(("/", "file://", "./", "~/")):
        return False
    return not _PLACEHOLDER.match(text)


@dataclass(frozen=True, slots=True)
class Detector:
    label: str
    pattern: re.Pattern[str]
    # substrings of which every match contains one: a fast ``in`` test skips the regex scan
    # (patterns that start with ``\b`` are scanned character by character, ~25 MB/s each)
    hints: tuple[str, ...] = ()


_URL_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]*:(?P<pw>[^/\s@]+)@", re.IGNORECASE)

DETECTORS: tuple[Detector, ...] = (
    Detector("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
             ("AKIA", "ASIA", "ABIA", "ACCA")),
    Detector("a private key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----")),
    Detector("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b"),
             ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
    Detector("a GitLab token", re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b"), ("glpat-",)),
    Detector("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), ("xox",)),
    Detector("a Slack webhook URL", re.compile(r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+")),
    Detector("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), ("AIza",)),
    Detector("a Stripe secret key", re.compile(r"\b[sr]k_live_[0-9A-Za-z]{20,}\b"), ("k_live_",)),
    Detector("an npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"), ("npm_",)),
    Detector("an Azure storage account key", re.compile(r"AccountKey=[A-Za-z0-9+/]{40,}={0,2}")),
    Detector("a JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
             ("eyJ",)),
)


def credential_kinds(text: object) -> list[str]:
    """Labels of every credential shape found in ``text`` (empty when none); never the match."""
    if not isinstance(text, str) or len(text) < 8:
        return []
    found = [d.label for d in DETECTORS
             if (not d.hints or any(h in text for h in d.hints)) and d.pattern.search(text)]
    for m in _URL_PASSWORD.finditer(text) if "://" in text else ():
        if is_literal_secret_value(m.group("pw")):
            found.append("a URL with an embedded password")
            break
    return found


_EMBEDDED = re.compile(
    r"""^\s*(?:export\s+)?["']?(?P<key>[A-Za-z_][A-Za-z0-9_.\-]*)["']?\s*(?:=|:(?!//))\s*(?P<val>.*?)\s*,?$"""
)


def embedded_assignments(text: str) -> Iterator[tuple[int, str, str]]:
    """``(line number, key, value)`` for ``key = value`` / ``key: value`` lines of a config file."""
    for n, line in enumerate(text.splitlines(), 1):
        if len(line) > 4096 or line.lstrip().startswith(("#", ";", "//")):
            continue
        m = _EMBEDDED.match(line)
        if m and m.group("val"):
            yield n, m.group("key"), m.group("val")

"""Kubelet command lines from the files that hold them on a node: the flags of ``--node-config``.

A kubelet's flags live in one of these, each read here into the words after the binary:

* ``/proc/PID/cmdline`` (words separated by NUL bytes) or a command line as ``ps -o args``
  prints it (``/usr/bin/kubelet --config=... --node-ip=...``, or flags alone);
* a systemd unit or drop-in (kubeadm's ``10-kubeadm.conf``): ``Environment=`` assignments and
  the last ``ExecStart=`` (an empty ``ExecStart=`` resets the list, as in systemd), whose
  ``$VAR`` expands to the variable's words and ``${VAR}`` to one word;
* an environment file (kubeadm's ``/var/lib/kubelet/kubeadm-flags.env``, ``/etc/default/kubelet``,
  ``/etc/sysconfig/kubelet``): ``NAME=value`` lines with shell quoting.

Several files of one node combine like systemd reads them: variables from every file (later
files win), expanded in the ``ExecStart=`` of a unit when one is given; without a unit, the
``KUBELET_*ARGS`` variables in the order given (kubeadm's unit puts ``KUBELET_KUBEADM_ARGS``
before ``KUBELET_EXTRA_ARGS``).  A variable the unit uses but no given file defines is listed
as unresolved: the flags it may carry are unknown.  Only the kubelet's words are kept; other
variables of an environment file (proxies with credentials, say) are never stored.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

_ASSIGN = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
_ARGS_VAR = re.compile(r"^KUBELET_[A-Z0-9_]*ARGS$")
_UNIT_KEYS = ("ExecStart=", "Environment=", "EnvironmentFile=", "[Service]", "[Unit]")


@dataclass
class FlagSource:
    """What one file says about a kubelet's command line."""

    env: dict[str, str] = field(default_factory=dict)
    exec_start: list[str] | None = None  # a unit's ExecStart, unexpanded
    words: list[str] | None = None  # a complete command line


def looks_like_flags(data: bytes) -> bool:
    """A command line, unit or environment file rather than a YAML/JSON configuration document."""
    if b"\0" in data:
        return True
    for line in data.decode("utf-8", "replace").splitlines():
        s = line.strip()
        if not s or s.startswith(("#", ";", "---")):  # comments, YAML document markers
            continue
        if s.startswith(_UNIT_KEYS) or s.startswith("--") or _ASSIGN.match(s):
            return True
        first = s.split()[0]
        return first.rsplit("/", 1)[-1] in ("kubelet", "hyperkube")
    return False


def read_flag_source(data: bytes) -> FlagSource:
    """One file's assignments, ExecStart or command line (``ValueError`` with a one-line reason)."""
    if b"\0" in data:  # /proc/PID/cmdline
        return FlagSource(words=_after_binary([w.decode("utf-8", "replace") for w in data.split(b"\0") if w]))
    text = data.decode("utf-8", "replace").replace("\\\r\n", " ").replace("\\\n", " ")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith(("#", ";"))]
    src = FlagSource()
    if any(ln.startswith(_UNIT_KEYS) for ln in lines):
        for ln in lines:
            key, eq, value = ln.partition("=")
            if not eq:
                continue
            if key.strip() == "Environment":
                for item in _split(value):
                    name, eq2, val = item.partition("=")
                    if eq2:
                        src.env[name] = val
            elif key.strip() == "ExecStart":
                words = _split(value.lstrip("-@+!:"))  # systemd's command prefixes
                src.exec_start = _after_binary(words) if words else None
        return src
    if lines and all(_ASSIGN.match(ln) for ln in lines):
        for ln in lines:
            m = _ASSIGN.match(ln)
            assert m is not None
            parts = _split(m.group(2))
            src.env[m.group(1)] = " ".join(parts) if len(parts) != 1 else parts[0]
        return src
    src.words = _after_binary(_split(" ".join(lines)))
    return src


def combine(sources: list[FlagSource]) -> tuple[list[str], list[str], bool]:
    """The kubelet's words from a node's files, the variables its unit uses that no file defines (taken as
    empty, as systemd does), and whether the words are the whole command line (a unit's ExecStart or a
    command line was given; environment files alone are a part of it)."""
    env: dict[str, str] = {}
    exec_start: list[str] | None = None
    words: list[str] = []
    for s in sources:
        env.update(s.env)
        if s.exec_start is not None:
            exec_start = s.exec_start
        if s.words is not None:
            words.extend(s.words)
    if exec_start is not None:
        out: list[str] = []
        unresolved: list[str] = []
        for w in exec_start:
            out.extend(_expand(w, env, unresolved))
        return out + words, sorted(set(unresolved)), True
    complete = any(s.words is not None for s in sources)
    for name, value in env.items():
        if _ARGS_VAR.match(name):
            words.extend(_split(value))
    return words, [], complete


def _expand(word: str, env: dict[str, str], unresolved: list[str]) -> list[str]:
    """systemd: a word that is exactly ``$VAR`` becomes the value's words; ``${VAR}`` one word."""
    m = _VAR.fullmatch(word)
    if m and m.group(2):
        if m.group(2) not in env:
            unresolved.append(m.group(2))
        return _split(env.get(m.group(2), ""))

    def sub(x: re.Match[str]) -> str:
        name = x.group(1) or x.group(2)
        if name not in env:
            unresolved.append(name)
        return env.get(name, "")

    text = _VAR.sub(sub, word)
    return [text] if text else []


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as exc:  # unbalanced quotes
        raise ValueError(f"cannot split {text[:40]!r}: {exc}") from None


def _after_binary(words: list[str]) -> list[str]:
    """The words after ``kubelet`` (or ``hyperkube kubelet``); all of them when no binary is named."""
    for i, w in enumerate(words[:3]):
        base = w.rsplit("/", 1)[-1]
        if base == "kubelet":
            return words[i + 1:]
        if base == "hyperkube" and i + 1 < len(words) and words[i + 1] == "kubelet":
            return words[i + 2:]
    return words

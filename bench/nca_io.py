"""Talking to network-config-analyzer (NCA), shared by the differential test and the benchmark.

NCA is optional and lives in its own virtualenv (its pins fight ours):
``python3 -m venv .venv-nca && .venv-nca/bin/pip install network-config-analyzer``,
or name its ``nca`` executable in KUBEGUARD_NCA.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from kubeguard.graph.network_sets import PROTOCOLS, PortSet

ROOT = Path(__file__).resolve().parent.parent
_CONN = re.compile(r"\{protocols:([A-Z, ]+?)(?:,dst_ports:([0-9,\-]+))?\}")
_LINE = re.compile(r"^(\S+) => (\S+) : (.*)$")


def find_nca() -> str | None:
    for cand in (os.environ.get("KUBEGUARD_NCA"), str(ROOT / ".venv-nca" / "bin" / "nca"), shutil.which("nca")):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def write_inputs(folder: Path, namespaces: list[dict], pods: list[dict], policies: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ns.yaml").write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": namespaces}))
    (folder / "pods.yaml").write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": pods}))
    (folder / "np.yaml").write_text(yaml.safe_dump_all(policies))


def run_connectivity(nca: str, folder: Path, timeout: float | None = None) -> subprocess.CompletedProcess:
    """``nca --connectivity`` at pod level over the files of :func:`write_inputs`, as text lines."""
    return subprocess.run([nca, "--connectivity", str(folder / "np.yaml"), "--pod_list", str(folder / "pods.yaml"),
                           "--ns_list", str(folder / "ns.yaml"), "-o", "txt_no_fw_rules", "--output_endpoints", "pods"],
                          capture_output=True, text=True, timeout=timeout, check=False)


def parse_conn(text: str) -> PortSet:
    """``All connections`` or ``{protocols:TCP, UDP,dst_ports:53,80-90}`` as a PortSet."""
    text = text.strip()
    if text == "All connections":
        return PortSet.all()
    out = PortSet.none()
    for m in _CONN.finditer(text):
        for proto in (p.strip() for p in m.group(1).split(",")):
            if proto not in PROTOCOLS:
                continue
            if m.group(2) is None:
                out = out | PortSet.of(proto)
                continue
            for part in m.group(2).split(","):
                lo, _, hi = part.partition("-")
                out = out | PortSet.of(proto, int(lo), int(hi or lo))
    return out


def pod_connections(stdout: str) -> dict[tuple[str, str], PortSet]:
    """Allowed pod-to-pod connections (``NS/POD`` pairs); NCA's IP-range endpoints are left out."""
    conns: dict[tuple[str, str], PortSet] = {}
    for line in stdout.splitlines():
        m = _LINE.match(line)
        if not m or "/" not in m.group(1) or "/" not in m.group(2):
            continue
        key = (m.group(1), m.group(2))
        conns[key] = conns.get(key, PortSet.none()) | parse_conn(m.group(3))
    return conns

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("kubernetes")

from .fakeapi import FakeCluster  # noqa: E402


@pytest.fixture
def fake():
    """Start fake API servers; all are stopped after the test."""
    started: list[FakeCluster] = []

    def make(objects: list[dict[str, Any]], *args: Any, **kw: Any) -> FakeCluster:
        c = FakeCluster(objects, *args, **kw).start()
        started.append(c)
        return c

    yield make
    for c in started:
        c.stop()


_HELD: list[socket.socket] = []


def dead_url() -> str:
    """An address where nothing listens: connection refused.

    The port stays bound (without listening) for the whole run, so no other
    server can take it in the meantime.
    """
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    _HELD.append(s)
    return f"http://127.0.0.1:{s.getsockname()[1]}"


def write_kubeconfig(path: Path, contexts: dict[str, dict[str, Any]], current: str | None = None) -> Path:
    """``contexts``: name -> {server, token?, exec?, ca?, user?, cluster?} written as a kubeconfig file."""
    clusters, users, ctxs = [], [], []
    for name, c in contexts.items():
        cluster_name = c.get("cluster", f"{name}-cluster")
        user_name = c.get("user", f"{name}-user")
        cl: dict[str, Any] = {"server": c["server"]}
        if c.get("ca"):
            cl["certificate-authority"] = c["ca"]
        clusters.append({"name": cluster_name, "cluster": cl})
        user: dict[str, Any] = {}
        if c.get("token"):
            user["token"] = c["token"]
        if c.get("exec"):
            user["exec"] = c["exec"]
        users.append({"name": user_name, "user": user})
        ctxs.append({"name": name, "context": {"cluster": cluster_name, "user": user_name}})
    doc: dict[str, Any] = {"apiVersion": "v1", "kind": "Config", "clusters": clusters, "users": users,
                           "contexts": ctxs}
    if current:
        doc["current-context"] = current
    path.write_text(yaml.safe_dump(doc))
    return path


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> dict[str, Path]:
    """A CA, a server certificate for 127.0.0.1 signed by it, and an unrelated CA (openssl CLI)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not available")
    d = tmp_path_factory.mktemp("pki")

    def run(*argv: str) -> None:
        subprocess.run(["openssl", *argv], check=True, capture_output=True, cwd=d)

    for ca in ("ca", "other-ca"):
        run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={ca}",
            "-keyout", f"{ca}.key", "-out", f"{ca}.crt")
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key",
        "-out", "server.csr")
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", "san.ext", "-out", "server.crt")
    return {name: d / name for name in ("ca.crt", "other-ca.crt", "server.crt", "server.key")}


def kg(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    import os

    full = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST")}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "kubeguard", *args], capture_output=True, text=True, env=full,
                          timeout=timeout)

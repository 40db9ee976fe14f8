"""Live collection benchmark: objects/s from a loopback fake API server, next to the JSON decode floor.

The fake API server (tests/collect_live/fakeapi.py) runs in its own process
and serves realistic running Pods (~3 KB of JSON each, status included) plus
ReplicaSets, Deployments and Services, 500 per page.  This process collects
them through the real path (kubeconfig, official client, discovery, pager,
normalisation), then freezes them into scan objects, and reports:

  collect     wall time of ``collect()`` and objects/s
  freeze      building the engine's objects (``to_manifest_set``)
  decode      orjson.loads and json.loads over the very same page bytes,
              fetched once more with plain urllib3 (the floor any client pays;
              cyclic GC paused, as collect() pauses it)
  peak RSS    of this process (the server's memory is not counted)

    .venv/bin/python bench/live_collect.py                 # 100k objects
    .venv/bin/python bench/live_collect.py --objects 20000 --page-size 250
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def fleet(n: int) -> list[dict]:
    """``n`` objects: 70% Pods, 10% ReplicaSets, 10% Deployments, 10% Services."""
    from tests.collect_live.fakeapi import bench_pod, obj

    pods = int(n * 0.7)
    rest = n - pods
    out = [bench_pod(i) for i in range(pods)]
    for i in range(rest):
        template = bench_pod(i)
        ns = template["metadata"]["namespace"]
        spec = {"replicas": 3, "selector": {"matchLabels": {"app": f"web-{i}"}},
                "template": {"metadata": {"labels": {"app": f"web-{i}"}}, "spec": template["spec"]}}
        kind = ("ReplicaSet", "Deployment", "Service")[i % 3]
        if kind == "Service":
            out.append(obj("v1", "Service", f"web-{i}", ns, spec={
                "selector": {"app": f"web-{i}"}, "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}],
                "type": "ClusterIP", "clusterIP": f"10.96.{i // 250 % 250}.{i % 250}"}))
        else:
            out.append(obj("apps/v1", kind, f"web-{i}", ns, spec=spec, status={"replicas": 3, "readyReplicas": 3}))
    return out


def serve(n: int, conn) -> None:  # runs in the server process
    from tests.collect_live.fakeapi import FakeCluster

    cluster = FakeCluster(fleet(n), token="bench").start()
    gc.freeze()  # the served objects live until the end: keep the server's GC from rescanning them
    conn.send(cluster.url)
    conn.recv()  # block until told to stop
    cluster.stop()


def page_bytes(url: str, paths: list[str], page_size: int) -> list[bytes]:
    """Every list page again, as bytes, with plain urllib3 (no client, no decoding)."""
    import urllib3

    http = urllib3.PoolManager()
    pages: list[bytes] = []
    for path in paths:
        token = None
        while True:
            fields = {"limit": str(page_size), **({"continue": token} if token else {})}
            r = http.request("GET", url + path, fields=fields, headers={"Authorization": "Bearer bench"})
            pages.append(r.data)
            token = orjson.loads(r.data)["metadata"].get("continue")
            if not token:
                break
    return pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--objects", type=int, default=100_000)
    ap.add_argument("--page-size", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()

    from tests.collect_live.conftest import write_kubeconfig

    from kubeguard.collect.live import collect, to_manifest_set
    from kubeguard.collect.live_config import LiveOptions

    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    server = ctx.Process(target=serve, args=(args.objects, child), daemon=True)
    t = time.perf_counter()
    server.start()
    url = parent.recv()
    print(f"fake API server: {args.objects:,} objects generated and served from {url} "
          f"({time.perf_counter() - t:.1f}s to start)")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        with tempfile.TemporaryDirectory() as tmp:
            kc = write_kubeconfig(Path(tmp) / "config", {"bench": {"server": url, "token": "bench"}},
                                  current="bench")
            opts = LiveOptions(kubeconfig=str(kc), qps=0, page_size=args.page_size, concurrency=args.concurrency,
                               kubelet_config=False)
            t = time.perf_counter()
            [result] = collect(opts, environ={})
            collect_s = time.perf_counter() - t
            assert result.reachable and not result.report.issues, result.report.to_dict()
            t = time.perf_counter()
            ms = to_manifest_set([result])
            freeze_s = time.perf_counter() - t
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            n = len(ms.objects)
            del ms
            paths = ["/api/v1/pods", "/api/v1/services", "/apis/apps/v1/replicasets", "/apis/apps/v1/deployments"]
            pages = page_bytes(url, paths, args.page_size)
    finally:
        parent.send("stop")
        server.join(5)
    total = sum(len(p) for p in pages)
    gc.collect()
    gc.disable()  # as collect() does: the floor is the decoder's own cost
    t = time.perf_counter()
    for p in pages:
        orjson.loads(p)
    orjson_s = time.perf_counter() - t
    t = time.perf_counter()
    for p in pages:
        json.loads(p)
    json_s = time.perf_counter() - t
    gc.enable()

    print(f"objects collected       {n:>12,}   ({result.requests:,} requests, {result.bytes / 1e6:,.0f} MB of JSON, "
          f"page size {args.page_size}, {result.resource_types} resource types)")
    print(f"collect                 {collect_s:>11.2f}s   {n / collect_s:>10,.0f} objects/s")
    print(f"freeze into objects     {freeze_s:>11.2f}s   {n / freeze_s:>10,.0f} objects/s")
    print(f"orjson.loads same bytes {orjson_s:>11.2f}s   {n / orjson_s:>10,.0f} objects/s   ({total / 1e6:,.0f} MB)")
    print(f"json.loads same bytes   {json_s:>11.2f}s   {n / json_s:>10,.0f} objects/s")
    print(f"peak RSS                {peak:>10,.0f} MB   (after imports {rss_before:,.0f} MB; cpus {os.cpu_count()})")


if __name__ == "__main__":
    main()

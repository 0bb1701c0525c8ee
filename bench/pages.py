"""Page rendering benchmark: the public frame's hot path, with a baseline in the same run.

    python bench/pages.py [--requests 300] [--http]

In-process (Django test client, full middleware stack, SQLite embedded default):
each page's latency (p50/p95), throughput, and queries per request, compared with
/healthz as the baseline (one tiny query and a cache round-trip). With --http it also
starts `tawasul serve` on 127.0.0.1 and measures the same pages over loopback with
8 concurrent clients. Bounded in count and time; stops what it started.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PAGES = ["/healthz", "/ar/", "/en/", "/ar/about/", "/ar/accounts/login/", "/ar/accounts/signup/"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def in_process(requests: int) -> dict[str, float]:
    from django.db import connection
    from django.test import Client

    client = Client()
    results = {}
    print(f"\nIn-process, {requests} requests per page (ms)")
    print(f"{'page':28} {'p50':>7} {'p95':>7} {'req/s':>8} {'queries':>8} {'x baseline':>11}")
    for path in PAGES:
        client.get(path)  # warm up
        queries: list[str] = []

        def count(run, sql, *rest, seen=queries):
            seen.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            client.get(path)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        p50 = statistics.median(timings)
        results[path] = p50
        ratio = p50 / results["/healthz"]
        print(
            f"{path:28} {p50:7.2f} {percentile(timings, 0.95):7.2f} "
            f"{1000 / statistics.mean(timings):8.0f} {len(queries):8d} {ratio:10.1f}x"
        )
    return results


def over_http(data_dir: Path, requests: int) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "TAWASUL_DATA": str(data_dir), "WEB_CONCURRENCY": "2"}
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tawasul", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.3)

        def fetch(path: str) -> float:
            started = time.perf_counter()
            with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310
                response.read()
            return (time.perf_counter() - started) * 1000

        print(
            "\nOver HTTP (gunicorn, 2 processes x 4 threads), 8 clients, "
            f"{requests} requests per page"
        )
        print(f"{'page':28} {'p50':>7} {'p95':>7} {'req/s':>8}")
        with ThreadPoolExecutor(max_workers=8) as pool:
            for path in PAGES:
                list(pool.map(fetch, [path] * 16))  # warm up
                started = time.perf_counter()
                timings = list(pool.map(fetch, [path] * requests))
                elapsed = time.perf_counter() - started
                print(
                    f"{path:28} {statistics.median(timings):7.2f} "
                    f"{percentile(timings, 0.95):7.2f} {requests / elapsed:8.0f}"
                )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--http", action="store_true", help="also measure over loopback HTTP")
    args = parser.parse_args()
    requests = max(10, min(args.requests, 5000))

    with tempfile.TemporaryDirectory(prefix="tawasul-bench-") as folder:
        data_dir = Path(folder)
        os.environ["TAWASUL_DATA"] = str(data_dir)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
        import logging

        logging.getLogger("tawasul.request").setLevel(logging.WARNING)
        from django.db import connection

        print(
            f"Tawasul page benchmark — database: {connection.vendor}, "
            f"Python {sys.version.split()[0]}"
        )
        in_process(requests)
        if args.http:
            over_http(data_dir, requests)


if __name__ == "__main__":
    main()

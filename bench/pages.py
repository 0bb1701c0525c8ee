"""Page benchmark: the public pages' hot path, next to the framework's floor, in one run.

    python bench/pages.py [--requests 300] [--http] [--clients 8]

In-process (Django test client, full middleware stack, SQLite embedded default unless
DATABASE_URL is set): each page's latency (p50/p99), throughput and queries per request,
compared with /_floor, a view that returns "ok" through the same middleware (the
baseline). With --http it also starts `tawasul serve` on 127.0.0.1 and loads the same
pages over loopback from a second process's threads (N concurrent clients).
Bounded in count and time; stops only what it started.
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

PAGES = [
    "/_floor",
    "/healthz",
    "/ar/",
    "/en/",
    "/ar/news/",
    "/ar/news/ministry-on-social-media/",
    "/en/news/ministry-on-social-media/",
    "/ar/news/feed/rss/",
    "/ar/events/",
    "/ar/events/online-fraud-lecture/",
    "/ar/calendar/events.ics",
    "/ar/awareness/",
    "/ar/eservices/",
    "/ar/eservices/renew-passport/",
    "/api/v1/news?lang=ar",
    "/api/v1/services?lang=ar",
    "/ar/accounts/login/",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def in_process(requests: int) -> dict[str, float]:
    from django.db import connection
    from django.test import Client

    client = Client()
    results = {}
    print(f"\nIn-process, {requests} requests per page (ms)")
    print(f"{'page':38} {'p50':>7} {'p99':>7} {'req/s':>8} {'queries':>8} {'x floor':>8}")
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
        ratio = p50 / results["/_floor"]
        print(
            f"{path:38} {p50:7.2f} {percentile(timings, 0.99):7.2f} "
            f"{1000 / statistics.mean(timings):8.0f} {len(queries):8d} {ratio:7.1f}x"
        )
    return results


def over_http(data_dir: Path, requests: int, clients: int) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "TAWASUL_DATA": str(data_dir), "WEB_CONCURRENCY": "2"}
    env["TAWASUL_LOG_LEVEL"] = "WARNING"
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
            f"\nOver HTTP (granian, 2 processes x 4 threads), {clients} clients, "
            f"{requests} requests per page (ms)"
        )
        print(f"{'page':38} {'p50':>7} {'p99':>7} {'req/s':>8} {'x floor':>8}")
        floor_rate = None
        with ThreadPoolExecutor(max_workers=clients) as pool:
            for path in PAGES:
                list(pool.map(fetch, [path] * 16))  # warm up
                started = time.perf_counter()
                timings = list(pool.map(fetch, [path] * requests))
                rate = requests / (time.perf_counter() - started)
                floor_rate = floor_rate or rate
                print(
                    f"{path:38} {statistics.median(timings):7.2f} "
                    f"{percentile(timings, 0.99):7.2f} {rate:8.0f} {floor_rate / rate:7.1f}x"
                )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--http", action="store_true", help="also measure over loopback HTTP")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (1-64)")
    parser.add_argument(
        "--no-page-cache", action="store_true", help="measure rendering, not the anonymous cache"
    )
    args = parser.parse_args()
    requests = max(10, min(args.requests, 5000))

    with tempfile.TemporaryDirectory(prefix="tawasul-bench-") as folder:
        data_dir = Path(folder)
        os.environ["TAWASUL_DATA"] = str(data_dir)
        os.environ["TAWASUL_BENCH_FLOOR"] = "1"
        if args.no_page_cache:
            os.environ["TAWASUL_PAGE_CACHE_SECONDS"] = "0"
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
            f"Python {sys.version.split()[0]}, anonymous page cache: "
            f"{'off' if args.no_page_cache else 'on'}"
        )
        in_process(requests)
        if args.http:
            over_http(data_dir, requests, max(1, min(args.clients, 64)))


if __name__ == "__main__":
    main()

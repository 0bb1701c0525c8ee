"""Vote benchmark: votes per second and latency against `tawasul serve`, then an exact audit.

    python bench/votes.py [--votes 4000] [--clients 32] [--workers 2] [--threads 8]
    DATABASE_URL=postgres://.../scratch_db python bench/votes.py   # on PostgreSQL

Starts `tawasul serve` on a free 127.0.0.1 port (SQLite in a temporary folder, or the
PostgreSQL database DATABASE_URL names: it must be a scratch database, since the bench
migrates it and adds a poll), then from N client threads over keep-alive connections:

1. the baseline: GET /_floor (a view that returns "ok" through the same middleware),
   after 200 requests and 100 votes (audited too) to warm the server up;
2. the votes: POST /api/v1/polls/{id}/votes, each a new anonymous voter with its own
   solved proof of work (solved before the clock starts) and its own address
   (X-Forwarded-For from 127.0.0.0/8, the server trusting one proxy), so the rate limit
   runs as in production without refusing anyone;
3. the refusals: every acknowledged voter sends again with its cookie (409 expected),
   and solutions are replayed by new voters (400 expected).

While each of the first two phases runs it reads, from /proc, the CPU time used by the
server's processes, this database's PostgreSQL backends, Redis and the client itself,
and prints it per request with the ceiling it sets on this machine's cores: on a shared
2-core machine that ceiling, not the measured rate alone, says what the code costs.

Then it counts in the database: every vote acknowledged with 201 must be stored with
exactly the ballot sent, and nothing else. Bounded in count and time; sends traffic to
127.0.0.1 only; stops only the server it started.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter

DEADLINE_SECONDS = 600


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _encode(request: dict) -> bytes:
    """One HTTP/1.1 keep-alive request, encoded once before the clock starts."""
    body = (request.get("body") or "").encode()
    lines = [f"{request['method']} {request['path']} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in request["headers"].items()]
    if body or request["method"] == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _client(port: int, requests: list[dict], deadline: float, results: list) -> None:
    """One client: a keep-alive connection sending its share of requests in turn.

    A small asyncio client rather than http.client in threads: on a 2-core machine the
    load generator shares the CPUs with the server, and the lighter it is, the more of
    them the server gets (it reads only the status line, Set-Cookie and Content-Length).
    """
    reader = writer = None
    for request in requests:
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        status, cookie, closing = 0, "", False
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request["raw"])
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            lines = head.decode("latin-1").split("\r\n")
            length = 0
            for line in lines[1:]:
                name, _sep, value = line.partition(":")
                name = name.lower()
                if name == "content-length":
                    length = int(value)
                elif name == "set-cookie" and not cookie:
                    cookie = value.strip()
                elif name == "connection" and value.strip().lower() == "close":
                    closing = True
            await reader.readexactly(length)
            status = int(lines[0].split(" ", 2)[1])
            if closing:  # a server that answers one request per connection
                writer.close()
                reader = writer = None
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            if writer is not None:
                writer.close()
            reader = writer = None
        results.append((request, status, (time.perf_counter() - started) * 1000, cookie))
    if writer is not None:
        writer.close()


def run_clients(port: int, requests: list[dict], clients: int) -> tuple[list, float]:
    for request in requests:
        request["raw"] = _encode(request)
    deadline = time.monotonic() + DEADLINE_SECONDS
    shares = [requests[n::clients] for n in range(clients)]
    results: list = []

    async def everyone() -> None:
        await asyncio.gather(*(_client(port, share, deadline, results) for share in shares))

    started = time.perf_counter()
    asyncio.run(everyone())
    return results, time.perf_counter() - started


def _processes() -> dict[int, tuple[int, str, str]]:
    """Every process: pid -> (parent pid, name, command line)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{entry}/comm") as comm:
                name = comm.read().strip()
        except OSError:
            continue
        found[int(entry)] = (int(fields[1]), name, command)
    return found


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """Where the machine's CPU time goes during one phase, per request (Linux /proc).

    The web server's processes, this database's PostgreSQL backends (found by the
    database name in their title), the Redis server, and this client process. It shows
    the ceiling the 2-core machine sets, whatever else is running on it.
    """

    def __init__(self, server_pid: int, database: str | None):
        self.server_pid, self.database = server_pid, database

    def _groups(self) -> dict[str, list[int]]:
        processes = _processes()
        groups: dict[str, list[int]] = {"server": [self.server_pid], "database": [], "redis": []}
        for pid, (parent, name, command) in processes.items():
            if parent == self.server_pid:
                groups["server"].append(pid)
            elif self.database and name.startswith("postgres") and f" {self.database} " in command:
                groups["database"].append(pid)
            elif name.startswith("redis-server"):
                groups["redis"].append(pid)
        return groups

    def start(self) -> None:
        self.pids = self._groups()
        self.before = {group: sum(map(_cpu, pids)) for group, pids in self.pids.items()}
        self.client_before = time.process_time()

    def stop(self, requests: int) -> str:
        # Backends that connected during the phase count too (from zero).
        now = self._groups()
        used = {
            group: sum(map(_cpu, set(pids) | set(self.pids[group]))) - self.before[group]
            for group, pids in now.items()
        }
        used["client"] = time.process_time() - self.client_before
        total = sum(used.values())
        parts = ", ".join(
            f"{group} {seconds / requests * 1000:.2f}" for group, seconds in used.items()
        )
        cores = os.cpu_count() or 1
        return (
            f"CPU ms per request: {parts}; total {total / requests * 1000:.2f} "
            f"-> ceiling on {cores} cores: {requests / total * cores:.0f}/s"
        )


def report(name: str, results: list, elapsed: float, floor_rate: float | None = None) -> float:
    timings = [ms for _request, _status, ms, _cookie in results]
    rate = len(results) / elapsed
    statuses = dict(sorted(Counter(status for _r, status, _ms, _c in results).items()))
    ratio = f"{floor_rate / rate:6.1f}x" if floor_rate else "     -"
    print(
        f"{name:34} {len(results):7d} {rate:9.0f}/s {statistics.median(timings):8.2f} "
        f"{percentile(timings, 0.99):8.2f} {ratio}  {statuses}"
    )
    return rate


def address(n: int) -> str:
    """A distinct loopback address per voter (only a header; nothing is sent there)."""
    return f"127.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255 or 1}"


def make_poll():
    import datetime as dt

    from django.utils import timezone
    from wagtail.models import Locale

    from tawasul.polls.models import Poll, PollChoice

    locale = Locale.objects.get_or_create(language_code="ar")[0]
    now = timezone.now()
    poll = Poll.objects.create(
        question=f"استطلاع القياس {now:%Y-%m-%d %H:%M:%S}",
        locale=locale,
        kind=Poll.Kind.MULTIPLE,
        max_choices=2,
        status=Poll.Status.PUBLISHED,
        opens_at=now - dt.timedelta(minutes=1),
        closes_at=now + dt.timedelta(hours=2),
    )
    for order, label in enumerate(["أ", "ب", "ج", "د"]):
        PollChoice.objects.create(poll=poll, label=label, sort_order=order, locale=locale)
    return poll


def audit(poll, acknowledged: list[dict]) -> bool:
    """Every acknowledged ballot is stored exactly as sent, and nothing else is."""
    from tawasul.polls import selectors
    from tawasul.polls.models import Vote, VoteChoice

    keys = {choice.translation_key: choice.pk for choice in poll.choices.all()}
    stored: dict[int, list[int]] = {}
    for vote_id, key in VoteChoice.objects.filter(poll_key=poll.translation_key).values_list(
        "vote_id", "choice_key"
    ):
        stored.setdefault(vote_id, []).append(keys[key])
    votes = Vote.objects.filter(poll_key=poll.translation_key).count()
    sent = Counter(tuple(sorted(request["ballot"])) for request in acknowledged)
    kept = Counter(tuple(sorted(ballot)) for ballot in stored.values())
    tally = selectors.poll_tally(poll)
    expected = Counter(pk for request in acknowledged for pk in request["ballot"])
    lost = len(acknowledged) - votes if votes < len(acknowledged) else 0
    extra = votes - len(acknowledged) if votes > len(acknowledged) else 0
    ok = (
        votes == len(acknowledged)
        and sent == kept
        and {keys[row.key]: row.votes for row in tally.rows}
        == {pk: expected[pk] for pk in keys.values()}
        and tally.voters == votes
    )
    print(
        f"\nAudit: {len(acknowledged)} votes acknowledged, {votes} stored "
        f"({lost} lost, {extra} not acknowledged); ballots identical: {sent == kept}; "
        f"tally equals stored votes: {tally.voters == votes} -> {'OK' if ok else 'MISMATCH'}"
    )
    started = time.perf_counter()
    for _ in range(20):
        selectors.poll_tally(poll)
    print(
        f"Results query (voters and counts per answer, {votes} votes): "
        f"{(time.perf_counter() - started) / 20 * 1000:.2f} ms"
    )
    return ok


def tally_at_scale(count: int) -> None:
    """How long the results query takes on a poll with ``count`` votes (written in bulk)."""
    import uuid

    from django.db import connection

    from tawasul.polls import selectors
    from tawasul.polls.models import Vote, VoteChoice

    poll = make_poll()
    keys = [choice.translation_key for choice in poll.choices.all()]
    rng = random.Random(count)
    written = 0
    while written < count:
        batch = min(5000, count - written)
        votes = Vote.objects.bulk_create(
            [
                Vote(poll_key=poll.translation_key, voter=f"b:{uuid.uuid4().hex}", language="ar")
                for _ in range(batch)
            ]
        )
        VoteChoice.objects.bulk_create(
            [
                VoteChoice(vote_id=vote.pk, poll_key=poll.translation_key, choice_key=key)
                for vote in votes
                for key in rng.sample(keys, rng.randint(1, 2))
            ]
        )
        written += batch
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE polls_vote; ANALYZE polls_votechoice")
    selectors.poll_tally(poll)
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        tally = selectors.poll_tally(poll)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"Results query on a poll of {tally.voters} votes ({tally.selections} answers ticked): "
        f"p50 {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per process")
    parser.add_argument(
        "--tally-votes",
        type=int,
        default=100_000,
        help="also time the results query on a poll this large (0: skip)",
    )
    args = parser.parse_args()
    votes = max(100, min(args.votes, 50_000))
    clients = max(1, min(args.clients, 64))

    with tempfile.TemporaryDirectory(prefix="tawasul-bench-votes-") as folder:
        os.environ.update(
            {
                "TAWASUL_DATA": folder,
                "TAWASUL_BENCH_FLOOR": "1",
                "TAWASUL_POW_MAX_NUMBER": "1000",
                "TAWASUL_PROXY_COUNT": "1",
                "TAWASUL_LOG_LEVEL": "WARNING",
                "DJANGO_SETTINGS_MODULE": "tawasul.settings",
            }
        )
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from tawasul.core import antibot

        call_command("migrate", interactive=False, verbosity=0)
        poll = make_poll()
        ids = [choice.pk for choice in poll.choices.all()]
        rng = random.Random(2026)
        print(
            f"Tawasul vote benchmark — database: {connection.vendor}, cache: "
            f"{'Redis' if os.environ.get('REDIS_URL') else 'local memory (per process)'}, "
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, server: "
            f"{args.workers} processes x {args.threads} threads, {clients} clients"
        )
        print(f"Solving {votes + 300} proofs of work before the clock starts…", flush=True)
        path = f"/api/v1/polls/{poll.pk}/votes"
        vote_requests = []
        for n in range(votes):
            ballot = rng.sample(ids, rng.randint(1, 2))
            body = {
                "choices": ballot,
                "altcha": antibot.solve(antibot.challenge_new(scope="polls:vote")),
            }
            vote_requests.append(
                {
                    "method": "POST",
                    "path": path,
                    "ballot": ballot,
                    "body": json.dumps(body),
                    "headers": {
                        "Content-Type": "application/json",
                        "X-Forwarded-For": address(n + 1),
                    },
                }
            )
        fresh = [antibot.solve(antibot.challenge_new(scope="polls:vote")) for _ in range(300)]
        warm_votes = [
            dict(
                request,
                body=json.dumps({"choices": request["ballot"], "altcha": fresh.pop()}),
                headers={**request["headers"], "X-Forwarded-For": address(votes + 400 + n)},
            )
            for n, request in enumerate(vote_requests[:100])
        ]
        pg = connection.vendor == "postgresql"
        connection.close()

        port = free_port()
        env = {**os.environ, "WEB_CONCURRENCY": str(args.workers)}
        server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "tawasul",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    probe.request("GET", "/_floor")
                    probe.getresponse().read()
                    break
                except OSError:
                    time.sleep(0.3)
            warm = [dict(vote_requests[0], path="/_floor", method="GET", body=None)] * 200
            run_clients(port, warm, clients)
            # Votes too, so the timed phase meets warm connections and caches; they are
            # audited with the rest.
            warmed, _elapsed = run_clients(port, warm_votes, clients)

            print(
                f"\n{'':34} {'requests':>7} {'rate':>11} {'p50 ms':>8} {'p99 ms':>8} "
                f"{'x floor':>7}  statuses"
            )
            floor = [{"method": "GET", "path": "/_floor", "headers": {}}] * votes
            meter = CpuMeter(server.pid, connection.settings_dict["NAME"] if pg else None)
            meter.start()
            floor_rate = report("baseline GET /_floor", *run_clients(port, floor, clients))
            floor_cpu = meter.stop(len(floor))
            meter.start()
            results, elapsed = run_clients(port, vote_requests, clients)
            vote_cpu = meter.stop(len(vote_requests))
            rate = report("POST /api/v1/polls/{id}/votes", results, elapsed, floor_rate)

            acknowledged = [request for request, status, _ms, _cookie in results if status == 201]
            warm_acknowledged = [r for r, status, _ms, _cookie in warmed if status == 201]
            cookies = [
                cookie.split(";", 1)[0] for _r, status, _ms, cookie in results if status == 201
            ]
            again = [
                dict(
                    request,
                    body=json.dumps({"choices": request["ballot"], "altcha": fresh.pop()}),
                    headers={**request["headers"], "Cookie": cookie},
                )
                for request, cookie in zip(acknowledged[:200], cookies[:200], strict=True)
            ]
            report("  the same voters again (409)", *run_clients(port, again, clients))
            replays = [
                dict(
                    request,
                    headers={**request["headers"], "X-Forwarded-For": address(votes + n + 1)},
                )
                for n, request in enumerate(vote_requests[-200:])
            ]
            replayed, replay_time = run_clients(port, replays, clients)
            report("  replayed proofs of work (400)", replayed, replay_time)
            slipped = [request for request, status, _ms, _cookie in replayed if status == 201]
            if slipped:  # the database holds each spent proof once: this must not happen
                print(f"  {len(slipped)} replayed proofs of work accepted")
            acknowledged += slipped + warm_acknowledged
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

        ok = audit(poll, acknowledged)
        if args.tally_votes > 0:
            tally_at_scale(min(args.tally_votes, 1_000_000))
        print(f"\nbaseline: {floor_cpu}\nvotes:    {vote_cpu}")
        print(
            f"\nVotes per second: {rate:.0f} "
            f"({rate / floor_rate:.0%} of the floor's {floor_rate:.0f} requests/s)"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""The ``tawasul`` command.

``tawasul demo``    the embedded default in one command (migrate, demo content, serve, worker)
``tawasul serve``   the production web server (granian)
``tawasul worker``  the background task worker (django-tasks database worker) and the
                    clock for scheduled publishing
``tawasul <cmd>``   any Django or Wagtail management command, with Tawasul's settings

``--data DIR`` (or ``TAWASUL_DATA``) puts the embedded data somewhere other than ``./var/``;
every command honours it.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

SETTINGS = "tawasul.settings"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    argv = _take_data_option(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    try:
        if command == "demo":
            return demo(rest)
        if command == "serve":
            return serve(rest)
        if command == "worker":
            return worker(rest)
        return manage([command, *rest])
    except KeyboardInterrupt:
        return 130
    except ConfigurationError as error:
        print(f"tawasul: configuration error: {error}", file=sys.stderr)
        return 2


class ConfigurationError(Exception):
    pass


def _take_data_option(argv: list[str]) -> list[str]:
    """Remove ``--data DIR`` / ``--data=DIR`` wherever it stands; export it."""
    kept: list[str] = []
    items = iter(argv)
    for item in items:
        if item == "--data":
            value = next(items, None)
            if not value:
                raise SystemExit("tawasul: --data needs a folder")
            os.environ["TAWASUL_DATA"] = os.path.abspath(value)
        elif item.startswith("--data="):
            os.environ["TAWASUL_DATA"] = os.path.abspath(item.split("=", 1)[1])
        else:
            kept.append(item)
    return kept


def _setup() -> None:
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        raise ConfigurationError(str(error)) from None


def manage(argv: list[str]) -> int:
    _setup()
    from django.core.management import execute_from_command_line, get_commands

    if argv and argv[0] not in get_commands() and "-" in argv[0]:
        # tawasul search-reindex == the search_reindex management command
        argv = [argv[0].replace("-", "_"), *argv[1:]]
    execute_from_command_line(["tawasul", *argv])
    return 0


def worker(argv: list[str]) -> int:
    """The django-tasks database worker (every db_worker option works), plus the clock
    for scheduled publishing unless ``--no-clock``."""
    _setup()
    if "--no-clock" in argv:
        argv = [arg for arg in argv if arg != "--no-clock"]
    else:
        from tawasul.core import clock

        clock.start()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tawasul", "db_worker", *argv])
    return 0


def _server_args(bind: str, workers: int, threads: int) -> list[str]:
    """granian serving the WSGI application (docs/decisions/0060-granian-and-the-vote-lane.md).

    ``bind`` is ``host:port`` (``[::1]:8000`` for IPv6) or ``unix:/path``."""
    if bind.startswith("unix:"):
        where = ["--uds", bind.removeprefix("unix:")]
    else:
        host, _sep, port = bind.rpartition(":")
        if not host or not port.isdigit():
            raise ConfigurationError(
                f"TAWASUL_BIND: expected host:port or unix:/path; got {bind!r}."
            )
        where = ["--host", host.strip("[]"), "--port", port]
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        *where,
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "20",
        "tawasul.wsgi:application",
    ]


def _web_concurrency() -> int:
    value = os.environ.get("WEB_CONCURRENCY", "").strip()
    if not value:
        return min(2 * (os.cpu_count() or 1) + 1, 9)
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError(
            f"WEB_CONCURRENCY: expected a whole number of processes; got {value!r}."
        )
    return int(value)


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tawasul serve", description="Production web server.")
    parser.add_argument("--bind", default=os.environ.get("TAWASUL_BIND", "127.0.0.1:8000"))
    parser.add_argument(
        "--workers",
        type=int,
        default=_web_concurrency(),
        help="processes (default: WEB_CONCURRENCY, else 2 x CPUs + 1, at most 9)",
    )
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    _setup()  # fail here, with the variable's name, rather than inside every worker
    os.execv(sys.executable, _server_args(args.bind, args.workers, args.threads))  # noqa: S606
    return 0  # pragma: no cover - execv does not return


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="tawasul demo",
        description="Run the portal on the embedded default with bilingual demo content.",
    )
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--no-serve", action="store_true", help="prepare the data, then exit (no server)"
    )
    args = parser.parse_args(argv)
    if os.environ.get("TAWASUL_ENV") == "production":
        raise ConfigurationError("TAWASUL_ENV: demo runs on the embedded default, not production.")
    if not 0 < args.port < 65536:
        raise SystemExit("tawasul demo: --port must be between 1 and 65535")
    os.environ.setdefault("TAWASUL_BASE_URL", f"http://127.0.0.1:{args.port}")
    _setup()
    from django.conf import settings
    from django.core.management import call_command

    print(f"Tawasul demo data: {settings.DATA_DIR}")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo_content")
    # The analysts' dashboard reads daily rollups; count the demo's past days once (the
    # worker's clock keeps today and yesterday current from here on).
    call_command("insights_rollup", snapshots=True, verbosity=0)
    if args.no_serve:
        return 0
    return _run_together(
        web=_server_args(f"127.0.0.1:{args.port}", workers=2, threads=4),
        worker=[sys.executable, "-m", "tawasul.cli", "worker"],
        url=f"http://127.0.0.1:{args.port}/ar/",
    )


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _run_together(*, web: list[str], worker: list[str], url: str) -> int:
    """Run the web server and the worker until Ctrl-C (or SIGTERM, as a service manager
    sends it) or until either one dies; then stop both."""
    signal.signal(signal.SIGTERM, _interrupt)
    processes = {
        "web": subprocess.Popen(web),  # noqa: S603 - our own interpreter and arguments
        "worker": subprocess.Popen(worker),  # noqa: S603
    }
    print(f"\nTawasul is running: {url}  (admin: {url.rsplit('/ar/', 1)[0]}/admin/)")
    print("Press Ctrl-C to stop.\n", flush=True)
    code = 0
    try:
        while True:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"tawasul demo: the {name} process stopped; stopping.", file=sys.stderr)
                    code = process.returncode or 1
                    raise StopIteration
            time.sleep(0.5)
    except (KeyboardInterrupt, StopIteration):
        pass
    finally:
        _stop(processes.values())
    print("Tawasul demo stopped.")
    return code


def _stop(processes) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 25
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    sys.exit(main())

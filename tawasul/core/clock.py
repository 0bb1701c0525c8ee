"""Timed work that runs inside ``tawasul worker``, beside the task queue.

Once a minute: publishing and unpublishing pages whose scheduled time has come
(Wagtail's publish_scheduled), then every job an app registered with :func:`register`
(in its ``AppConfig.ready()``). Several workers may run the clock; every job must be
idempotent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.core.management import call_command
from django.db import close_old_connections

log = logging.getLogger("tawasul.worker")
CLOCK_SECONDS = 60
_jobs: dict[str, Callable[[], object]] = {}


def register(name: str, job: Callable[[], object]) -> None:
    """Run ``job()`` on every tick (idempotent work only: several workers may tick)."""
    _jobs[name] = job


def _publish_scheduled() -> None:
    call_command("publish_scheduled", verbosity=0)


def tick() -> None:
    """One round of timed work. Errors are logged per job; the clock keeps going."""
    for name, job in [("scheduled publishing", _publish_scheduled), *_jobs.items()]:
        try:
            job()
        except Exception:
            log.exception("timed job failed", extra={"job": name})


def start() -> threading.Event:
    """Run :func:`tick` now and every minute in a daemon thread; set the event to stop."""
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            tick()
            # The clock's thread has its own connection; drop it if it went stale.
            close_old_connections()
            stop.wait(CLOCK_SECONDS)

    threading.Thread(target=run, daemon=True, name="tawasul-clock").start()
    return stop

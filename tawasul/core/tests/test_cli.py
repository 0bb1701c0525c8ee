"""The tawasul command as a newcomer runs it: demo data, a real server and worker, Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import free_port
from tawasul.core.tests.test_env import run_tawasul


def test_demo_content_is_idempotent(tmp_path):
    first = run_tawasul(["demo", "--no-serve"], {}, tmp_path)
    assert first.returncode == 0, first.stderr
    second = run_tawasul(["demo", "--no-serve"], {}, tmp_path)
    assert second.returncode == 0, second.stderr
    # The same administrator and password both times.
    credentials = [line for line in first.stdout.splitlines() if "admin@" in line]
    assert credentials and credentials == [
        line for line in second.stdout.splitlines() if "admin@" in line
    ]
    count = run_tawasul(
        ["shell", "-c", "from wagtail.models import Page; print(Page.objects.count())"],
        {},
        tmp_path,
    )
    # root + 2 homes + 2 x 5 content pages + 2 x (news, events, awareness, e-services
    # indexes) + 2 x 3 articles + 2 x 4 events + 2 x 4 awareness material + 2 x 10 e-services
    assert count.stdout.strip().splitlines()[-1] == "63"
    assert (tmp_path / "tawasul.sqlite3").exists()
    # The analysts' dashboard has the demo's past days counted (daily rollups).
    rollups = run_tawasul(
        [
            "shell",
            "-c",
            "from tawasul.insights.models import DailyCount as D; print(D.objects.count())",
        ],
        {},
        tmp_path,
    )
    assert int(rollups.stdout.strip().splitlines()[-1]) > 0


def test_data_folder_from_the_environment_is_honoured(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL"}
    }
    env["TAWASUL_DATA"] = str(tmp_path / "elsewhere")
    result = subprocess.run(
        [sys.executable, "-m", "tawasul", "migrate", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "elsewhere" / "tawasul.sqlite3").exists()


def _children(pid: int) -> set[int]:
    """Processes whose parent is ``pid`` (read from /proc; the tests run on Linux)."""
    from pathlib import Path

    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            after_name = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(after_name[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_demo_serves_both_languages_and_stops_cleanly(tmp_path, stop):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tawasul", "demo", "--data", str(tmp_path), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    try:
        pages = {}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(pages) < 2:
            try:
                for language in ("ar", "en"):
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/{language}/", timeout=5
                    ) as r:
                        pages[language] = r.read().decode()
            except OSError:
                time.sleep(0.5)
        assert '<html lang="ar" dir="rtl">' in pages.get("ar", "")
        assert '<html lang="en" dir="ltr">' in pages.get("en", "")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            assert r.status == 200
        children = _children(process.pid)
        assert len(children) == 2, "the web server and the worker"
        if stop == "ctrl-c":
            # Ctrl-C in a terminal signals the whole foreground process group.
            os.killpg(process.pid, signal.SIGINT)
        else:
            # A service manager stops the main process only; it must stop its children.
            os.kill(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 0, output
    assert "Demo administrator: admin@tawasul.local" in output
    assert "Tawasul demo stopped." in output
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
    assert not [pid for pid in children if _alive(pid)]

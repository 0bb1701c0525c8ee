"""Start-up configuration: bad values stop start-up with the variable's name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tawasul import env

PRODUCTION = {
    "TAWASUL_ENV": "production",
    "SECRET_KEY": "k" * 20 + "Q7x!pL0s-2mZr9" * 4,
    "ALLOWED_HOSTS": "moi.example",
    "TAWASUL_BASE_URL": "https://moi.example",
    "DATABASE_URL": "postgres://tawasul:secret@127.0.0.1:5432/tawasul",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+starttls://mailer:secret@mail.moi.example:587",
}


def run_tawasul(args: list[str], extra_env: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "TAWASUL_DATA"}
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"):
        clean.pop(name, None)
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "tawasul", "--data", str(tmp_path), *args],
        env={**clean, **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_malformed_database_url_stops_startup_naming_it(tmp_path):
    result = run_tawasul(["check"], {"DATABASE_URL": "mysql-ish:nonsense"}, tmp_path)
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "missing",
    ["SECRET_KEY", "ALLOWED_HOSTS", "TAWASUL_BASE_URL", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"],
)
def test_production_without_a_required_variable_names_it(missing, tmp_path):
    values = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_tawasul(["check"], values, tmp_path)
    assert result.returncode == 2
    assert missing in result.stderr


def test_production_check_deploy_is_clean(tmp_path):
    result = run_tawasul(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_weak_production_secret_key_is_refused():
    os.environ["SECRET_KEY_PROBE"] = "django-insecure-short"
    try:
        with pytest.raises(ImproperlyConfigured, match=r"^SECRET_KEY_PROBE"):
            env.secret_key("SECRET_KEY_PROBE", required=True)
    finally:
        del os.environ["SECRET_KEY_PROBE"]


@pytest.mark.parametrize(
    "value",
    ["nonsense", "mysql://u@h/db", "postgres://u@h:notaport/db", "postgres://u@h:5432/"],
)
def test_database_url_errors_name_the_variable(value, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", value)
    with pytest.raises(ImproperlyConfigured, match=r"^DATABASE_URL: "):
        env.database("DATABASE_URL", required=False, data_dir=tmp_path)


def test_database_url_for_postgres_is_read(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p%40ss@db.internal:6432/portal")
    config = env.database("DATABASE_URL", required=True, data_dir=tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["PASSWORD"]) == (
        "db.internal",
        6432,
        "portal",
        "p@ss",
    )


def test_embedded_database_is_sqlite_in_wal_mode(tmp_path):
    config = env.database("NO_SUCH_VARIABLE", required=False, data_dir=tmp_path)
    assert config["NAME"] == tmp_path / "tawasul.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://relay:25", {"EMAIL_HOST": "relay", "EMAIL_PORT": 25, "EMAIL_USE_TLS": False}),
        (
            "smtp+starttls://u:p@m",
            {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_HOST_USER": "u"},
        ),
        (
            "smtps://u:p%2Fw@m",
            {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_HOST_PASSWORD": "p/w"},
        ),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_email_url_schemes(url, expected):
    config = env.email(url, outbox=Path("/unused"))
    assert {k: config[k] for k in expected} == expected


@pytest.mark.parametrize(
    "url", ["junk", "http://mail", "smtp://", "smtp://m:port", "smtp://m?timeout=x"]
)
def test_bad_email_url_names_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match=r"^EMAIL_URL: "):
        env.email(url, outbox=Path("/unused"))


@pytest.mark.parametrize("value", ["http://x:1", "redis://h:port/0", "redis://"])
def test_bad_redis_url_names_the_variable(value, monkeypatch):
    monkeypatch.setenv("REDIS_URL", value)
    with pytest.raises(ImproperlyConfigured, match=r"^REDIS_URL: "):
        env.redis_url("REDIS_URL", required=False)


@pytest.mark.parametrize("value", ["moi.example", "ftp://moi.example", "https://moi.example/path"])
def test_bad_base_url_names_the_variable(value, monkeypatch):
    monkeypatch.setenv("TAWASUL_BASE_URL", value)
    with pytest.raises(ImproperlyConfigured, match=r"^TAWASUL_BASE_URL: "):
        env.base_url("TAWASUL_BASE_URL", required=True, default="")


def test_boolean_reader_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("TAWASUL_DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match=r"^TAWASUL_DEBUG: "):
        env.boolean("TAWASUL_DEBUG", default=False)


def test_production_refuses_sqlite(tmp_path):
    values = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    result = run_tawasul(["check"], values, tmp_path)
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr


@pytest.mark.parametrize("value", ["   ", "console://"])
def test_production_refuses_mail_that_would_not_be_sent(value, tmp_path):
    result = run_tawasul(["check"], {**PRODUCTION, "EMAIL_URL": value}, tmp_path)
    assert result.returncode == 2
    assert "EMAIL_URL" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TAWASUL_TIME_ZONE", "Mars/Olympus"),
        ("DEFAULT_FROM_EMAIL", "nobody"),
        ("TAWASUL_PROXY_COUNT", "two"),
        ("TAWASUL_ENV", "staging"),
    ],
)
def test_other_bad_values_stop_startup_naming_the_variable(name, value, tmp_path):
    result = run_tawasul(["check"], {name: value}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"tawasul: configuration error: {name}: ")


def test_bad_web_concurrency_stops_serve_naming_it(tmp_path):
    result = run_tawasul(["serve"], {"WEB_CONCURRENCY": "many"}, tmp_path)
    assert result.returncode == 2
    assert "WEB_CONCURRENCY" in result.stderr


def test_a_bind_address_that_is_neither_host_port_nor_a_socket_stops_serve(tmp_path):
    result = run_tawasul(["serve"], {"TAWASUL_BIND": "localhost"}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("tawasul: configuration error: TAWASUL_BIND: ")


@pytest.mark.parametrize(
    ("bind", "where"),
    [
        ("0.0.0.0:8000", ["--host", "0.0.0.0", "--port", "8000"]),  # noqa: S104
        ("[::1]:8001", ["--host", "::1", "--port", "8001"]),
        ("unix:/run/tawasul/web.sock", ["--uds", "/run/tawasul/web.sock"]),
    ],
)
def test_the_bind_address_reaches_the_server(bind, where):
    from tawasul.cli import _server_args

    args = _server_args(bind, workers=3, threads=6)
    position = args.index(where[0])
    assert args[position : position + len(where)] == where
    assert args[args.index("--workers") + 1] == "3"
    assert args[args.index("--blocking-threads") + 1] == "6"
    assert args[-1] == "tawasul.wsgi:application"

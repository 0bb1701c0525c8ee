"""Typed readers for environment variables that fail loudly.

Each reader takes the variable's name and raises ``ImproperlyConfigured`` with a
message that starts with that name, so a bad deployment stops at start-up and
says which variable to fix.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def _fail(name: str, message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{name}: {message}")


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return value.strip() if value is not None else None


def boolean(name: str, *, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise _fail(name, f"expected one of 1/0, true/false, yes/no, on/off; got {value!r}.")


def integer(name: str, *, default: int, minimum: int | None = None) -> int:
    value = _raw(name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise _fail(name, f"expected a whole number; got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise _fail(name, f"must be at least {minimum}; got {number}.")
    return number


def choice(name: str, allowed: tuple[str, ...], *, default: str) -> str:
    value = _raw(name) or default
    if value not in allowed:
        raise _fail(name, f"must be one of {', '.join(allowed)}; got {value!r}.")
    return value


def secret_key(name: str, *, required: bool) -> str | None:
    value = _raw(name)
    if not value:
        if required:
            raise _fail(name, "required in production: a long random string (50+ characters).")
        return None
    if required and (len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure")):
        raise _fail(name, "too weak for production: use 50+ random characters.")
    return value


def embedded_secret_key(data_dir: Path) -> str:
    """The embedded tier's key: made once and kept in the data directory."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def base_url(name: str, *, required: bool, default: str) -> str:
    value = _raw(name)
    if not value:
        if required:
            raise _fail(
                name, "required in production: the public address, e.g. https://moi.example."
            )
        return default
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise _fail(
            name, f"expected an http(s) address such as https://moi.example; got {value!r}."
        )
    if required and parts.scheme != "https":
        raise _fail(name, "must use https in production.")
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        raise _fail(name, "must be only scheme and host (and port), without a path.")
    return f"{parts.scheme}://{parts.netloc}"


def host_list(name: str, *, required: bool, default: list[str]) -> list[str]:
    value = _raw(name)
    if not value:
        if required:
            raise _fail(name, "required in production: comma-separated host names.")
        return default
    hosts = [host.strip() for host in value.split(",") if host.strip()]
    if required and "*" in hosts:
        raise _fail(name, "'*' is not allowed in production; list the host names.")
    if not hosts:
        raise _fail(name, "no host names found.")
    return hosts


def database(name: str, *, required: bool, data_dir: Path) -> dict:
    value = _raw(name)
    if not value:
        if required:
            raise _fail(name, "required in production: postgres://user:password@host:5432/db.")
        data_dir.mkdir(parents=True, exist_ok=True)
        return sqlite(data_dir / "tawasul.sqlite3")
    scheme = value.split(":", 1)[0].lower() if ":" in value else ""
    if scheme not in {"postgres", "postgresql", "sqlite"}:
        raise _fail(
            name, "expected postgres://user:password@host:5432/db (or sqlite:////absolute/path)."
        )
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except (ValueError, dj_database_url.ParseError) as error:
        raise _fail(name, f"could not be read as a database address ({error}).") from None
    if not config.get("NAME"):
        raise _fail(name, "names no database (add /name at the end).")
    if required and scheme == "sqlite":
        raise _fail(name, "production runs on PostgreSQL; use postgres://user:password@host/db.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        return sqlite(Path(config["NAME"]))
    return config


def sqlite(path: Path) -> dict:
    """SQLite tuned for a web server and a worker sharing one file."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the
            # write lock at BEGIN, so two writers queue instead of deadlocking.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # A file, not memory: concurrency tests need real connections from several threads.
        "TEST": {"NAME": str(path.with_name(f"test_{path.name}"))},
    }


def redis_url(name: str, *, required: bool) -> str | None:
    value = _raw(name)
    if not value:
        if required:
            raise _fail(name, "required in production: redis://host:6379/0.")
        return None
    parts = urlsplit(value)
    if parts.scheme not in {"redis", "rediss", "unix"} or not (parts.hostname or parts.path):
        raise _fail(name, f"expected redis://host:6379/0; got {value!r}.")
    try:
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise _fail(name, "the port is not a number.") from None
    return value


EMAIL_SCHEMES = {
    "smtp": (25, {}),
    "smtp+starttls": (587, {"EMAIL_USE_TLS": True}),
    "submission": (587, {"EMAIL_USE_TLS": True}),
    "smtps": (465, {"EMAIL_USE_SSL": True}),
}


def email(value: str, *, outbox: Path, production: bool = False, name: str = "EMAIL_URL") -> dict:
    """Django mail settings from an address such as ``smtp://user:pass@host:587``."""
    value = value.strip()
    if not value:
        if production:
            raise _fail(name, "required in production: smtp+starttls://user:password@host:587.")
        return {"EMAIL_BACKEND": "tawasul.core.mail.EmlFileBackend", "EMAIL_FILE_PATH": outbox}
    parts = urlsplit(value)
    if production and parts.scheme == "console":
        raise _fail(name, "console:// would print mail instead of sending it; use smtp.")
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "file":
        if not parts.path:
            raise _fail(name, "file:// needs a folder, e.g. file:///srv/tawasul/mail.")
        return {
            "EMAIL_BACKEND": "tawasul.core.mail.EmlFileBackend",
            "EMAIL_FILE_PATH": Path(unquote(parts.path)),
        }
    if parts.scheme not in EMAIL_SCHEMES:
        raise _fail(
            name,
            "expected smtp://, smtp+starttls://, submission://, smtps://, file:// or console://; "
            f"got {parts.scheme or value!r}.",
        )
    if not parts.hostname:
        raise _fail(name, "names no mail server host.")
    default_port, tls = EMAIL_SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise _fail(name, "the port is not a number.") from None
    options = parse_qs(parts.query)
    timeout = options.get("timeout", ["30"])[0]
    if not timeout.isdigit():
        raise _fail(name, "timeout must be a number of seconds.")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_TIMEOUT": int(timeout),
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        **tls,
    }


def time_zone(name: str, *, default: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = _raw(name) or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(name, f"unknown time zone {value!r}; use a name such as Asia/Qatar.") from None
    return value


def mailbox(name: str, *, default: str) -> str:
    """A sender such as ``Ministry <no-reply@moi.example>``."""
    from email.utils import parseaddr

    value = _raw(name) or default
    _display, address = parseaddr(value)
    if "@" not in address or any(ch in value for ch in "\r\n"):
        raise _fail(
            name, f"expected an address such as 'Ministry <no-reply@moi.example>'; got {value!r}."
        )
    return value

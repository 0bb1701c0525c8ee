"""Shared test fixtures: personas, factories and the demo site.

Personas (anonymous, citizen, other_citizen, moderator, editor, agent, analyst,
admin) are signed-in Django test clients, so a test reads as who does what.
"""

from __future__ import annotations

import io
import os
import threading

import factory
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

# Playwright's sync API runs an event loop in the test thread; Django's ORM is
# still used synchronously there, which is safe in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "a-Long-test-passphrase-2026"  # noqa: S105 - test accounts only


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.User"
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"مواطن {n}")
    preferred_language = "ar"
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted:
            from django.contrib.auth.models import Group

            from tawasul.accounts.roles import ROLES

            self.is_staff = True
            self.groups.add(*Group.objects.filter(name__in=[ROLES[r] for r in extracted]))
        self.save()


def human_check(scope: str) -> dict:
    """The form fields a browser sends after solving the proof-of-work for ``scope``."""
    from tawasul.core import antibot

    return {"altcha": antibot.solve(antibot.challenge_new(scope=scope))}


def unreachable_cache(location: str = "redis://127.0.0.1:1/0"):
    """Settings (a context manager) whose cache is a Redis server that does not answer."""
    from django.test import override_settings

    broken = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": location,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        }
    }
    return override_settings(CACHES=broken, SESSION_ENGINE="django.contrib.sessions.backends.db")


class ServedClient(Client):
    """Django's test client, but sending each request to the application a server runs
    (``tawasul.wsgi.application``), as granian would: through the vote lane
    (polls/lane.py) where a request takes it, else through Django's full stack. CSRF
    checks are enforced, as for any real client. The test's database transaction stays
    open: the request signals do not close its connection, as in Django's own client."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("enforce_csrf_checks", None)
        super().__init__(*args, **kwargs)
        self.handler = _served

    def _base_environ(self, **request):
        environ = super()._base_environ(**request)
        environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read())
        return environ


def _served(environ):
    from django.core import signals
    from django.core.handlers.wsgi import WSGIRequest
    from django.db import close_old_connections
    from django.http import HttpResponse

    from tawasul.wsgi import application

    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=int(status.split(" ", 1)[0]), headers=headers)

    request = WSGIRequest(dict(environ, **{"wsgi.input": io.BytesIO()}))
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    response = HttpResponse(body, status=answer["status"])
    for name, value in answer["headers"]:
        if name.lower() == "set-cookie":
            response.cookies.load(value)
        else:
            response[name] = value
    response.wsgi_request = request
    return response


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _immediate_tasks_and_clean_cache(request, settings):
    """Tasks run at once in tests; the cache (local or Redis) starts empty."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    # Transactional tests flush and reload the database; content type ids may change.
    ContentType.objects.clear_cache()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Tests see every change at once; the page cache has its own tests that turn it on.
    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        # Fill the content-type cache while the database still holds the content types.
        # The next transactional test restores the database from its snapshot, and
        # Wagtail's Page() asks for its content type while being restored: with an empty
        # cache that would insert a content type the snapshot then inserts again.
        from django.apps import apps

        ContentType.objects.get_for_models(*apps.get_models())


def _load_demo_content() -> None:
    with open(os.devnull, "w") as devnull:
        call_command("demo_content", stdout=devnull)


@pytest.fixture(scope="session", autouse=True)
def _media_in_a_temporary_folder(tmp_path_factory):
    """Uploads made by tests (and the demo's images) go to a folder deleted afterwards."""
    from django.test import override_settings

    override = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session")
def django_db_setup(_media_in_a_temporary_folder, django_db_setup, django_db_blocker):
    """The test database holds the demo content from the start, loaded once per run.

    Each test still rolls back to it; transactional tests with serialized_rollback get it
    back after their flush, because the snapshot they restore is taken after the load.
    """
    from django.db import connections

    with django_db_blocker.unblock():
        _load_demo_content()
        for connection in connections.all():
            if getattr(connection, "_test_serialized_contents", None) is not None:
                snapshot = connection.creation.serialize_db_to_string()
                # On the class too: Django keeps connection objects per context, and
                # Playwright's sync API runs browser tests in contexts whose connection
                # objects never saw the snapshot (they would neither restore it nor
                # keep the flush from recreating content types).
                type(connection)._test_serialized_contents = snapshot
                connection._test_serialized_contents = snapshot


@pytest.fixture
def demo_site(db):
    """The bilingual demo site (home pages, content pages and every app's demo content).

    Loaded once per run (see django_db_setup); loaded again only when a transactional
    test has flushed the database. Loading is idempotent.
    """
    from wagtail.models import Site

    if not Site.objects.filter(is_default_site=True, root_page__depth=2).exists():
        _load_demo_content()


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def anonymous(client):
    return client


@pytest.fixture
def citizen(db):
    return _client_for(UserFactory(email="citizen@example.org", display_name="سارة"))


@pytest.fixture
def other_citizen(db):
    return _client_for(UserFactory(email="other@example.org", display_name="Omar"))


@pytest.fixture
def moderator(db):
    return _client_for(UserFactory(email="moderator@example.org", roles=["moderator"]))


@pytest.fixture
def editor(db):
    return _client_for(UserFactory(email="editor@example.org", roles=["editor"]))


@pytest.fixture
def agent(db):
    return _client_for(UserFactory(email="agent@example.org", roles=["agent"]))


@pytest.fixture
def analyst(db):
    return _client_for(UserFactory(email="analyst@example.org", roles=["analyst"]))


@pytest.fixture
def admin(db):
    from tawasul.accounts.models import User

    user = User.objects.create_superuser(email="admin@example.org", password=PASSWORD)
    return _client_for(user)


@pytest.fixture
def user_factory(db):
    return UserFactory


def make_poll(
    *,
    question: str = "ما رأيك في الخدمة؟",
    choices: tuple[str, ...] = ("ممتازة", "جيدة", "ضعيفة"),
    english: tuple[str, tuple[str, ...]] | None = None,
    **settings,
):
    """A published, open poll in Arabic (and its English translation when ``english`` =
    (question, choices) is given). ``settings`` override any field (kind, electorate, ...)."""
    import datetime as dt

    from wagtail.models import Locale

    from tawasul.polls.models import Poll, PollChoice

    now = timezone.now()
    fields = {
        "status": Poll.Status.PUBLISHED,
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=30),
        **settings,
    }
    arabic_locale = Locale.objects.get_or_create(language_code="ar")[0]
    poll = Poll.objects.create(question=question, locale=arabic_locale, **fields)
    for order, label in enumerate(choices):
        PollChoice.objects.create(poll=poll, label=label, sort_order=order, locale=arabic_locale)
    if english is not None:
        translated = poll.copy_for_translation(Locale.objects.get_or_create(language_code="en")[0])
        translated.question = english[0]
        translated.save()
        for choice, label in zip(translated.choices.all(), english[1], strict=True):
            choice.label = label
            choice.save(update_fields=["label"])
    return poll


@pytest.fixture
def poll_factory(db):
    return make_poll


# ---------------------------------------------------------------- browser tests
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path() -> str | None:
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_together(jobs) -> list:
    """Start every job at the same moment, each in its own thread and database connection;
    returns each job's result, or the exception it raised."""
    from django.db import connection

    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # reported by the test, never lost
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture(scope="session")
def browser():
    """The system Chromium driven by Playwright (no browser is ever downloaded).

    Without Chromium the browser tests skip, except in CI (CI=true), where they fail.
    """
    path = _chromium_path()
    if path is None:
        reason = "Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; browser tests must run in CI")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def pdf_renderer():
    """WeasyPrint with the system's Pango and the Noto fonts, for the PDF reports.

    Without them the PDF tests skip, except in CI (CI=true), where they fail.
    """
    import shutil
    import subprocess

    reason = ""
    try:
        import weasyprint  # noqa: F401 - loads Pango
    except OSError:
        reason = "Pango is not installed (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
    fc_list = shutil.which("fc-list")
    if not reason and fc_list:
        families = subprocess.run(  # noqa: S603 - the system's fc-list, fixed arguments
            [fc_list, ":lang=ar", "family"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if "Noto" not in families:
            reason = "no Noto Arabic font (Debian: apt-get install fonts-noto-core)"
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; PDF tests must run in CI")
        pytest.skip(reason)


class PageWatch:
    """What a page asked for over the network and what the console complained about."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )

    def foreign_requests(self, allowed_host: str) -> list[str]:
        from urllib.parse import urlsplit

        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob", "about"}
            and urlsplit(url).hostname != allowed_host
        ]


@pytest.fixture
def browser_page(browser):
    """A fresh browser context and page; ``page.watch`` records requests and console errors."""
    context = browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.watch = PageWatch(page)
    page.set_default_timeout(15_000)
    yield page
    context.close()

"""Shared test fixtures: personas, factories and the demo site.

Personas (anonymous, citizen, other_citizen, moderator, editor, agent, analyst,
admin) are signed-in Django test clients, so a test reads as who does what.
"""

from __future__ import annotations

import os

import factory
import pytest
from django.core.management import call_command
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


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _immediate_tasks_and_clean_cache(settings):
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


@pytest.fixture
def demo_site(db):
    """The bilingual demo tree: Arabic and English home pages and content pages."""
    call_command("demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115


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

"""The index follows the site: publishing, editing, unpublishing, moving and deleting pages,
and the rebuild command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tawasul.eservices.models import ServicePage
from tawasul.news.models import EventPage, NewsArticlePage, NewsIndexPage
from tawasul.search import selectors
from tawasul.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def titles(query: str, **filters) -> list[str]:
    return [hit.title for hit in selectors.search(query, **filters).hits]


def test_the_demo_site_is_searchable_in_both_languages(demo_site):
    assert "الداخلية تتواصل مع الجمهور على شبكات التواصل الاجتماعي" in titles(
        "التواصل", language="ar"
    )
    assert "Passport renewal" in titles("passport", language="en")
    kinds = set(SearchDocument.objects.values_list("kind", flat=True))
    assert kinds >= {"news", "event", "awareness", "service", "page"}


def test_a_published_article_is_found_at_once(demo_site, django_capture_on_commit_callbacks):
    index = NewsIndexPage.objects.get(locale__language_code="ar")
    with django_capture_on_commit_callbacks(execute=True):
        article = NewsArticlePage(title="افتتاح مركز خدمات جديد في الشمال", slug="north")
        index.add_child(instance=article)
        article.save_revision().publish()
    results = selectors.search("مركز الشمال")
    assert [hit.title for hit in results.full_hits] == ["افتتاح مركز خدمات جديد في الشمال"]


def test_an_edit_replaces_the_old_words(demo_site, django_capture_on_commit_callbacks):
    article = NewsArticlePage.objects.get(
        slug="phishing-awareness-campaign", locale__language_code="ar"
    )
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "حملة عن الاحتيال الهاتفي"
        article.save_revision().publish()
    assert titles("الهاتفي") == ["حملة عن الاحتيال الهاتفي"]
    assert "حملة توعوية للتحذير من رسائل التصيّد الاحتيالي" not in titles("التصيد")


def test_an_unpublished_page_leaves_the_results(demo_site, django_capture_on_commit_callbacks):
    service = ServicePage.objects.get(slug="visit-visa", locale__language_code="ar")
    assert "طلب تأشيرة زيارة" in titles("تأشيرة")
    with django_capture_on_commit_callbacks(execute=True):
        service.unpublish()
    assert "طلب تأشيرة زيارة" not in titles("تأشيرة")


def test_a_deleted_page_leaves_the_results(demo_site, django_capture_on_commit_callbacks):
    event = EventPage.objects.get(slug="open-meeting-online", locale__language_code="en")
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    assert "Open online meeting with the public" not in titles("meeting")


def test_a_moved_page_is_found_at_its_new_address(demo_site, django_capture_on_commit_callbacks):
    from tawasul.core.models import StandardPage

    about = StandardPage.objects.get(slug="about", locale__language_code="ar")
    privacy = StandardPage.objects.get(slug="privacy", locale__language_code="ar")
    with django_capture_on_commit_callbacks(execute=True):
        about.move(privacy, pos="last-child")
    hit = next(hit for hit in selectors.search("البوابة").hits if hit.title == "عن البوابة")
    assert hit.url == "/ar/privacy/about/"


def test_the_rebuild_command_makes_the_index_whole_again(demo_site):
    SearchDocument.objects.filter(kind="service").delete()
    SearchDocument.objects.create(
        kind="news", object_id=987654, language="ar", title="يتيم", url="/ar/x/"
    )
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    assert "service: 20" in out.getvalue()
    assert SearchDocument.objects.filter(kind="service").count() == 20
    assert not SearchDocument.objects.filter(object_id=987654).exists()


def test_the_rebuild_command_names_an_unknown_kind(demo_site):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="unknown kind: recipes"):
        call_command("search_reindex", "recipes")


# ---------------------------------------------------------------- polls (not pages)
def test_an_open_poll_is_found_by_its_question_and_choices(
    demo_site, poll_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        poll = poll_factory(
            question="ما رأيك في مواعيد مراكز الخدمة؟", choices=("مناسبة", "مزدحمة")
        )
    assert titles("مواعيد")[0] == "ما رأيك في مواعيد مراكز الخدمة؟"  # the title ranks first
    assert titles("مزدحمة") == ["ما رأيك في مواعيد مراكز الخدمة؟"]
    hit = selectors.search("مواعيد").hits[0]
    assert (hit.kind, hit.url) == ("poll", poll.get_absolute_url())


def test_a_draft_poll_is_not_found_until_published(
    demo_site, poll_factory, django_capture_on_commit_callbacks
):
    from tawasul.polls.models import Poll

    with django_capture_on_commit_callbacks(execute=True):
        poll = poll_factory(question="استطلاع تجريبي عن الأرصفة", status=Poll.Status.DRAFT)
    assert titles("الأرصفة") == []
    with django_capture_on_commit_callbacks(execute=True):
        poll.status = Poll.Status.PUBLISHED
        poll.save()
    assert titles("الأرصفة") == ["استطلاع تجريبي عن الأرصفة"]


def test_a_scheduled_poll_is_found_once_the_clock_sees_it_open(
    demo_site, poll_factory, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from tawasul.core import clock

    with django_capture_on_commit_callbacks(execute=True):
        poll = poll_factory(
            question="استطلاع عن الحدائق العامة",
            opens_at=timezone.now() + dt.timedelta(hours=1),
        )
    assert titles("الحدائق") == []
    type(poll).objects.filter(pk=poll.pk).update(opens_at=timezone.now() - dt.timedelta(minutes=1))
    clock.tick()
    assert titles("الحدائق") == ["استطلاع عن الحدائق العامة"]

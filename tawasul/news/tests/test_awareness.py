"""Awareness material (videos, posters, documents) and videos that load nothing until played."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError

from tawasul.news.blocks import embed_url, vimeo_id, youtube_id
from tawasul.news.models import AwarenessIndexPage, AwarenessMaterialPage

pytestmark = pytest.mark.django_db


def _json_ld(html: str) -> dict:
    return json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))


def test_awareness_is_in_the_main_navigation(demo_site, anonymous):
    assert 'href="/ar/awareness/"' in anonymous.get("/ar/").content.decode()


def test_material_is_grouped_by_campaign(demo_site, anonymous):
    groups = anonymous.get("/ar/awareness/").context["groups"]
    by_campaign = {
        group["campaign"].slug: sorted(material.slug for material in group["materials"])
        for group in groups
    }
    assert by_campaign == {
        "digital-safety": ["family-digital-safety-guide"],
        "home-safety": ["keep-your-home-safe"],
        "phishing": ["never-share-your-code", "phishing-explained-video"],
    }


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ({"kind": "video"}, ["phishing-explained-video"]),
        ({"kind": "poster"}, ["keep-your-home-safe", "never-share-your-code"]),
        ({"campaign": "phishing", "kind": "poster"}, ["never-share-your-code"]),
        ({"campaign": "no-such-campaign"}, []),
        ({"kind": "<script>alert(1)</script>"}, None),  # an unknown kind shows everything
        ({"campaign": "x" * 5000}, []),
    ],
)
def test_material_can_be_filtered_by_kind_and_campaign(demo_site, anonymous, query, slugs):
    response = anonymous.get("/ar/awareness/", query)
    assert response.status_code == 200
    shown = sorted(m.slug for group in response.context["groups"] for m in group["materials"])
    if slugs is None:
        assert len(shown) == 4
    else:
        assert shown == slugs
    assert "<script>alert" not in response.content.decode()


def test_a_poster_has_its_full_text_as_alternative_and_a_download(demo_site, anonymous):
    html = anonymous.get("/ar/awareness/never-share-your-code/").content.decode()
    assert re.search(r'<img[^>]+alt="ملصق بعنوان «لا تشارك رمز التحقق مع أحد»', html)
    assert "نزّل الملصق" in html
    assert _json_ld(html)["@type"] == "ImageObject"


def test_english_poster_is_the_english_image(demo_site, anonymous):
    arabic = AwarenessMaterialPage.objects.get(
        slug="never-share-your-code", locale__language_code="ar"
    )
    english = arabic.get_translation(arabic.get_translations().first().locale)
    assert english.image_id != arabic.image_id
    assert "Never share your verification code" in english.image_alt


def test_a_document_is_offered_for_download_with_its_size(demo_site, anonymous):
    html = anonymous.get("/ar/awareness/family-digital-safety-guide/").content.decode()
    link = re.search(r'href="(/documents/[^"]+)"', html).group(1)
    assert "نزّل المستند (PDF)" in html
    assert anonymous.get(link).status_code == 200
    assert _json_ld(html)["@type"] == "DigitalDocument"


def test_a_video_page_requests_nothing_from_the_video_host(demo_site, anonymous):
    html = anonymous.get("/ar/awareness/phishing-explained-video/").content.decode()
    # Nothing the browser loads by itself (src, srcset, poster) points at another host;
    # the only YouTube address is a link, and the player's is in a data attribute.
    loaded = re.findall(r'(?:src|srcset|poster)="([^"]+)"', html)
    assert loaded and all(url.startswith("/") for url in loaded)
    assert "<iframe" not in html
    assert 'data-video-embed="https://www.youtube-nocookie.com/embed/Tawasul0001?' in html
    assert 'href="https://www.youtube.com/watch?v=Tawasul0001"' in html
    data = _json_ld(html)
    assert data["@type"] == "VideoObject"
    assert data["embedUrl"].startswith("https://www.youtube-nocookie.com/embed/")


def test_the_player_hosts_are_the_only_frames_the_policy_allows(anonymous, demo_site):
    policy = anonymous.get("/ar/").headers["Content-Security-Policy"]
    frames = re.search(r"frame-src ([^;]+)", policy).group(1).split()
    assert frames == ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]


def test_the_privacy_page_explains_videos(demo_site, anonymous):
    html = anonymous.get("/en/privacy/").content.decode()
    assert "YouTube" in html and "until you" in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=abcdefghijk", "abcdefghijk"),
        ("https://youtu.be/abcdefghijk", "abcdefghijk"),
        ("https://m.youtube.com/watch?v=abcdefghijk&t=10", "abcdefghijk"),
        ("https://www.youtube.com/shorts/abcdefghijk", "abcdefghijk"),
        ("https://www.youtube.com/embed/abcdefghijk", "abcdefghijk"),
        ("https://www.youtube.com/watch?v=short", None),
        ('https://www.youtube.com/watch?v=abc"><script>', None),
        ("https://evil.example/watch?v=abcdefghijk", None),
        ("https://youtube.com.evil.example/watch?v=abcdefghijk", None),
    ],
)
def test_youtube_addresses_are_read_strictly(url, expected):
    assert youtube_id(url) == expected


def test_vimeo_addresses_are_read_strictly():
    assert vimeo_id("https://vimeo.com/123456") == "123456"
    assert vimeo_id("https://vimeo.com/channels/staffpicks/123") is None
    assert embed_url("https://vimeo.com/123456") == (
        "https://player.vimeo.com/video/123456?autoplay=1&dnt=1"
    )
    assert embed_url("javascript:alert(1)") is None


def _material(**fields) -> AwarenessMaterialPage:
    index = AwarenessIndexPage.objects.get(locale__language_code="ar")
    return AwarenessMaterialPage(title="مادة", slug="new-material", locale=index.locale, **fields)


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"kind": "video"}, "video_url"),
        ({"kind": "video", "video_url": "https://evil.example/v.mp4"}, "video_url"),
        ({"kind": "video", "video_url": "https://www.youtube.com/watch?v=bad"}, "video_url"),
        ({"kind": "poster"}, "image"),
        ({"kind": "document"}, "document"),
    ],
)
def test_material_without_what_its_kind_needs_is_refused(demo_site, fields, error_field):
    with pytest.raises(ValidationError) as refused:
        _material(**fields).full_clean()
    assert error_field in refused.value.message_dict


def test_a_picture_without_a_text_alternative_is_refused(demo_site):
    poster = AwarenessMaterialPage.objects.get(
        slug="never-share-your-code", locale__language_code="ar"
    )
    material = _material(kind="poster", image=poster.image, image_alt="")
    with pytest.raises(ValidationError) as refused:
        material.full_clean()
    assert "image_alt" in refused.value.message_dict


def test_awareness_list_queries_do_not_grow_with_material(
    demo_site, anonymous, django_assert_max_num_queries
):
    anonymous.get("/ar/awareness/")
    with django_assert_max_num_queries(30) as few:
        anonymous.get("/ar/awareness/")
    budget = len(few)  # counted now: the query log is bounded; the work below rolls it over
    index = AwarenessIndexPage.objects.get(locale__language_code="ar")
    poster = AwarenessMaterialPage.objects.get(
        slug="never-share-your-code", locale__language_code="ar"
    )
    for n in range(6):
        material = AwarenessMaterialPage(
            title=f"ملصق {n}",
            slug=f"poster-{n}",
            kind="poster",
            image=poster.image,
            image_alt="ملصق",
            campaign=poster.campaign,
        )
        index.add_child(instance=material)
        material.save_revision().publish()
    anonymous.get("/ar/awareness/")  # publishing starts a new cache generation: warm it again
    with django_assert_max_num_queries(budget):
        anonymous.get("/ar/awareness/")

"""Template helpers every Tawasul template can use (loaded as a builtin)."""

from __future__ import annotations

from django import template
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.html import format_html, strip_tags

from tawasul.core import dates, text
from tawasul.core.models import SiteSettings

register = template.Library()


def _arabic_indic(context) -> bool:
    if translation.get_language() != "ar":
        return False
    request = context.get("request")
    if request is None:
        return False
    cached = getattr(request, "_tawasul_arabic_indic", None)
    if cached is None:
        site_settings = SiteSettings.for_request(request)
        cached = site_settings.arabic_digits == SiteSettings.Digits.ARABIC_INDIC
        request._tawasul_arabic_indic = cached
    return cached


@register.simple_tag(takes_context=True)
def long_date(context, value, hijri=True):
    """A ``<time>`` with the long Gregorian date and, beside it, the Hijri date."""
    if not value:
        return ""
    arabic_indic = _arabic_indic(context)
    gregorian = dates.to_digits(dates.gregorian_long(value), arabic_indic=arabic_indic)
    hijri_text = dates.hijri_long(value) if hijri else None
    if not hijri_text:
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), gregorian)
    return format_html(
        '<time datetime="{}">{}</time> <span class="hijri">({})</span>',
        value.isoformat(),
        gregorian,
        dates.to_digits(hijri_text, arabic_indic=arabic_indic),
    )


@register.simple_tag(takes_context=True)
def date_span(context, start, end, all_day=False):
    """When something happens: start and end as ``<time>`` elements, the Hijri date beside."""
    if not start or not end:
        return ""
    arabic_indic = _arabic_indic(context)
    first, last = dates.span_parts(start, end, all_day=all_day)

    def machine(value):
        return (
            timezone.localdate(value).isoformat()
            if all_day
            else timezone.localtime(value).isoformat()
        )

    html = format_html(
        '<time datetime="{}">{}</time>',
        machine(start),
        dates.to_digits(first, arabic_indic=arabic_indic),
    )
    if last:
        html = format_html(
            '{} – <time datetime="{}">{}</time>',
            html,
            machine(end),
            dates.to_digits(last, arabic_indic=arabic_indic),
        )
    hijri_text = dates.hijri_long(start)
    if hijri_text:
        html = format_html(
            '{} <span class="hijri">({})</span>',
            html,
            dates.to_digits(hijri_text, arabic_indic=arabic_indic),
        )
    return html


@register.simple_tag(takes_context=True)
def number(context, value):
    """A number in the digits the site has chosen for Arabic pages."""
    return dates.to_digits(str(value), arabic_indic=_arabic_indic(context))


@register.filter
def join_words(values) -> str:
    """Names joined as a sentence joins them: with the Arabic comma on Arabic pages."""
    separator = "، " if translation.get_language() == "ar" else ", "
    return separator.join(str(value) for value in values)


@register.filter
def display_name(value) -> str:
    """A person's name with bidi controls and invisible characters removed."""
    return text.neutralise(str(value or ""))


@register.inclusion_tag("core/includes/language_switch.html", takes_context=True)
def language_switch(context):
    """Links to this same page in the other languages (or to its translation)."""
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    links = []
    from django.conf import settings

    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        links.append({"code": code, "name": name, "url": _url_in(code, request, page)})
    return {"links": links}


def _url_in(code: str, request, page) -> str:
    from wagtail.models import Locale, Page

    if isinstance(page, Page) and page.pk:
        translation_page = page.get_translation_or_none(
            Locale.objects.filter(language_code=code).first()
        )
        if translation_page is not None and translation_page.live:
            return translation_page.url
        # No translation of this page: the other language's home page.
        with translation.override(code):
            return f"/{code}/"
    if request is None:
        return f"/{code}/"
    return translate_url(request.get_full_path(), code)


@register.inclusion_tag("core/includes/page_meta.html", takes_context=True)
def page_meta(context):
    """Canonical URL, hreflang alternates, Open Graph / Twitter card and JSON-LD of a page."""
    from wagtail.models import Page

    request = context.get("request")
    page = context.get("page")
    if request is None or not isinstance(page, Page) or not page.pk:
        return {}
    absolute = request.build_absolute_uri
    specific = page.specific
    translations = [
        {"code": other.locale.language_code, "url": absolute(other.get_url(request))}
        for other in page.get_translations(inclusive=True).live().public().select_related("locale")
    ]
    image = getattr(specific, "lead_image", None)
    image_url = absolute(image.get_rendition("fill-1200x630").url) if image else None
    description = (
        page.search_description
        or getattr(specific, "summary", "")
        or getattr(specific, "subtitle", "")
        or getattr(specific, "intro", "")
    )
    structured = specific.structured_data(request) if hasattr(specific, "structured_data") else None
    return {
        "canonical": absolute(page.get_url(request)),
        "translations": translations if len(translations) > 1 else [],
        "title": page.seo_title or page.title,
        "description": strip_tags(str(description))[:300],
        "og_type": getattr(specific, "og_type", "website"),
        "og_locale": {"ar": "ar_AR", "en": "en_US"}.get(page.locale.language_code, ""),
        "image_url": image_url,
        "structured_json": _ld_json(structured) if structured else "",
    }


def _ld_json(data: dict) -> str:
    """JSON for a <script type="application/ld+json">, safe against </script> in the text."""
    import json

    from django.utils.safestring import mark_safe

    text = json.dumps(data, ensure_ascii=False, default=str)
    return mark_safe(  # noqa: S308 - the three characters that could end the element are escaped
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )

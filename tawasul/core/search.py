"""What the site frame offers to search: its content pages (about, privacy, ...)."""

from django.utils.translation import gettext_lazy as _

from tawasul.core.models import StandardPage
from tawasul.search.registry import Source, live_pages, page_document, rich_text


def _page(page):
    return page_document(page, parts=[page.intro, rich_text(page.body)])


SOURCES = [Source("page", _("Pages"), StandardPage, lambda: live_pages(StandardPage), _page, 90)]

"""What the e-services directory offers to search."""

from django.utils.translation import gettext_lazy as _

from tawasul.eservices.models import ServicePage
from tawasul.search.registry import Source, live_pages, page_document, rich_text, stream_text


def _service(page):
    return page_document(
        page,
        parts=[
            page.summary,
            rich_text(page.description),
            page.category.name if page.category else "",
            page.department.name if page.department else "",
            stream_text(page.steps),
            stream_text(page.required_documents),
            page.fees,
            page.processing_time,
        ],
    )


SOURCES = [
    Source("service", _("E-services"), ServicePage, lambda: live_pages(ServicePage), _service, 40)
]

"""PDF reports with WeasyPrint: the report template rendered to HTML, then laid out with
the Noto fonts of Debian's fonts-noto-core (named by family in report.css, so Arabic is
shaped by HarfBuzz and set right to left). Nothing is fetched from the network: the URL
fetcher refuses every URL that is not inline data or a file of this app's static folder.
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STATIC = Path(__file__).parent / "static" / "tawasul"
STYLESHEET = STATIC / "css" / "report.css"


class LocalOnlyFetcher(URLFetcher):
    """data: URLs and this app's own static files; anything else is refused (and noted,
    so a test can see that nothing was asked of another host)."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data", "file"}, **kwargs)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file://"):
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if path.is_relative_to(STATIC.resolve()):
                return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"reports fetch nothing from elsewhere: {url}")


def report_html(content: dict, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "insights/report.html",
            {
                **content,
                "language": language,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
            },
        )


def render_pdf(content: dict, language: str, *, fetcher: LocalOnlyFetcher | None = None) -> bytes:
    html = report_html(content, language)
    fetcher = fetcher or LocalOnlyFetcher()
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET), url_fetcher=fetcher)])

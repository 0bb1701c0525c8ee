"""Public URLs live under /ar/ and /en/; admin, API-free operations and media outside."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from tawasul.api import api
from tawasul.core import views as core_views
from tawasul.inquiries import views as inquiries_views
from tawasul.newsletter import views as newsletter_views

handler404 = "tawasul.core.views.page_not_found"
handler500 = "tawasul.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("sitemap.xml", core_views.sitemap, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", api.urls),
    path("documents/", include(wagtaildocs_urls)),
    # Inbound mail from a provider's webhook (no language: machines post here).
    path("inquiries/inbound", inquiries_views.inbound, name="inquiries_inbound"),
    path("newsletter/bounces", newsletter_views.bounce_webhook, name="newsletter_bounces"),
]

if settings.BENCH_FLOOR:
    urlpatterns += [path("_floor", core_views.floor)]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", core_views.media),
    ]

urlpatterns += i18n_patterns(
    path("accounts/", include("tawasul.accounts.urls")),
    path("", include("tawasul.news.urls")),
    path("polls/", include("tawasul.polls.urls")),
    path("discussions/", include("tawasul.discussions.urls")),
    path("", include("tawasul.search.urls")),
    path("comments/", include("tawasul.comments.urls")),
    path("inquiries/", include("tawasul.inquiries.urls")),
    path("newsletter/", include("tawasul.newsletter.urls")),
    path("results/", include("tawasul.insights.urls")),
    # Wagtail's page tree last: it answers every path the apps above do not.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

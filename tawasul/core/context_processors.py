from django.conf import settings
from django.utils.translation import gettext as _
from wagtail.models import Site

from tawasul.core import navigation
from tawasul.core.models import HomePage, StandardPage


def _localized_home(request) -> HomePage | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    home = site.root_page.localized.specific
    return home if isinstance(home, HomePage) else None


def site(request):
    """What every public page's frame needs: agency name, navigation, footer links."""
    home = _localized_home(request)
    footer_pages = []
    if home is not None:
        footer_pages = (
            StandardPage.objects.child_of(home).live().public().in_menu().only("title", "url_path")
        )
    return {
        "agency_name": home.agency_name if home else _(settings.TAWASUL["DEFAULT_AGENCY_NAME"]),
        "home_page": home,
        "footer_pages": footer_pages,
        "main_navigation": navigation.main_navigation(request.path),
        "search_url": navigation.search_url(),
    }

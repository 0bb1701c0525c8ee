"""After the other apps' demo content: index all of it at once, so the demo's search box
finds everything from the first minute (the worker would get there too, a little later).

The search app comes after the apps whose content it indexes in INSTALLED_APPS, so this
runs last.
"""

from tawasul.search import services


def load(home, locales, translate) -> None:
    services.search_reindex()

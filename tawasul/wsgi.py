"""WSGI entry point, used by ``tawasul serve``: Django, with anonymous API votes taking
the lane in ``polls/lane.py``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")

application = get_wsgi_application()

from tawasul.polls.lane import with_vote_lane  # noqa: E402 - needs the settings loaded

application = with_vote_lane(application)

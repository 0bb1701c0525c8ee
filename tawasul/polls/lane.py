"""The lane for anonymous votes: ``POST /api/v1/polls/<id>/votes`` without a session.

An anonymous vote is the request a popular poll receives most, often in bursts, and
most of its cost was not the vote: sessions, language, CSRF and authentication
middleware, the page cache, URL resolution and the API framework ran for a request that
uses none of them. The lane takes such a request before Django's full stack and gives
it only what it needs: the same request object, a short middleware chain (the request
log and id, the security headers, ``X-Frame-Options`` and the Content-Security-Policy,
exactly as every other response gets them), Django's request signals (database
connections are opened, checked and closed as usual), and then the very rules the API
view applies (:func:`tawasul.polls.api.vote`). See
docs/decisions/0060-granian-and-the-vote-lane.md.

Anything the lane is not sure of goes to the full stack unchanged: another path or
method, a session cookie (a signed-in citizen, whose vote needs the CSRF check and the
account), a body that is not JSON, too large, or that does not validate (the API then
answers with its usual 422 details).
"""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import JsonResponse
from django.http.cookie import parse_cookie
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from pydantic import ValidationError

from tawasul.polls import api

VOTE_PATH = re.compile(r"^/api/v1/polls/([0-9]{1,18})/votes$")
# A valid vote body is well under this (ten ids, the "Other" text, the proof of work).
MAX_BODY = 16 * 1024
# The headers every response gets; the rest of settings.MIDDLEWARE has nothing to do
# for an anonymous JSON POST (no session, no language, no CSRF token to check, no page
# to cache, no sign-in lockout to count).
MIDDLEWARE = [
    "tawasul.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tawasul.core.middleware.CSPMiddleware",
]


class VoteLane(WSGIHandler):
    """Django's WSGI handler with the lane's middleware and one view."""

    def load_middleware(self, is_async=False):
        handler = convert_exception_to_response(self.cast)
        for path in reversed(MIDDLEWARE):
            handler = convert_exception_to_response(import_string(path)(handler))
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = handler

    @staticmethod
    def cast(request):
        poll_id, payload = request.environ["tawasul.vote"]
        request.user = AnonymousUser()
        request.get_host()  # an unknown Host is refused here as everywhere (400)
        answer = api.vote(request, poll_id, payload)
        response = JsonResponse(
            answer.body,
            status=answer.status,
            content_type="application/json; charset=utf-8",
            json_dumps_params={"ensure_ascii": False},
        )
        answer.set_headers(response)
        patch_vary_headers(response, ("Cookie",))  # the answer depends on the browser
        response["Content-Length"] = str(len(response.content))  # as CommonMiddleware does
        return response


def _read_vote(environ) -> tuple[int, api.VoteIn] | None:
    """The poll and the validated body when this request is the lane's, else None. The
    body, once read, is put back for the full stack."""
    if environ.get("REQUEST_METHOD") != "POST":
        return None
    match = VOTE_PATH.match(environ.get("PATH_INFO", ""))
    if match is None:
        return None
    if settings.SESSION_COOKIE_NAME in parse_cookie(environ.get("HTTP_COOKIE", "")):
        return None
    content_type = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if content_type != "application/json" or not 0 < length <= MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    try:
        payload = api.VoteIn.model_validate_json(body)
    except ValidationError:
        return None
    return int(match[1]), payload


def with_vote_lane(application):
    """``application`` (Django's WSGI handler) with anonymous API votes taking the lane."""
    lane = VoteLane()

    def dispatch(environ, start_response):
        found = _read_vote(environ)
        if found is None:
            return application(environ, start_response)
        environ["tawasul.vote"] = found
        return lane(environ, start_response)

    return dispatch

"""The public JSON API under /api/v1/ (OpenAPI document at /api/v1/openapi.json,
browsable at /api/v1/docs). Each capability adds its router here."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from tawasul.core.api import router as challenge_router
from tawasul.discussions.api import router as discussions_router
from tawasul.eservices.api import router as services_router
from tawasul.news.api import events_router
from tawasul.news.api import router as news_router
from tawasul.polls.api import router as polls_router
from tawasul.search.api import router as search_router


class ReadableJSON(JSONRenderer):
    """UTF-8 JSON: Arabic stays readable instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ReadableJSON(),
    title="Tawasul API",
    version="1",
    description=(
        "Public data of the portal: news, events, e-services, opinion polls and issues for "
        "discussion with their opinion groups (more "
        "capabilities as they open). Writes (a vote) need a proof of work from "
        "/api/v1/challenge, or a signed-in session."
    ),
    urls_namespace="api-v1",
)
api.add_router("/challenge", challenge_router)
api.add_router("/news", news_router)
api.add_router("/events", events_router)
api.add_router("/services", services_router)
api.add_router("/polls", polls_router)
api.add_router("/discussions", discussions_router)
api.add_router("/search", search_router)

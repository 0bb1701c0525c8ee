"""The public JSON API under /api/v1/ (OpenAPI document at /api/v1/openapi.json,
browsable at /api/v1/docs). Each capability adds its router here."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from tawasul.news.api import router as news_router


class ReadableJSON(JSONRenderer):
    """UTF-8 JSON: Arabic stays readable instead of \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ReadableJSON(),
    title="Tawasul API",
    version="1",
    description="Public, read-only data of the portal: news (more capabilities as they open).",
    urls_namespace="api-v1",
)
api.add_router("/news", news_router)

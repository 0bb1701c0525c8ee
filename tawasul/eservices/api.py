"""E-services in the public API: the directory with filters, and one service."""

from __future__ import annotations

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from tawasul.core.api import Paginated, TranslationOut, page_slice, page_translations
from tawasul.eservices.models import ServicePage

router = Router(tags=["e-services"])


class TermOut(Schema):
    slug: str
    name: str


class StepOut(Schema):
    title: str
    detail: str


class DocumentOut(Schema):
    name: str
    note: str


class ChannelOut(Schema):
    kind: Literal["online", "app", "centre"]
    name: str
    url: str
    ios_url: str
    android_url: str
    address: str
    hours: str
    phone: str


class ServiceOut(Schema):
    id: int
    slug: str
    lang: str
    title: str
    summary: str
    url: str
    start_url: str
    category: TermOut | None
    department: TermOut | None
    audiences: list[TermOut]
    fees: str
    processing_time: str
    translations: list[TranslationOut]


class ServiceDetailOut(ServiceOut):
    description_html: str
    steps: list[StepOut]
    required_documents: list[DocumentOut]
    channels: list[ChannelOut]


class ServicePageOut(Paginated):
    results: list[ServiceOut]


class ServiceFilters(Schema):
    lang: Literal["ar", "en"] | None = Field(None, description="ar or en; both when absent")
    category: str | None = Field(None, max_length=80, description="category slug")
    audience: str | None = Field(None, max_length=80, description="audience slug")
    department: str | None = Field(None, max_length=80, description="department slug")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(50, ge=1, le=100)


def _services():
    return (
        ServicePage.objects.live()
        .public()
        .select_related("locale", "category", "department")
        .prefetch_related("audiences")
        .order_by("title", "pk")
    )


def _term(term) -> dict | None:
    return {"slug": term.slug, "name": term.name} if term else None


def _serialise(request, services: list[ServicePage]) -> list[dict]:
    translations = page_translations(request, ServicePage, services)
    return [
        {
            "id": service.pk,
            "slug": service.slug,
            "lang": service.locale.language_code,
            "title": service.title,
            "summary": service.summary,
            "url": request.build_absolute_uri(service.get_url(request)),
            "start_url": service.start_url,
            "category": _term(service.category),
            "department": _term(service.department),
            "audiences": [_term(audience) for audience in service.audiences.all()],
            "fees": service.fees,
            "processing_time": service.processing_time,
            "translations": translations[service.pk],
        }
        for service in services
    ]


def _channel(block) -> dict:
    value = block.value
    empty = dict.fromkeys(
        ("name", "url", "ios_url", "android_url", "address", "hours", "phone"), ""
    )
    if block.block_type == "online":
        return {**empty, "kind": "online", "name": value["label"], "url": value["url"]}
    if block.block_type == "app":
        return {
            **empty,
            "kind": "app",
            "name": value["name"],
            "ios_url": value["ios_url"] or "",
            "android_url": value["android_url"] or "",
        }
    return {
        **empty,
        "kind": "centre",
        "name": value["name"],
        "address": value["address"],
        "hours": value["hours"],
        "phone": value["phone"],
    }


@router.get("", response=ServicePageOut, summary="List e-services")
def list_services(request, filters: Query[ServiceFilters]):
    """The directory, alphabetically; filters take the slugs shown in each service."""
    services = _services().defer_streamfields()
    if filters.lang:
        services = services.filter(locale__language_code=filters.lang)
    if filters.category:
        services = services.filter(category__slug=filters.category)
    if filters.audience:
        services = services.filter(audiences__slug=filters.audience).distinct()
    if filters.department:
        services = services.filter(department__slug=filters.department)
    count, page = page_slice(services, filters.page, filters.page_size)
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": _serialise(request, page),
    }


@router.get("/{service_id}", response=ServiceDetailOut, summary="One e-service")
def get_service(request, service_id: int):
    service = get_object_or_404(_services(), pk=service_id)
    data = _serialise(request, [service])[0]
    data["description_html"] = service.description or ""
    data["steps"] = [
        {"title": block.value["title"], "detail": block.value["detail"]} for block in service.steps
    ]
    data["required_documents"] = [
        {"name": block.value["name"], "note": block.value["note"]}
        for block in service.required_documents
    ]
    data["channels"] = [_channel(block) for block in service.channels]
    return data

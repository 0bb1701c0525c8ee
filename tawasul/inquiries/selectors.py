"""Careful reads: the staff's queue (only the departments they may see) and the public
history of a case (never an internal note)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tawasul.inquiries import rules
from tawasul.inquiries.models import Case, Message, Topic


def cases_for(user) -> QuerySet:
    """The cases ``user`` may see: every one for triage staff, else their departments'."""
    queryset = Case.objects.select_related("topic", "department", "assignee")
    if rules.sees_all(user):
        return queryset
    if not rules.can_use_desk(user):
        return queryset.none()
    return queryset.filter(department_id__in=rules.department_ids(user))


def queue(user, *, state="", topic="", department="", overdue=False, assignee="") -> QuerySet:
    queryset = cases_for(user)
    if state == "open":
        queryset = queryset.filter(state__in=rules.WORKING)
    elif state in Case.State.values:
        queryset = queryset.filter(state=state)
    if topic.isdigit():
        queryset = queryset.filter(topic_id=int(topic))
    if department == "none":
        queryset = queryset.filter(department__isnull=True)
    elif department.isdigit():
        queryset = queryset.filter(department_id=int(department))
    if overdue:
        queryset = queryset.filter(state__in=rules.CLOCK_RUNS, due_on__lt=timezone.localdate())
    if assignee == "me":
        queryset = queryset.filter(assignee=user)
    elif assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    return queryset.order_by("due_on", "created_at")


def access_case(user, pk: int) -> Case:
    """The case, if ``user`` may see it; 404 otherwise (its existence is not revealed)."""
    case = cases_for(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def public_messages(case: Case) -> list[Message]:
    return list(case.messages.filter(~Q(kind=Message.Kind.NOTE)).prefetch_related("attachments"))


def topics_for(language: str) -> QuerySet:
    return Topic.objects.filter(locale__language_code=language).order_by("sort_order", "name")


def cases_of_user_export(user) -> list[dict]:
    """A signed-in person's inquiries, for their data download (no internal notes)."""
    cases = Case.objects.filter(user=user, anonymised_at=None).order_by("created_at")
    return [
        {
            "reference": case.reference,
            "kind": case.kind,
            "subject": case.subject,
            "state": case.state,
            "sent_at": case.created_at.isoformat(),
            "name": case.name,
            "email": case.email,
            "phone": case.phone,
            "messages": [
                {"from": message.kind, "at": message.created_at.isoformat(), "text": message.body}
                for message in public_messages(case)
            ],
            "rating": case.rating,
        }
        for case in cases.prefetch_related("messages")
    ]


def home_ask_us(request, home_page) -> dict:
    """The home page's "Ask us" block: the kinds of message, each a link to the form."""
    return {"kinds": Case.Kind.choices}

"""Precomputed figures for the analysts' dashboard: daily counts, daily term counts and
weekly snapshots of each discussion's opinion groups.

Every row is derived from the source tables and can be recomputed at any time
(``services.rollup_days``, ``services.opinion_snapshots``): nothing here is the only copy
of anything, and nothing here is personal (counts and normalised words only).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    COMMENTS = "comments", _("Comments")
    STATEMENTS = "statements", _("Discussion statements")
    DISCUSSION_VOTES = "discussion_votes", _("Discussion votes")
    POLL_VOTES = "poll_votes", _("Poll votes")
    POLL_CHOICES = "poll_choices", _("Poll answers")
    INQUIRIES = "inquiries", _("Inquiries")
    SUBSCRIBED = "subscribed", _("Newsletter subscriptions confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Newsletter unsubscriptions")


class Dimension(models.TextChoices):
    """What a row is broken down by; the total of a metric has no dimension."""

    TOTAL = "", _("Total")
    CATEGORY = "category", _("News category")
    ISSUE = "issue", _("Issue for discussion")
    POLL = "poll", _("Poll")
    CHOICE = "choice", _("Poll answer")
    TOPIC = "topic", _("Inquiry topic")
    DEPARTMENT = "department", _("Department")


class TermSource(models.TextChoices):
    COMMENTS = "comments", _("Comments")
    STATEMENTS = "statements", _("Discussion statements")
    INQUIRIES = "inquiries", _("Inquiries")


class DailyCount(models.Model):
    """How many of ``metric`` happened on ``day`` (local time) in ``language``, in total
    (``kind`` and ``key`` empty) or for one category, issue, poll, topic or department
    (``key``: its translation key or id). Language is empty where the source does not
    record one (discussion votes)."""

    day = models.DateField()
    metric = models.CharField(max_length=20, choices=Metric.choices)
    language = models.CharField(max_length=8, blank=True)
    kind = models.CharField(max_length=12, choices=Dimension.choices, blank=True)
    key = models.CharField(max_length=80, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "metric", "language", "kind", "key"],
                name="insights_dailycount_unique",
            )
        ]
        indexes = [models.Index(fields=["metric", "kind", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.language} {self.kind}:{self.key} = {self.count}"


class DailyTerm(models.Model):
    """In how many texts of ``source`` written on ``day`` a word (or a two-word phrase)
    appears, by its search-normalised form (``search.analysis``), stopwords left out."""

    day = models.DateField()
    source = models.CharField(max_length=12, choices=TermSource.choices)
    language = models.CharField(max_length=8, blank=True)
    term = models.CharField(max_length=120)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("daily term count")
        verbose_name_plural = _("daily term counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "source", "language", "term"], name="insights_dailyterm_unique"
            )
        ]
        indexes = [models.Index(fields=["day", "source"])]

    def __str__(self) -> str:
        return f"{self.day} {self.source} {self.term} = {self.count}"


class MonthlyTerm(models.Model):
    """The sum of ``DailyTerm`` over one calendar month (``month``: its first day), kept so
    a long period reads twelve rows per term a year rather than 365."""

    month = models.DateField()
    source = models.CharField(max_length=12, choices=TermSource.choices)
    language = models.CharField(max_length=8, blank=True)
    term = models.CharField(max_length=120)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("monthly term count")
        verbose_name_plural = _("monthly term counts")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "source", "language", "term"],
                name="insights_monthlyterm_unique",
            )
        ]
        indexes = [models.Index(fields=["month", "source"])]

    def __str__(self) -> str:
        return f"{self.month} {self.source} {self.term} = {self.count}"


class OpinionSnapshot(models.Model):
    """The opinion-group analysis of one issue re-run on the votes cast up to the end of
    one week (``week_end``, exclusive): groups, their sizes and the consensus statements."""

    issue_key = models.UUIDField()
    week_end = models.DateField()
    participants = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    groups = models.JSONField(default=list)  # [size, ...]
    consensus = models.JSONField(default=dict)  # {"agree": [pk...], "disagree": [pk...]}
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opinion snapshot")
        verbose_name_plural = _("opinion snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["issue_key", "week_end"], name="insights_opinionsnapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issue_key} {self.week_end}"


class DirtyDay(models.Model):
    """A past day whose sources changed after it was rolled up (a comment moderated or
    deleted, an inquiry anonymised, ...): the clock recomputes it, then forgets it."""

    day = models.DateField(unique=True)
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("day to recompute")
        verbose_name_plural = _("days to recompute")

    def __str__(self) -> str:
        return str(self.day)

"""The search index: one row per public thing, with its text as written and as analysed.

The full-text index itself is kept beside this table by ``backends.py``: an FTS5 table on
SQLite, a ``tsvector`` column with a GIN index on PostgreSQL (see the migration).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.BigIntegerField()
    language = models.CharField(_("language"), max_length=8, db_index=True)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The analysed forms, one per word, aligned with each other (analysis.analyse).
    title_exact = models.TextField(blank=True)
    title_stem = models.TextField(blank=True)
    body_exact = models.TextField(blank=True)
    body_stem = models.TextField(blank=True)
    alternates = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_one_per_object")
        ]
        # What ranking and filtering read of each match, without reading the row itself
        # (on SQLite the row's long text would be read to reach published_at).
        indexes = [
            models.Index(fields=["id", "language", "kind", "published_at"], name="search_doc_rank")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SearchTerm(models.Model):
    """The index's vocabulary: every exact form and how many documents hold it.

    "Did you mean" corrects a query from these words only, so it never suggests a word
    that would find nothing.
    """

    term = models.CharField(max_length=100, primary_key=True)
    display = models.CharField(max_length=100)
    documents = models.PositiveIntegerField(default=0)
    # To find candidates fast: the first letter after any prefix, and the length.
    head = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["head", "length", "-documents"], name="search_term_candidates")
        ]

    def __str__(self) -> str:
        return self.term

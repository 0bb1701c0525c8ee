"""tawasul newsletter-import FILE.csv — add subscribers (format: docs/newsletter.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tawasul.newsletter import importer, services


class Command(BaseCommand):
    help = (
        "Import newsletter subscribers from a CSV file (email, name, language, topics). "
        "Suppressed addresses (unsubscribed, bounced) are never added back."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--consent-collected-elsewhere",
            metavar="NOTE",
            help=(
                "the people agreed to receive the newsletter elsewhere (say where and when, "
                "e.g. 'paper forms, 2025 awareness week'): they are subscribed at once and "
                "the note is kept as their consent record. Without it, each is sent a "
                "confirmation link and subscribed only on confirming."
            ),
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the good lines, report the others"
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args, file: Path, consent_collected_elsewhere, skip_invalid, dry_run, **_):
        note = consent_collected_elsewhere
        if note is not None and not note.strip():
            raise CommandError("--consent-collected-elsewhere needs a note saying where and when")
        parsed = importer.read_csv(file)
        for problem in parsed.problems:
            self.stderr.write(f"{file.name}: {problem}")
        for duplicate in parsed.duplicates:
            self.stderr.write(f"{file.name}: {duplicate}")
        if parsed.problems and (parsed.fatal or not skip_invalid):
            raise CommandError(
                f"{len(parsed.problems)} problem(s) found; nothing was imported"
                + ("" if parsed.fatal else " (use --skip-invalid to import the other lines)")
            )
        if dry_run:
            self.stdout.write(f"{len(parsed.rows)} address(es) would be imported.")
            return
        with tqdm(
            total=len(parsed.rows), unit="address", disable=None, file=self.stderr._out
        ) as bar:
            report = services.subscribers_import(rows=parsed.rows, consent_note=note, progress=bar)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} new subscriber(s)"
                + (
                    " (subscribed: consent collected elsewhere)"
                    if note
                    else f", {report.invited} sent a confirmation link"
                )
                + f"; {report.existing} already known, left as they were; "
                f"{report.suppressed} suppressed (unsubscribed or bounced), not added; "
                f"{len(parsed.duplicates)} duplicate line(s); "
                f"{len(parsed.problems)} invalid line(s) skipped."
            )
        )

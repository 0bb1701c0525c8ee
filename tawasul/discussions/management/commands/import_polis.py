"""tawasul import-polis DIR — import a Polis conversation export (docs/discussions.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tawasul.discussions import services
from tawasul.discussions.polis import PolisExportError


class Command(BaseCommand):
    help = (
        "Import a Polis export (comments.csv, votes.csv) as a closed issue for discussion and "
        "compute its opinion groups; importing the same export again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--title", default="", help="the issue's title (default: the topic)")
        parser.add_argument("--language", default="", help="ar or en (default: the site's)")

    def handle(self, *args, directory: Path, title: str, language: str, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory}: not a folder")
        try:
            imported = services.polis_import(directory=directory, title=title, language=language)
        except PolisExportError as error:
            for problem in error.errors:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(error.errors)} problem(s) found; nothing was imported"
            ) from error
        issue = imported.issue
        if not imported.created:
            self.stdout.write(f"Already imported as issue {issue.pk}; nothing changed.")
            return
        self.stdout.write(
            f"Imported issue {issue.pk}: {imported.statements} statements, "
            f"{imported.participants} participants, {imported.votes} votes. "
            f"Opinion groups: /api/v1/discussions/{issue.pk}/opinion-groups"
        )

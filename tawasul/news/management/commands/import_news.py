"""tawasul import-news FILE.jsonl — import a news archive (format: docs/import-news.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tawasul.news import services
from tawasul.news.importer import read_archive


class Command(BaseCommand):
    help = "Import news articles from a JSON Lines file; re-running updates, never duplicates."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the good lines, report the others"
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")

    def handle(self, *args, file: Path, skip_invalid: bool, dry_run: bool, **options):
        records, problems = read_archive(file)
        problems += services.news_import_check(records)
        for problem in problems:
            self.stderr.write(f"{file.name}: {problem}")
        bad_lines = {problem.line for problem in problems}
        if problems and (0 in bad_lines or not skip_invalid):
            raise CommandError(
                f"{len(problems)} problem(s) found; nothing was imported"
                + ("" if 0 in bad_lines else " (use --skip-invalid to import the other lines)")
            )
        records = [record for record in records if record.line not in bad_lines]
        if dry_run:
            self.stdout.write(f"{len(records)} article(s) would be imported.")
            return
        with tqdm(total=len(records), unit="article", disable=None, file=self.stderr._out) as bar:
            report = services.news_import(records, progress=bar)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.created + report.updated} article(s): {report.created} new, "
                f"{report.updated} updated, {report.linked} translation link(s); "
                f"{len(bad_lines)} line(s) skipped."
            )
        )

"""``tawasul insights-rollup [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--snapshots]``:
recompute the dashboard's daily rollups for a range of days (idempotent). Without
``--from``, from the first day anything was counted; without ``--to``, up to today."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tawasul.insights import services


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--{name}: {value!r} is not a date (YYYY-MM-DD)") from error


class Command(BaseCommand):
    help = (
        "Recompute the insights dashboard's daily rollups (counts and terms) for a range of days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", help="last day (YYYY-MM-DD), today by default")
        parser.add_argument(
            "--snapshots",
            action="store_true",
            help="also compute the weekly opinion-group snapshots of every issue",
        )

    def handle(self, *args, start=None, end=None, snapshots=False, **options):
        end_day = _date(end, "to") or timezone.localdate()
        start_day = _date(start, "from") or services.first_day()
        if start_day is None:
            self.stdout.write("Nothing to count yet.")
            return
        if start_day > end_day:
            raise CommandError("--from is after --to")
        began = time.perf_counter()
        days = services.rollup_days(start=start_day, end=end_day)
        took = time.perf_counter() - began
        self.stdout.write(f"{days} days recomputed ({start_day} to {end_day}) in {took:.1f} s")
        if snapshots:
            began = time.perf_counter()
            done = services.opinion_snapshots(force=True)
            self.stdout.write(
                f"{done} opinion snapshots computed in {time.perf_counter() - began:.1f} s"
            )

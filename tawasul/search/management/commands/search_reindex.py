"""tawasul search-reindex: rebuild the search index from everything public now."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tawasul.search import registry, services


class Command(BaseCommand):
    help = "Rebuild the search index from everything public (all kinds, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="only these kinds (default: all)")

    def handle(self, *args, **options):
        known = {source.kind: source for source in registry.sources()}
        unknown = [kind for kind in options["kinds"] if kind not in known]
        if unknown:
            raise CommandError(
                f"unknown kind: {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        chosen = options["kinds"] or list(known)
        total = sum(
            len(list(known[kind].public()))
            if hasattr(known[kind].public(), "__len__")
            else known[kind].public().count()
            for kind in chosen
        )
        with tqdm(
            total=total, unit="doc", disable=not sys.stderr.isatty(), file=sys.stderr
        ) as progress:
            counts = services.search_reindex(kinds=chosen, progress=progress)
        removed = counts.pop("removed", 0)
        summary = ", ".join(f"{kind}: {count}" for kind, count in sorted(counts.items()))
        self.stdout.write(f"Indexed {sum(counts.values())} ({summary}); removed {removed}.")

"""tawasul newsletter-bounces — read bounce and complaint mails (Maildir or stdin)."""

from __future__ import annotations

import mailbox
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tawasul.newsletter import bounces


class Command(BaseCommand):
    help = (
        "Process delivery-status notifications and complaints: from a Maildir (each new "
        "message is moved to cur/ once processed) or one message on standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("--maildir", type=Path, help="a Maildir folder (else: stdin)")

    def handle(self, *args, maildir: Path | None, **_):
        counts: Counter[str] = Counter()
        if maildir is None:
            outcome = bounces.ingest(sys.stdin.buffer.read())
            counts[outcome.kind or "not a bounce"] += 1
        else:
            if not (maildir / "new").is_dir():
                raise CommandError(f"{maildir} is not a Maildir (no new/ folder)")
            box = mailbox.Maildir(maildir, create=False)
            for key in list(box.iterkeys()):
                entry = box.get_message(key)
                if "S" in entry.get_flags():
                    continue
                outcome = bounces.ingest(box.get_bytes(key))
                counts[outcome.kind or "not a bounce"] += 1
                entry.set_subdir("cur")
                entry.add_flag("S")
                box[key] = entry
        self.stdout.write(", ".join(f"{kind}: {n}" for kind, n in sorted(counts.items())))

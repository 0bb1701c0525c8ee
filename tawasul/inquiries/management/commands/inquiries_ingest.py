"""``tawasul inquiries-ingest``: take in replies by email, from a Maildir or stdin.

    tawasul inquiries-ingest < message.eml          one mail on stdin (e.g. from a MTA pipe)
    tawasul inquiries-ingest --maildir ~/Maildir    every new mail; each moved to cur/ after

Each mail is taken in once (by Message-ID); see services.mail_ingest.
"""

from __future__ import annotations

import contextlib
import mailbox
import sys
from collections import Counter

from django.core.management.base import BaseCommand

from tawasul.inquiries import services


class Command(BaseCommand):
    help = "Take in replies to inquiries by email (Maildir or stdin)."

    def add_arguments(self, parser):
        parser.add_argument("--maildir", help="A Maildir folder: its new mail is taken in.")

    def handle(self, *args, maildir=None, **options):
        outcomes: Counter = Counter()
        if maildir:
            box = mailbox.Maildir(maildir, factory=None, create=False)
            for key in list(box.iterkeys()):
                try:
                    message = box.get_message(key)
                    if message.get_subdir() != "new":
                        continue
                    raw = box.get_bytes(key)
                except (KeyError, FileNotFoundError):
                    continue  # another run took it meanwhile
                outcomes[services.mail_ingest(raw=raw)] += 1
                message.set_subdir("cur")
                message.add_flag("S")
                # Moved by another run meanwhile: its Message-ID is taken in once anyway.
                with contextlib.suppress(KeyError, FileNotFoundError):
                    box[key] = message
        else:
            outcomes[services.mail_ingest(raw=sys.stdin.buffer.read())] += 1
        for outcome, count in sorted(outcomes.items()):
            self.stdout.write(f"{outcome}: {count}")

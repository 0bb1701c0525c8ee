"""The embedded tier's outbox: each message is written as its own .eml file."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmlFileBackend(BaseEmailBackend):
    """Writes ``<outbox>/<timestamp>-<id>.eml``; any mail client opens them.

    The file appears under its final name only when complete (write, then rename),
    so a reader never sees half a message.
    """

    def __init__(self, file_path=None, **kwargs):
        super().__init__(**kwargs)
        self.outbox = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        self.outbox.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
            partial = self.outbox / f".{name}.part"
            partial.write_bytes(message.message().as_bytes(linesep="\r\n"))
            os.replace(partial, self.outbox / name)
            sent += 1
        return sent

"""Checking what citizens attach: count, size, and type by content (never by name),
then an optional virus scan by clamd.

The type is read from the first bytes of the file: a program renamed ``.pdf`` is still
a program and is refused. Allowed: PDF, PNG, JPEG, GIF, WebP, Office Open XML
documents (docx, xlsx) and plain UTF-8 text.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import struct
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

log = logging.getLogger("tawasul.inquiries")


@dataclass
class Checked:
    name: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, if it is one we accept."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _office(data)
    if b"\x00" not in data[:4096]:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return None


def _office(data: bytes) -> str | None:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if any(name.startswith("xl/") for name in names):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def _clean_name(name: str) -> str:
    from tawasul.core.text import neutralise

    name = neutralise(name or "").replace("/", "_").replace("\\", "_").strip() or "file"
    return name[-150:]


def check(uploads) -> list[Checked]:
    """Read and check uploaded files; ValidationError (a clear message) on the first fault."""
    uploads = [upload for upload in uploads if upload]
    most = settings.INQUIRIES_MAX_FILES
    limit_mb = settings.INQUIRIES_MAX_FILE_MB
    if len(uploads) > most:
        raise ValidationError(
            _("You can attach at most %(count)s files.") % {"count": most}, code="too_many"
        )
    checked = []
    for upload in uploads:
        name = _clean_name(getattr(upload, "name", ""))
        if upload.size > limit_mb * 1024 * 1024:
            raise ValidationError(
                _("“%(name)s” is larger than %(size)s MB.") % {"name": name, "size": limit_mb},
                code="too_large",
            )
        data = upload.read()
        kind = sniff(data)
        if kind is None:
            raise ValidationError(
                _(
                    "“%(name)s” is not a file type we accept. Send PDF, images (PNG, JPEG, "
                    "GIF, WebP), Word or Excel documents, or plain text."
                )
                % {"name": name},
                code="file_type",
            )
        if not scan_clean(data):
            raise ValidationError(
                _("“%(name)s” was refused by the virus scan.") % {"name": name},
                code="virus",
            )
        checked.append(Checked(name, kind, data, hashlib.sha256(data).hexdigest()))
    return checked


def scan_clean(data: bytes) -> bool:
    """True unless clamd (when configured) finds something. If clamd is configured but
    does not answer, the file is refused: better a clear "try again" than an unscanned file.
    """
    where = settings.INQUIRIES_CLAMD
    if not where:
        return True
    try:
        if where.startswith("/"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(where)
        else:
            host, _sep, port = where.rpartition(":")
            sock = socket.create_connection((host, int(port)), timeout=30)
        with sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), 65536):
                chunk = data[start : start + 65536]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = sock.recv(4096)
    except (OSError, ValueError):
        log.warning("clamd unavailable; attachment refused")
        return False
    return answer.rstrip(b"\0").endswith(b"OK")

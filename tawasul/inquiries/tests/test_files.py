"""Attachments: the type from the content, never the name; the virus-scan hook speaks
clamd's INSTREAM protocol (a stand-in clamd on the loopback interface here)."""

from __future__ import annotations

import io
import socketserver
import struct
import threading
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tawasul.inquiries import files

PDF = b"%PDF-1.7\n%%EOF\n"


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}/document.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (b"GIF89a" + b"\x00" * 20, "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (office("word"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (office("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("نص عادي".encode(), "text/plain"),
        (b"MZ\x90\x00\x03\x00\x00\x00", None),  # a Windows program
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 20, None),  # a Linux program
        (office("other"), None),  # a zip that is no document
        (b"PK\x03\x04broken", None),
        (b"\xff\xfe\x00\x00binary\x00", None),
    ],
)
def test_the_type_comes_from_the_content(data, kind):
    assert files.sniff(data) == kind


class FakeClamd(socketserver.BaseRequestHandler):
    verdict = b"stream: OK\0"

    def handle(self):
        received = b""
        while not received.startswith(b"zINSTREAM\0") or not received.endswith(b"\0\0\0\0"):
            chunk = self.request.recv(65536)
            if not chunk:
                break
            received += chunk
        self.server.seen.append(received)
        self.request.sendall(self.verdict)


@pytest.fixture
def clamd(settings):
    server = socketserver.TCPServer(("127.0.0.1", 0), FakeClamd)
    server.seen = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.INQUIRIES_CLAMD = f"127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_a_clean_file_passes_the_scan(clamd):
    (checked,) = files.check([SimpleUploadedFile("a.pdf", PDF)])
    assert checked.content_type == "application/pdf"
    assert clamd.seen[0] == b"zINSTREAM\0" + struct.pack("!L", len(PDF)) + PDF + b"\0\0\0\0"


def test_a_file_the_scanner_flags_is_refused(clamd, monkeypatch):
    monkeypatch.setattr(FakeClamd, "verdict", b"stream: Eicar-Signature FOUND\0")
    with pytest.raises(ValidationError) as refused:
        files.check([SimpleUploadedFile("a.pdf", PDF)])
    assert refused.value.code == "virus"


def test_when_clamd_does_not_answer_the_file_is_refused(settings):
    from conftest import free_port

    settings.INQUIRIES_CLAMD = f"127.0.0.1:{free_port()}"
    with pytest.raises(ValidationError):
        files.check([SimpleUploadedFile("a.pdf", PDF)])


def test_names_lose_paths_and_hidden_characters():
    (checked,) = files.check([SimpleUploadedFile("../../etc/\u202epasswd.pdf", PDF)])
    assert "/" not in checked.name and "\u202e" not in checked.name

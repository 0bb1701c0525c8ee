"""Reading a subscribers CSV (format: docs/newsletter.md) into checked rows.

The whole file is checked before anything is written: a malformed file, or one over
``NEWSLETTER_IMPORT_MAX_BYTES``, is refused with the line at fault. Addresses are
de-duplicated by their normalised key (case and Unicode), first occurrence wins.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tawasul.core import text
from tawasul.newsletter.models import Topic, email_key

COLUMNS = {"email", "name", "language", "topics"}


@dataclass
class Row:
    line: int
    email: str
    key: str
    name: str
    language: str
    topics: list[str]


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[Problem] = field(default_factory=list)

    @property
    def fatal(self) -> bool:
        return any(problem.line == 0 for problem in self.problems)


def max_bytes() -> int:
    return int(getattr(settings, "NEWSLETTER_IMPORT_MAX_BYTES", 50 * 1024 * 1024))


def read_csv(path: Path) -> Parsed:
    parsed = Parsed()
    try:
        size = path.stat().st_size
    except OSError as error:
        parsed.problems.append(Problem(0, f"cannot read the file: {error.strerror}"))
        return parsed
    if size > max_bytes():
        parsed.problems.append(
            Problem(
                0,
                f"the file is {size // (1024 * 1024)} MB; the limit is "
                f"{max_bytes() // (1024 * 1024)} MB (split it, or raise "
                "NEWSLETTER_IMPORT_MAX_BYTES)",
            )
        )
        return parsed
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        parsed.problems.append(Problem(0, f"not UTF-8 text (byte {error.start})"))
        return parsed
    return read_text(content, parsed)


def read_text(content: str, parsed: Parsed | None = None) -> Parsed:
    parsed = parsed or Parsed()
    reader = csv.DictReader(io.StringIO(content, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        parsed.problems.append(Problem(0, f"malformed CSV header: {error}"))
        return parsed
    if "email" not in header:
        parsed.problems.append(Problem(0, "the first line must name the columns, with 'email'"))
        return parsed
    unknown = set(header) - COLUMNS
    if unknown:
        parsed.problems.append(
            Problem(0, f"unknown column(s): {', '.join(sorted(unknown))}; expected {COLUMNS}")
        )
        return parsed
    reader.fieldnames = header
    topics = set(Topic.objects.values_list("slug", flat=True))
    seen: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if None in record:
                parsed.problems.append(Problem(line, "more values than columns"))
                continue
            row = _check(record, line, topics, parsed)
            if row is None:
                continue
            if row.key in seen:
                parsed.duplicates.append(
                    Problem(line, f"same address as line {seen[row.key]}; ignored")
                )
                continue
            seen[row.key] = line
            parsed.rows.append(row)
    except csv.Error as error:
        parsed.problems.append(Problem(0, f"malformed CSV near line {reader.line_num}: {error}"))
    return parsed


def _check(record: dict, line: int, topics: set[str], parsed: Parsed) -> Row | None:
    address = (record.get("email") or "").strip()
    name = text.neutralise((record.get("name") or "").strip())[:150]
    language = (record.get("language") or "ar").strip().lower() or "ar"
    wanted = [
        slug.strip()
        for slug in (record.get("topics") or "").replace("|", ";").split(";")
        if slug.strip()
    ]
    if text.hidden_characters(address):
        parsed.problems.append(Problem(line, "the address contains invisible characters"))
        return None
    try:
        validate_email(address)
    except ValidationError:
        parsed.problems.append(Problem(line, "not a valid email address"))
        return None
    if language not in ("ar", "en"):
        parsed.problems.append(Problem(line, f"language must be ar or en, not {language!r}"))
        return None
    unknown = [slug for slug in wanted if slug not in topics]
    if unknown:
        parsed.problems.append(Problem(line, f"unknown topic(s): {', '.join(unknown)}"))
        return None
    return Row(line, address, email_key(address), name, language, wanted)

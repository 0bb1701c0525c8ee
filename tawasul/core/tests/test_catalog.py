"""Every visible string has its Arabic translation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tawasul.core.catalog import CATALOG, missing

PACKAGE = Path(__file__).resolve().parents[2]


def test_arabic_catalog_has_no_untranslated_or_fuzzy_entry():
    assert missing() == []


def test_compiled_catalog_matches_the_source():
    compiled = {
        entry.msgid: entry.msgstr for entry in polib.mofile(str(CATALOG.with_suffix(".mo")))
    }
    source = {
        e.msgid: e.msgstr
        for e in polib.pofile(str(CATALOG))
        if not e.obsolete and not e.msgid_plural
    }
    assert {k: compiled.get(k) for k in source} == source, "run: make messages"


def test_every_string_in_the_code_is_in_the_arabic_catalog(tmp_path):
    """Extract the strings afresh (GNU gettext) and compare them with the catalog."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("GNU gettext is needed in CI to check the catalog")
        pytest.skip("GNU gettext (xgettext) is not installed")
    copy = tmp_path / "tawasul"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "var"))
    subprocess.run(
        [sys.executable, "-m", "tawasul", "makemessages", "-l", "ar", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/ar/LC_MESSAGES/django.po"))}
    known = {e.msgid for e in polib.pofile(str(CATALOG)) if e.translated() and not e.fuzzy}
    assert sorted(fresh - known) == [], "untranslated strings: run `make messages` and translate"

"""The Arabic catalog: compile it and report what is missing.

``python -m tawasul.core.catalog compile`` writes django.mo from django.po (no GNU
gettext needed); ``... check`` exits non-zero when any entry is untranslated or fuzzy.
"""

from __future__ import annotations

import sys
from pathlib import Path

CATALOG = Path(__file__).resolve().parent.parent / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def missing(path: Path = CATALOG) -> list[str]:
    import polib

    po = polib.pofile(str(path))
    return [
        entry.msgid
        for entry in po
        if not entry.obsolete and (not entry.translated() or entry.fuzzy)
    ]


def compile_catalog(path: Path = CATALOG) -> Path:
    import polib

    target = path.with_suffix(".mo")
    polib.pofile(str(path)).save_as_mofile(str(target))
    return target


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "check"
    if action == "compile":
        print(f"wrote {compile_catalog()}")
    gaps = missing()
    for msgid in gaps:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    sys.exit(1 if gaps else 0)

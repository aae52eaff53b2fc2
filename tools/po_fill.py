"""Fill the French catalogue from a translation table, and report what is still missing.

    .venv/bin/python tools/po_fill.py TABLE.py   # TABLE.py defines FR = {...} and PLURALS = {...}
    .venv/bin/python tools/po_fill.py --check    # exit 1 when an entry is untranslated or fuzzy

Translations are kept in locale/fr/LC_MESSAGES/django.po (the reference); tables are only a
convenient way to fill many entries at once.
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def missing(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def main() -> int:
    po = polib.pofile(str(PO))
    if sys.argv[1:] != ["--check"]:
        table = runpy.run_path(sys.argv[1])
        fr, plurals = table.get("FR", {}), table.get("PLURALS", {})
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
            if entry.msgid_plural and entry.msgid in plurals:
                one, many = plurals[entry.msgid]
                entry.msgstr_plural = {0: one, 1: many}
            elif not entry.msgid_plural and entry.msgid in fr and not entry.msgstr:
                entry.msgstr = fr[entry.msgid]
        po.save()
    left = missing(po)
    for msgid in left:
        print(f"untranslated: {msgid!r}")
    print(f"{len(po) - len(left)} of {len(po)} entries translated")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())

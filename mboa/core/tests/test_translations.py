"""French is the default language: its catalogue must be complete."""

from pathlib import Path

import polib
from django.utils import translation

PO = Path(__file__).resolve().parents[3] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"translate these in {PO}: {missing[:20]}"


def test_compiled_french_is_used():
    with translation.override("fr"):
        assert translation.gettext("What waits for you") == "Ce qui vous attend"
    with translation.override("en"):
        assert translation.gettext("What waits for you") == "What waits for you"

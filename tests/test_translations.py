"""The Spanish catalogue covers every string of the public pages and e-mails."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if "\nmsgid " in f"\n{block}"]


def test_spanish_catalogue_has_no_untranslated_or_fuzzy_entries():
    text = PO.read_text(encoding="utf-8")
    untranslated = [
        block
        for block in _entries(text)[1:]  # the first entry is the header
        if re.search(r'msgstr(\[\d\])? ""\Z', block.strip()) or "#, fuzzy" in block
    ]
    assert untranslated == []


def test_spanish_catalogue_is_compiled_and_used():
    with translation.override("es"):
        assert translation.gettext("Full – join the waiting list") == (
            "Completo – únase a la lista de espera"
        )

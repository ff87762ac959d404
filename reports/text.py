"""Writing figures and lists the way a news article does, in English and Spanish.

Figures never overstate: a count of 100 or more is rounded down to a round figure and said with
"more than" ("more than 150" for 153; "150" for exactly 150), a smaller count stays exact, and a
count up to ten is written in words. The round figure is a multiple of ten below 1,000, of a
hundred below 10,000 and of a thousand above.
"""

from datetime import date

from django.utils import formats, translation

EXACT_BELOW = 100

WORDS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    "es": [
        "cero",
        "un",
        "dos",
        "tres",
        "cuatro",
        "cinco",
        "seis",
        "siete",
        "ocho",
        "nueve",
        "diez",
    ],
}
MORE_THAN = {"en": "more than", "es": "más de"}
AND = {"en": "and", "es": "y"}


def _language(language: str) -> str:
    return "es" if language.startswith("es") else "en"


def round_down(count: int) -> int:
    """The round figure at or below `count` (see the module's docstring)."""
    if count < EXACT_BELOW:
        return count
    step = 10 if count < 1_000 else 100 if count < 10_000 else 1_000
    return count - count % step


def digits(count: int, language: str) -> str:
    """3,000 in English; 3000 and 30 000 in Spanish (the RAE's spacing)."""
    if _language(language) == "en":
        return f"{count:,}"
    if count < 10_000:
        return str(count)
    return f"{count:,}".replace(",", " ")


def number_word(count: int, language: str, *, feminine: bool = False) -> str:
    """A count up to ten in words ("four", "cuatro"; "una" before a feminine Spanish noun); a
    larger one in digits."""
    language = _language(language)
    if 0 <= count <= 10:
        word = WORDS[language][count]
        return "una" if feminine and word == "un" else word
    return digits(count, language)


def count_text(count: int, language: str, *, feminine: bool = False) -> str:
    """A count as an article writes it: in words up to ten, exact below 100, else rounded down
    with "more than" ("more than 150", "más de 3000")."""
    language = _language(language)
    if count <= 10:
        return number_word(count, language, feminine=feminine)
    rounded = round_down(count)
    if rounded == count:
        return digits(count, language)
    return f"{MORE_THAN[language]} {digits(rounded, language)}"


def _spanish_and(next_item: str) -> str:
    """ "e" instead of "y" before a word that starts with the sound i (Ignacio, hijos), but not
    before a diphthong (hielo, hierro)."""
    word = next_item.lower()
    if word.startswith("hi"):
        word = word[1:]
    if word[:1] in ("i", "í") and word[1:2] not in ("a", "e", "o", "u", "á", "é", "ó", "ú"):
        return "e"
    return "y"


def join_list(items: list[str], language: str) -> str:
    """ "A, B and C" in English (no comma before "and", as the association writes); "A, B y C"
    (or "e" before an i sound) in Spanish."""
    language = _language(language)
    items = [item for item in items if item]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    conjunction = _spanish_and(items[-1]) if language == "es" else AND[language]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def long_date(day: date, language: str) -> str:
    """ "24 October 2017"; "24 de octubre de 2017"."""
    language = _language(language)
    with translation.override(language):
        return formats.date_format(day, "FORUM_DAY")


def floor_percent(count: int, n: int) -> int:
    """count out of n as a whole percentage, rounded down (never more than it is)."""
    return count * 100 // n if n else 0

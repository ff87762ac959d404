"""Whether a piece of typed text (a name, a job title, a company) can be stored and shown as is.

One set of checks for every way text comes in (the registration form, the import of a list), so
they say the same thing:

* ``text_problem(value, max_length=...)`` answers None when the text is acceptable, else a
  message saying what is wrong and how to fix it;
* ``TextValidator(max_length=...)`` is the same check as a Django validator, for form and model
  fields (it raises ValidationError with the code "too_long", "invisible" or "direction").

Refused: text longer than ``max_length`` characters (what the database column holds), text made
only of invisible characters (zero-width spaces and joiners, fillers, combining marks on
nothing), and text containing the characters that override or isolate the direction of the text
around them (U+202A–U+202E, U+2066–U+2069): they make a name display as something else ("the
RLO trick") on badges, certificates and exports. Empty text is acceptable here; whether a value
is required is the field's business.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = ["DIRECTION_CONTROLS", "TextValidator", "is_visible", "text_problem"]

DIRECTION_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides (LRE, RLE, PDF, LRO, RLO)
    "\u2066\u2067\u2068\u2069"  # isolates (LRI, RLI, FSI, PDI)
)
# Format and control characters, separators (spaces), and combining marks with nothing to mark.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})
# Letters and symbols that are drawn as blank space.
_BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_visible(char: str) -> bool:
    """Whether a character leaves a mark when shown."""
    return unicodedata.category(char) not in _INVISIBLE_CATEGORIES and char not in (
        _BLANK_CHARACTERS
    )


def _problem(value: str, max_length: int | None) -> tuple[str, str] | None:
    if max_length is not None and len(value) > max_length:
        message = ngettext(
            "Enter at most %(limit)d character (it has %(length)d).",
            "Enter at most %(limit)d characters (it has %(length)d).",
            max_length,
        ) % {"limit": max_length, "length": len(value)}
        return "too_long", message
    if value and not any(is_visible(char) for char in value):
        return "invisible", _("Enter visible letters: this contains only invisible characters.")
    controls = sorted({char for char in value if char in DIRECTION_CONTROLS})
    if controls:
        codes = ", ".join(f"U+{ord(char):04X}" for char in controls)
        message = ngettext(
            "Remove the hidden character that changes the direction of the text (%(codes)s).",
            "Remove the hidden characters that change the direction of the text (%(codes)s).",
            len(controls),
        ) % {"codes": codes}
        return "direction", message
    return None


def text_problem(value: str, *, max_length: int | None = None) -> str | None:
    """None if ``value`` is acceptable text of at most ``max_length`` characters, else what is
    wrong with it and how to fix it (in the active language)."""
    problem = _problem(value, max_length)
    return problem[1] if problem else None


@deconstructible
class TextValidator:
    """`text_problem` as a validator: `CharField(validators=[TextValidator(max_length=100)])`."""

    def __init__(self, max_length: int | None = None):
        self.max_length = max_length

    def __call__(self, value: str) -> None:
        problem = _problem(str(value), self.max_length)
        if problem:
            code, message = problem
            raise ValidationError(message, code=code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextValidator) and other.max_length == self.max_length

    def __hash__(self) -> int:
        return hash(("TextValidator", self.max_length))

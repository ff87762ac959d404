"""The columns of an attendance list: what each is called, however people write it in English or
Spanish, whether the import needs it, and what it accepts. The import page lists them, the
templates to download are written from them, and the import places a file's headers by them.

A header is recognised whatever its case, accents, spaces and punctuation: "E-mail",
"Email address" and "Correo electrónico" are all the e-mail column."""

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django_countries import countries

from registrations.enums import ParticipantCategory

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What the attended column takes for yes and for no (an empty cell is no), in the order the
# import page lists them.
YES_WORDS = ("yes", "y", "sí", "si", "true", "1", "x")
NO_WORDS = ("no", "n", "false", "0")
YES = set(YES_WORDS)
NO = {*NO_WORDS, ""}


def header_key(text: str) -> str:
    """A header reduced to what people mean by it: lower case, no accents, letters and digits
    only ("Correo electrónico" -> "correoelectronico", "E-mail" -> "email")."""
    # Decomposed, an accent is a mark of its own, which is neither a letter nor a digit.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum())


@dataclass(frozen=True)
class Column:
    key: str  # the name the import reads a row's value by
    label: "StrOrPromise"  # the header the templates write, in the reader's language
    required: bool
    # Other ways people head the column, in English and Spanish; the key and both languages'
    # labels are recognised too.
    spellings: tuple[str, ...] = field(default=())

    def header_keys(self) -> set[str]:
        names = [self.key, *self.spellings]
        for language, _ in settings.LANGUAGES:
            with translation.override(language):
                names.append(str(self.label))
        return {header_key(name) for name in names}


COLUMNS = (
    Column(
        "first_name",
        gettext_lazy("First name"),
        True,
        ("firstname", "given name", "forename", "nombre", "nombres", "nombre de pila"),
    ),
    Column(
        "last_name",
        gettext_lazy("Last name"),
        True,
        ("surname", "family name", "apellido", "apellidos"),
    ),
    Column(
        "email",
        gettext_lazy("E-mail"),
        True,
        (
            "email address",
            "e-mail address",
            "mail",
            "correo",
            "correo electrónico",
            "correo-e",
            "dirección de correo",
            "dirección de correo electrónico",
        ),
    ),
    Column(
        "company",
        gettext_lazy("Company"),
        True,
        (
            "company name",
            "organisation",
            "organization",
            "supplier",
            "empresa",
            "nombre de la empresa",
            "compañía",
            "organización",
            "proveedor",
        ),
    ),
    Column("country", gettext_lazy("Country"), True, ("country code", "país")),
    Column(
        "job_title",
        gettext_lazy("Job title"),
        True,
        ("position", "designation", "cargo", "puesto"),
    ),
    Column("attended", gettext_lazy("Attended"), False, ("attendance", "asistió", "asistencia")),
    Column("workshops", gettext_lazy("Workshops"), False, ("workshop", "talleres", "taller")),
    Column("language", gettext_lazy("Language"), False, ("idioma",)),
    Column(
        "category",
        gettext_lazy("Category"),
        False,
        ("participant category", "categoría", "tipo de participante"),
    ),
    Column(
        "invited_by",
        gettext_lazy("Invited by"),
        False,
        ("sponsor", "invitado por", "patrocinador"),
    ),
)
REQUIRED = [column.key for column in COLUMNS if column.required]

# Columns of this site's own export that the import does not read, so that an export can be
# imported again, and a list's own row numbers: the import leaves them out.
EXPORT_ONLY = (
    "company_id",
    "status",
    "registered_at",
    "phone",
    "dietary_needs",
    "accessibility_needs",
    "share_with_sponsors",
)
ROW_NUMBERS = ("No.", "S. No.", "Sr. No.", "Sl. No.", "Número")
IGNORED = EXPORT_ONLY + ROW_NUMBERS


@cache
def _column_by_key() -> dict[str, Column | None]:
    found: dict[str, Column | None] = {header_key(name): None for name in IGNORED}
    for column in COLUMNS:
        for key in column.header_keys():
            assert key not in found, f"{key} names two columns"
            found[key] = column
    return found


def column_named(header: str) -> Column | None:
    """The column a header names; None for a column the import leaves alone (IGNORED)."""
    return _column_by_key()[header_key(header)]


def is_known(header: str) -> bool:
    return header_key(header) in _column_by_key()


def accepts(column: Column) -> str:
    """What a column's cells may hold, in the active language, as the import checks it."""
    if column.key == "first_name":
        return gettext("text, never empty")
    if column.key in ("last_name", "job_title"):
        return gettext("text; may be empty")
    if column.key == "email":
        return gettext("an e-mail address, never empty, each once in the list")
    if column.key == "company":
        return gettext(
            "the company's name, never empty; spellings of a known company are recognised"
        )
    if column.key == "country":
        return gettext(
            "an ISO code (MY) or the country's name in English or Spanish (Malaysia, Malasia)"
        )
    if column.key == "attended":
        return gettext("%(yes)s for yes; %(no)s or empty for no; read for past forums only") % {
            "yes": "/".join(YES_WORDS),
            "no": "/".join(NO_WORDS),
        }
    if column.key == "workshops":
        return gettext("this forum's workshop codes, separated by ';', one per time slot")
    if column.key == "language":
        return gettext("the language to write to them in: %(codes)s; empty for the default") % {
            "codes": "/".join(code for code, _ in settings.LANGUAGES)
        }
    if column.key == "category":
        return gettext("one of: %(categories)s; may be empty") % {
            "categories": ", ".join(str(label) for _, label in ParticipantCategory.choices)
        }
    assert column.key == "invited_by"
    return gettext("the name of one of the forum's sponsors; may be empty")


def also_recognised(column: Column) -> list[str]:
    """The other headers the import reads as `column`, as people would write them: its name
    in each language and its other spellings."""
    names = []
    for language, _ in settings.LANGUAGES:
        with translation.override(language):
            names.append(str(column.label))
    names += column.spellings
    seen = {header_key(str(column.label)), header_key(column.key)}
    shown = []
    for name in names:
        if header_key(name) not in seen:
            seen.add(header_key(name))
            shown.append(name)
    return shown


def expected_columns() -> str:
    """The columns the import reads, for a message about a file's header row."""
    return gettext("%(required)s (required); %(optional)s (optional)") % {
        "required": ", ".join(str(c.label) for c in COLUMNS if c.required),
        "optional": ", ".join(str(c.label) for c in COLUMNS if not c.required),
    }


@cache
def _countries_by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for language, _ in settings.LANGUAGES:
        with translation.override(language):
            for code, name in countries:
                names.setdefault(header_key(str(name)), code)
    return names


def country_code(value: str) -> str | None:
    """The ISO code of a country cell: a code, or a name in English or Spanish, whatever its
    case, accents and punctuation ("MY", "malaysia", "México", "Mexico"); None if unknown."""
    value = value.strip()
    if not value:
        return None
    if value.upper() in countries:
        return value.upper()
    return _countries_by_name().get(header_key(value))

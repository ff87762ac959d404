"""Fonts for badges, certificates and lists: names in any script print as text, never as boxes.

Each piece of text is cut into runs, each run set in the first font of `FAMILIES` that has every
character of it (Noto for most scripts; Droid Sans Fallback, whose TrueType outlines reportlab can
embed, for Chinese, Japanese and Korean: Noto's CJK fonts are OpenType/CFF, which it cannot).
Complex scripts (Devanagari, Arabic, Thai…) are shaped with HarfBuzz (reportlab's `shapeFragWord`,
through uharfbuzz), and a shaped run carries its logical text as the PDF's /ActualText, so that
copying or searching the PDF gives the name as typed. Arabic and Hebrew runs come out of HarfBuzz
right to left; a line whose first strong character is right-to-left lays its runs out from the
right. A character is looked for in the family made for its script (from its Unicode name), then
in the families loaded already (loading a font takes up to a few seconds, once per process), then
in Symbola, the fallback for emoji and symbols: an outline (TrueType) font, which reportlab can
embed, unlike Noto Color Emoji's bitmaps. A character no font has is drawn as U+FFFD "�", the
sign Unicode gives for a character that cannot be shown, rather than left out: a name made only
of such characters would otherwise print blank. Copying or searching the PDF still gives the
character as typed (/ActualText). Invisible format characters (joiners, variation selectors)
that no font has are left out: they draw nothing anyway.

reportlab is imported inside the functions, as in every rendering module."""

import os
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/truetype/droid"),
    Path("/usr/share/fonts/truetype/ancient-scripts"),
    Path("/usr/local/share/fonts"),
)
INSTALL_HINT = (
    "Install them with `make fonts` (Debian: apt-get install fonts-noto-core "
    "fonts-droid-fallback fonts-symbola), or name a folder holding them in PDF_FONT_DIRS."
)


@dataclass(frozen=True)
class Family:
    name: str
    regular: str
    bold: str | None
    required: bool = False
    # Set in HarfBuzz: scripts whose letters change shape, join or reorder.
    shaped: bool = True
    # Tried for a character no script's family has (emoji, symbols); it takes no neutral
    # characters (spaces, digits, punctuation) into its runs, which look best in the text's font.
    fallback: bool = False


# In the order they are tried for a character.
FAMILIES = (
    Family("Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", required=True, shaped=False),
    Family("Deva", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", True),
    Family("Thai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf", True),
    Family("Arab", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", True),
    Family("Beng", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
    Family("Taml", "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf"),
    Family("Telu", "NotoSansTelugu-Regular.ttf", "NotoSansTelugu-Bold.ttf"),
    Family("Gujr", "NotoSansGujarati-Regular.ttf", "NotoSansGujarati-Bold.ttf"),
    Family("Guru", "NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf"),
    Family("Knda", "NotoSansKannada-Regular.ttf", "NotoSansKannada-Bold.ttf"),
    Family("Mlym", "NotoSansMalayalam-Regular.ttf", "NotoSansMalayalam-Bold.ttf"),
    Family("Sinh", "NotoSansSinhala-Regular.ttf", "NotoSansSinhala-Bold.ttf"),
    Family("Laoo", "NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf"),
    Family("Khmr", "NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf"),
    Family("Mymr", "NotoSansMyanmar-Regular.ttf", "NotoSansMyanmar-Bold.ttf"),
    Family("Hebr", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    Family("Armn", "NotoSansArmenian-Regular.ttf", "NotoSansArmenian-Bold.ttf"),
    Family("Geor", "NotoSansGeorgian-Regular.ttf", "NotoSansGeorgian-Bold.ttf"),
    Family("Ethi", "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
    # Chinese, Japanese, Korean. No bold cut: bold text uses the regular one.
    Family("Hani", "DroidSansFallbackFull.ttf", None, required=True, shaped=False),
    # Emoji and symbols (Unicode 9.0), in black outlines. Not required: without it they print
    # as the substitute.
    Family("Symb", "Symbola_hint.ttf", None, shaped=False, fallback=True),
)
# Drawn, in the Latin family, for a character no font has.
SUBSTITUTE = "\ufffd"
REQUIRED_SCRIPTS = "Latin, Devanagari, Thai, Arabic and Chinese"
# The first word of a character's Unicode name → the family made for its script, tried first
# (loading a font costs up to a few seconds, so the others are loaded only if it lacks one).
SCRIPT_FAMILIES = {
    "LATIN": "Sans",
    "GREEK": "Sans",
    "CYRILLIC": "Sans",
    "DEVANAGARI": "Deva",
    "THAI": "Thai",
    "ARABIC": "Arab",
    "BENGALI": "Beng",
    "TAMIL": "Taml",
    "TELUGU": "Telu",
    "GUJARATI": "Gujr",
    "GURMUKHI": "Guru",
    "KANNADA": "Knda",
    "MALAYALAM": "Mlym",
    "SINHALA": "Sinh",
    "LAO": "Laoo",
    "KHMER": "Khmr",
    "MYANMAR": "Mymr",
    "HEBREW": "Hebr",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "ETHIOPIC": "Ethi",
    "CJK": "Hani",
    "HIRAGANA": "Hani",
    "KATAKANA": "Hani",
    "HANGUL": "Hani",
    "IDEOGRAPHIC": "Hani",
}


class FontsMissing(RuntimeError):
    pass


def _font_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("PDF_FONT_DIRS", "").split(os.pathsep) if p]
    return [*extra, *FONT_DIRS]


@cache
def _fc_list() -> dict[str, str]:
    """File name → path of every font fontconfig knows (asked once, only if needed)."""
    if not shutil.which("fc-list"):
        return {}
    listed = subprocess.run(
        ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=False
    ).stdout
    return {Path(line).name: line for line in listed.splitlines() if line}


def _find(file_name: str) -> str | None:
    for folder in _font_dirs():
        if (folder / file_name).is_file():
            return str(folder / file_name)
    return _fc_list().get(file_name)


@cache
def font_paths() -> dict[str, str]:
    """Registered name ("Sans", "Sans-Bold", …) → file, for every family found. Raises
    FontsMissing, naming the files, when a required family is not installed."""
    paths: dict[str, str] = {}
    missing = []
    for family in FAMILIES:
        regular = _find(family.regular)
        if regular is None:
            if family.required:
                missing.append(family.regular)
            continue
        paths[family.name] = regular
        bold = _find(family.bold) if family.bold else None
        paths[f"{family.name}-Bold"] = bold or regular
    if missing:
        raise FontsMissing(
            f"The fonts for names in {REQUIRED_SCRIPTS} are missing: {', '.join(missing)}. "
            + INSTALL_HINT
        )
    return paths


class FontSet:
    """The families found on this machine, each loaded into reportlab the first time a
    character needs it. One per process (see `fonts()`)."""

    def __init__(self) -> None:
        self.paths = font_paths()
        self.families = [f for f in FAMILIES if f.name in self.paths]
        self._cmaps: dict[str, Any] = {}
        self._uncovered: set[str] = set()
        self._family_of: dict[str, Family | None] = {}

    def font_name(self, family: Family, bold: bool) -> str:
        name = f"{family.name}-Bold" if bold else family.name
        self._load(name)
        return name

    def _load(self, name: str) -> Any:
        if name not in self._cmaps:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            registered = f"FD{name}"
            try:
                font = pdfmetrics.getFont(registered)
            except KeyError:
                font = TTFont(registered, self.paths[name])
                pdfmetrics.registerFont(font)
            self._cmaps[name] = font.face.charToGlyph
        return self._cmaps[name]

    def covers(self, family: Family, char: str) -> bool:
        return ord(char) in self._load(family.name)

    def family_for(self, char: str) -> Family | None:
        if char not in self._family_of:
            script = unicodedata.name(char, "").split(" ", 1)[0]
            # The script's own family, then those loaded already and the Latin one, then the
            # fallback: a character of no script we know (an emoji) loads no other fonts.
            candidates = [
                family
                for family in self.families
                if family.name == SCRIPT_FAMILIES.get(script)
                or family.name in self._cmaps
                or family.name == "Sans"
            ]
            candidates += [f for f in self.families if f.fallback and f not in candidates]
            self._family_of[char] = next(
                (family for family in candidates if self.covers(family, char)), None
            )
        return self._family_of[char]


@cache
def fonts() -> FontSet:
    return FontSet()


def check_fonts() -> None:
    """Raise FontsMissing with what to install, before any work starts."""
    font_paths()


@dataclass
class Run:
    text: str
    family: Family
    bold: bool
    size: float
    shaped: Any = None  # reportlab's ShapedStr, for families set in HarfBuzz
    width: float = 0.0
    # What is drawn, when it is not `text`: the substitute for characters no font has.
    drawn: str | None = None

    @property
    def font(self) -> str:
        return f"FD{self.family.name}-Bold" if self.bold else f"FD{self.family.name}"


def _is_rtl(text: str) -> bool:
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _invisible(char: str) -> bool:
    """A character that draws nothing: a format character (joiner, direction mark), a control
    character or a variation selector."""
    return unicodedata.category(char) in ("Cc", "Cf") or "VARIATION SELECTOR" in unicodedata.name(
        char, ""
    )


def split_runs(text: str, *, bold: bool, size: float) -> list[Run]:
    """`text` cut into runs of one font each, measured at `size`, in the order they are drawn
    from left to right. A character no font has becomes a run of its own that draws the
    substitute."""
    from reportlab.lib.abag import ABag
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfbase.ttfonts import shapeFragWord

    font_set = fonts()
    text = unicodedata.normalize("NFC", text)
    runs: list[Run] = []
    for char in text:
        current = runs[-1] if runs else None
        neutral = unicodedata.category(char)[0] in "MZP" or char.isdigit()
        if (
            current is not None
            and current.drawn is None
            and (
                (neutral and not current.family.fallback)
                or current.family == font_set.family_for(char)
            )
            and font_set.covers(current.family, char)
        ):
            current.text += char
            continue
        family = font_set.family_for(char)
        if family is not None:
            runs.append(Run(char, family, bold, size))
        elif _invisible(char):
            continue
        elif current is not None and current.drawn is not None:
            current.text += char
            current.drawn += SUBSTITUTE
        else:
            runs.append(Run(char, font_set.families[0], bold, size, drawn=SUBSTITUTE))
    for run in runs:
        font_name = font_set.font_name(run.family, bold)
        if run.drawn is not None:
            run.width = stringWidth(run.drawn, f"FD{font_name}", size)
        elif run.family.shaped:
            fragment = [0, (ABag(fontName=f"FD{font_name}", fontSize=size), run.text)]
            # Kerning and ligatures, but no discretionary ligatures (they turn محمد into ﷴ).
            shaped = shapeFragWord(fragment, features={"kern": True, "liga": True}, force=True)
            run.shaped = shaped[1][1]
            run.width = sum(d.x_advance for d in run.shaped.__shapeData__) * size / 1000
        else:
            run.width = stringWidth(run.text, f"FD{font_name}", size)
    if _is_rtl(text):
        runs.reverse()
    return runs


def runs_width(runs: list[Run]) -> float:
    return sum(run.width for run in runs)


def draw_runs(canvas: Any, runs: list[Run], x: float, y: float) -> None:
    """Draw `runs` from `x` on the baseline `y`. A run whose glyphs do not map one to one onto
    its text carries the text as /ActualText, so that text extraction reads the name as typed:
    a shaped run, the substitute, and a run with characters past U+FFFF (emoji), which
    reportlab's /ToUnicode map writes as one five-digit code that readers cannot decode."""
    for run in runs:
        text = canvas.beginText(x, y)
        text.setFont(run.font, run.size)
        drawn = run.drawn if run.drawn is not None else run.shaped
        if drawn is not None or any(ord(char) > 0xFFFF for char in run.text):
            actual = run.text.encode("utf-16-be").hex().upper()
            canvas._code.append(f"/Span <</ActualText <FEFF{actual}>>> BDC")
            text.textLine(run.text if drawn is None else drawn)
            canvas.drawText(text)
            canvas._code.append("EMC")
        else:
            text.textLine(run.text)
            canvas.drawText(text)
        x += run.width

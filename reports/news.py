"""The draft news article about a held forum, written from its facts (reports.facts) in English
or Spanish, in the association's house style: when and where, how many came, who sponsored and
supported it, its workshops and who led them, what participants said, and the programme's reach
as it stood that day. Pure text building: no database access here."""

import unicodedata
from dataclasses import dataclass
from datetime import date

from django.utils import translation
from django_countries.fields import Country

from reports.text import count_text, floor_percent, join_list, long_date

LANGUAGES = ("en", "es")


@dataclass(frozen=True)
class Leader:
    """Facilitators from one organisation (no names when an organisation leads on its own)."""

    names: tuple[str, ...]
    organisation: str


@dataclass(frozen=True)
class WorkshopFacts:
    title: str
    leaders: tuple[Leader, ...]


@dataclass(frozen=True)
class ReachFacts:
    forums: int
    companies: int
    people: int
    # Made-up demo forums among `forums`, which the text then owns up to.
    demo_forums: int = 0


@dataclass(frozen=True)
class NewsFacts:
    association: str
    title: str
    city: str
    country: str  # ISO code
    day: date
    attended: int
    sponsors: tuple[str, ...]
    supporters: tuple[str, ...]
    workshops: tuple[WorkshopFacts, ...]
    # Those who said the forum was helpful, out of those who answered; None without a figure.
    helpful: tuple[int, int] | None = None
    reach: ReachFacts | None = None


@dataclass(frozen=True)
class NewsDraft:
    headline: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join((self.headline, *self.paragraphs))


def name_order(name: str) -> str:
    """Organisations in the order the association lists them: alphabetical, ignoring a leading
    "The" and accents (The Coca-Cola Company before Kellogg)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return folded.removeprefix("the ")


def title_without_city(title: str, city: str) -> str:
    """ "Responsible Sourcing Forum" for "Responsible Sourcing Forum Kuala Lumpur": the city is
    named after it."""
    if city and title.casefold().endswith(city.casefold()):
        shortened = title[: -len(city)].rstrip(" ,–-")
        if shortened.casefold().endswith(" in"):
            shortened = shortened[:-3]
        return shortened or title
    return title


def country_name(code: str, language: str) -> str:
    with translation.override(language):
        return str(Country(code).name)


PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "headline_sponsored": "{association} members host the {title} in {city}, {country}",
        "headline": "{association} holds the {title} in {city}, {country}",
        "opening": "On {day}, {count} {participants} attended the {association} {title} in "
        "{city}, {country}.",
        "sponsored": "This forum was sponsored by {count} {association} {members}: {names}",
        "supported_also": " and supported by {names}",
        "supported_only": "This forum was supported by {names}",
        "workshops": "This one-day forum also offered {count} {workshops}:",
        "led": "{title}, led by {leaders}",
        "from": "{names} from {organisation}",
        "helpful": "{percent}% of the {count} {respondents} to the feedback survey said the "
        "forum was helpful.",
        "reach": "Since the beginning of these events, {association} has held {forums} "
        "{forum_word}, reaching {companies} {company_word} and {people} {person_word}.",
        "demo": "These figures include {count} made-up {forum_word} loaded as demo data.",
    },
    "es": {
        "headline_sponsored": "Miembros de {association} organizan el {title} en {city}, {country}",
        "headline": "{association} celebra el {title} en {city}, {country}",
        "opening": "El {day}, {count} {participants} asistieron al {title} de {association} "
        "en {city}, {country}.",
        "sponsored": "Este foro contó con el patrocinio de {count} {members} de {association}: "
        "{names}",
        "supported_also": ", y con el apoyo de {names}",
        "supported_only": "Este foro contó con el apoyo de {names}",
        "workshops": "Este foro de un día también ofreció {count} {workshops}:",
        "led": "{title}, dirigido por {leaders}",
        "from": "{names} ({organisation})",
        "helpful": "El {percent} % de las {count} {respondents} a la encuesta de opinión dijo "
        "que el foro le resultó útil.",
        "reach": "Desde el inicio de estos eventos, {association} ha celebrado {forums} "
        "{forum_word} y ha llegado a {companies} {company_word} y {people} {person_word}.",
        "demo": "Estas cifras incluyen datos de demostración ficticios: {count} {forum_word}.",
    },
}
NOUNS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "participant": ("participant", "participants"),
        "member": ("member", "members"),
        "workshop": ("workshop", "workshops"),
        "respondent": ("respondent", "respondents"),
        "forum": ("forum", "forums"),
        "company": ("company", "companies"),
        "person": ("person", "people"),
    },
    "es": {
        "participant": ("participante", "participantes"),
        "member": ("miembro", "miembros"),
        "workshop": ("taller", "talleres"),
        "respondent": ("persona que respondió", "personas que respondieron"),
        "forum": ("foro", "foros"),
        "company": ("empresa", "empresas"),
        "person": ("persona", "personas"),
    },
}
# Nouns that are feminine in Spanish ("una empresa", not "un empresa").
FEMININE = {"company", "person", "respondent"}


def _noun(language: str, key: str, count: int) -> str:
    singular, plural = NOUNS[language][key]
    return singular if count == 1 else plural


def _count(language: str, key: str, count: int) -> tuple[str, str]:
    """The count as written and its noun, e.g. ("more than 150", "participants")."""
    return (
        count_text(count, language, feminine=key in FEMININE),
        _noun(language, key, count),
    )


def _leaders(leaders: tuple[Leader, ...], language: str) -> str:
    parts = []
    for leader in leaders:
        if leader.names and leader.organisation:
            parts.append(
                PHRASES[language]["from"].format(
                    names=join_list(list(leader.names), language),
                    organisation=leader.organisation,
                )
            )
        else:
            parts.append(join_list(list(leader.names), language) or leader.organisation)
    return join_list(parts, language)


def news_draft(facts: NewsFacts, language: str = "en") -> NewsDraft:
    """The article in `language` ("en" or "es"). Sentences without facts are left out: no
    sponsors, no workshops, no survey figure, no reach figures."""
    language = "es" if language.startswith("es") else "en"
    say = PHRASES[language]
    place = {
        "association": facts.association,
        "title": title_without_city(facts.title, facts.city),
        "city": facts.city,
        "country": country_name(facts.country, language),
    }
    headline = (say["headline_sponsored"] if facts.sponsors else say["headline"]).format(**place)
    count, participants = _count(language, "participant", facts.attended)
    paragraphs = [
        say["opening"].format(
            day=long_date(facts.day, language), count=count, participants=participants, **place
        )
    ]
    sponsors = sorted(facts.sponsors, key=name_order)
    supporters = sorted(facts.supporters, key=name_order)
    support = ""
    if sponsors:
        count, members = _count(language, "member", len(sponsors))
        support = say["sponsored"].format(
            count=count,
            members=members,
            association=facts.association,
            names=join_list(sponsors, language),
        )
        if supporters:
            support += say["supported_also"].format(names=join_list(supporters, language))
    elif supporters:
        support = say["supported_only"].format(names=join_list(supporters, language))
    if support:
        paragraphs.append(support + ".")
    if facts.workshops:
        count, workshops = _count(language, "workshop", len(facts.workshops))
        lines = [say["workshops"].format(count=count, workshops=workshops)]
        for workshop in facts.workshops:
            leaders = _leaders(workshop.leaders, language)
            line = (
                say["led"].format(title=workshop.title, leaders=leaders)
                if leaders
                else (workshop.title)
            )
            lines.append(f"• {line}.")
        paragraphs.append("\n".join(lines))
    if facts.helpful is not None:
        yes, answered = facts.helpful
        count, respondents = _count(language, "respondent", answered)
        paragraphs.append(
            say["helpful"].format(
                percent=floor_percent(yes, answered), count=count, respondents=respondents
            )
        )
    if facts.reach is not None:
        reach = facts.reach
        forums, forum_word = _count(language, "forum", reach.forums)
        companies, company_word = _count(language, "company", reach.companies)
        people, person_word = _count(language, "person", reach.people)
        paragraphs.append(
            say["reach"].format(
                association=facts.association,
                forums=forums,
                forum_word=forum_word,
                companies=companies,
                company_word=company_word,
                people=people,
                person_word=person_word,
            )
        )
        if reach.demo_forums:
            # The exact number: a warning is no place for "more than 30".
            word = _noun(language, "forum", reach.demo_forums)
            paragraphs[-1] += " " + say["demo"].format(count=reach.demo_forums, forum_word=word)
    return NewsDraft(headline=headline, paragraphs=tuple(paragraphs))

import dataclasses
import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from attendance.selectors import attendees
from forums.models import Forum
from reports import facts as facts_module
from reports.facts import forum_news_facts
from reports.news import Leader, NewsFacts, ReachFacts, WorkshopFacts, news_draft

FACTS = NewsFacts(
    association="AIM-PROGRESS",
    title="Responsible Sourcing Forum Kuala Lumpur",
    city="Kuala Lumpur",
    country="MY",
    day=date(2017, 10, 24),
    attended=153,
    sponsors=("Unilever", "PepsiCo", "Nestlé", "Ferrero"),
    supporters=("The Consumer Goods Forum", "CSR Asia"),
    workshops=(
        WorkshopFacts(
            "Migrant labour management",
            (Leader(("Lara White",), "International Organization for Migration"),),
        ),
        WorkshopFacts(
            "Grievance mechanisms",
            (
                Leader(("Patrick McKeller",), "ELEVATE"),
                Leader(("Khai Yau Chua",), "Responsible Business Alliance"),
            ),
        ),
        WorkshopFacts("Sustainable land use", (Leader((), "TFT"),)),
    ),
    helpful=(37, 41),
    reach=ReachFacts(forums=33, companies=3047, people=5210),
)


def test_news_draft_in_english_sentence_by_sentence():
    draft = news_draft(FACTS, "en")
    assert draft.headline == (
        "AIM-PROGRESS members host the Responsible Sourcing Forum in Kuala Lumpur, Malaysia"
    )
    assert draft.paragraphs == (
        "On 24 October 2017, more than 150 participants attended the AIM-PROGRESS Responsible "
        "Sourcing Forum in Kuala Lumpur, Malaysia.",
        "This forum was sponsored by four AIM-PROGRESS members: Ferrero, Nestlé, PepsiCo and "
        "Unilever and supported by The Consumer Goods Forum and CSR Asia.",
        "This one-day forum also offered three workshops:\n"
        "• Migrant labour management, led by Lara White from International Organization for "
        "Migration.\n"
        "• Grievance mechanisms, led by Patrick McKeller from ELEVATE and Khai Yau Chua from "
        "Responsible Business Alliance.\n"
        "• Sustainable land use, led by TFT.",
        # 37 of 41 is 90.2 %: never rounded up.
        "90% of the 41 respondents to the feedback survey said the forum was helpful.",
        "Since the beginning of these events, AIM-PROGRESS has held 33 forums, reaching more "
        "than 3,000 companies and more than 5,200 people.",
    )


def test_news_draft_in_spanish_sentence_by_sentence():
    draft = news_draft(FACTS, "es")
    assert draft.headline == (
        "Miembros de AIM-PROGRESS organizan el Responsible Sourcing Forum en Kuala Lumpur, Malasia"
    )
    assert draft.paragraphs == (
        "El 24 de octubre de 2017, más de 150 participantes asistieron al Responsible Sourcing "
        "Forum de AIM-PROGRESS en Kuala Lumpur, Malasia.",
        "Este foro contó con el patrocinio de cuatro miembros de AIM-PROGRESS: Ferrero, Nestlé, "
        "PepsiCo y Unilever, y con el apoyo de The Consumer Goods Forum y CSR Asia.",
        "Este foro de un día también ofreció tres talleres:\n"
        "• Migrant labour management, dirigido por Lara White (International Organization for "
        "Migration).\n"
        "• Grievance mechanisms, dirigido por Patrick McKeller (ELEVATE) y Khai Yau Chua "
        "(Responsible Business Alliance).\n"
        "• Sustainable land use, dirigido por TFT.",
        "El 90 % de las 41 personas que respondieron a la encuesta de opinión dijo que el foro "
        "le resultó útil.",
        "Desde el inicio de estos eventos, AIM-PROGRESS ha celebrado 33 foros y ha llegado a "
        "más de 3000 empresas y más de 5200 personas.",
    )


def test_news_draft_leaves_out_what_has_no_facts():
    facts = NewsFacts(
        association="Example Association",
        title="Supplier Forum",
        city="Lima",
        country="PE",
        day=date(2026, 3, 2),
        attended=1,
        sponsors=(),
        supporters=("CSR Asia",),
        workshops=(),
    )
    draft = news_draft(facts, "en")
    assert draft.headline == "Example Association holds the Supplier Forum in Lima, Peru"
    assert draft.paragraphs == (
        "On 2 March 2026, one participant attended the Example Association Supplier Forum in "
        "Lima, Peru.",
        "This forum was supported by CSR Asia.",
    )
    assert news_draft(facts, "es").paragraphs[1] == "Este foro contó con el apoyo de CSR Asia."


def test_news_draft_names_one_sponsor_in_the_singular():
    facts = NewsFacts(
        association="AIM-PROGRESS",
        title="Supplier Forum",
        city="Lima",
        country="PE",
        day=date(2026, 3, 2),
        attended=12,
        sponsors=("Nestlé",),
        supporters=(),
        workshops=(WorkshopFacts("Wages", ()),),
    )
    assert news_draft(facts, "en").paragraphs[1:] == (
        "This forum was sponsored by one AIM-PROGRESS member: Nestlé.",
        "This one-day forum also offered one workshop:\n• Wages.",
    )
    assert news_draft(facts, "es").paragraphs[1] == (
        "Este foro contó con el patrocinio de un miembro de AIM-PROGRESS: Nestlé."
    )


# --- the seed forums, loaded by the demo loader -------------------------------------------------

OPENING = re.compile(
    r"^On (?P<day>\d+ \w+ \d{4}), (?P<more>more than )?(?P<count>[\d,]+) participants attended "
    r"the AIM-PROGRESS (?P<title>.+) in (?P<city>.+), (?P<country>[^,]+)\.$"
)


@pytest.fixture
def demo(db):
    call_command("load_demo")


def _draft(slug: str, capsys, *args) -> list[str]:
    capsys.readouterr()
    call_command("forum_summary", slug, *args)
    return capsys.readouterr().out.strip().split("\n\n")


def _check_opening(sentence: str, slug: str, day: str, title: str, city: str, country: str):
    """The count is the number who attended, rounded down, never up."""
    match = OPENING.match(sentence)
    assert match, sentence
    assert (match["day"], match["title"], match["city"], match["country"]) == (
        day,
        title,
        city,
        country,
    )
    attended = attendees(Forum.objects.get(slug=slug)).count()
    said = int(match["count"].replace(",", ""))
    assert said <= attended
    if attended >= 100:
        assert said == attended - attended % 10
        assert bool(match["more"]) == (said != attended)
    else:
        assert (said, match["more"]) == (attended, None)


def test_kuala_lumpur_draft_states_the_seed_facts(demo, capsys):
    headline, opening, support, workshops, *rest = _draft("kuala-lumpur-2017", capsys)
    assert headline == (
        "AIM-PROGRESS members host the Responsible Sourcing Forum in Kuala Lumpur, Malaysia"
    )
    _check_opening(
        opening,
        "kuala-lumpur-2017",
        "24 October 2017",
        "Responsible Sourcing Forum",
        "Kuala Lumpur",
        "Malaysia",
    )
    # The seed article: "On 24 October 2017, more than 150 participants attended ...".
    assert opening == (
        "On 24 October 2017, more than 150 participants attended the AIM-PROGRESS Responsible "
        "Sourcing Forum in Kuala Lumpur, Malaysia."
    )
    assert support == (
        "This forum was sponsored by four AIM-PROGRESS members: Ferrero, Nestlé, PepsiCo and "
        "Unilever and supported by The Consumer Goods Forum and CSR Asia."
    )
    assert workshops.split("\n") == [
        "This one-day forum also offered three workshops:",
        "• Migrant labour management, led by Lara White from International Organization for "
        "Migration.",
        "• Sustainable land use, led by Dejan Lewis, Hannah Timmins and Quek Karl Yen from TFT.",
        "• Grievance mechanisms, led by Patrick McKeller from ELEVATE and Khai Yau Chua from "
        "Responsible Business Alliance.",
    ]
    # The reach as it stood that day, which the seed article gives as "over 30 such sessions
    # globally, reaching over 3,000 companies", saying how many of them are demo forums (all
    # those before the seed forums, from demo.history).
    demo_forums = Forum.objects.filter(is_demo=True, starts_at__date__lt=date(2017, 10, 24))
    assert demo_forums.count() == 32
    assert rest[-1:] == [
        "Since the beginning of these events, AIM-PROGRESS has held 34 forums, reaching more "
        "than 3,000 companies and more than 4,400 people. These figures include 32 made-up "
        "forums loaded as demo data."
    ]


def test_gurgaon_draft_states_the_seed_facts(demo, capsys):
    headline, opening, support, workshops = _draft("gurgaon-2017", capsys)[:4]
    assert headline == "AIM-PROGRESS members host the Supplier Forum in Gurgaon, India"
    _check_opening(
        opening, "gurgaon-2017", "26 September 2017", "Supplier Forum", "Gurgaon", "India"
    )
    # The seed article: "attended by over 230 supplier representatives".
    assert opening == (
        "On 26 September 2017, more than 230 participants attended the AIM-PROGRESS Supplier "
        "Forum in Gurgaon, India."
    )
    assert support == (
        "This forum was sponsored by three AIM-PROGRESS members: The Coca-Cola Company, "
        "Reckitt Benckiser and Unilever."
    )
    assert workshops.split("\n") == [
        "This one-day forum also offered four workshops:",
        "• Anti-bribery and corruption, led by Cyril Shroff.",
        "• Health and safety in manufacturing facilities, led by Sentio Advisory Group.",
        "• Contract labour management, led by Impactt.",
        "• Wages and working hours, led by Impactt.",
    ]


def test_mexico_city_draft_states_the_seed_facts(demo, capsys):
    headline, opening, support, workshops = _draft("mexico-city-2017", capsys)[:4]
    assert headline == (
        "AIM-PROGRESS members host the Industry Awareness Workshop on Sugar in Mexico City, Mexico"
    )
    _check_opening(
        opening,
        "mexico-city-2017",
        "14 November 2017",
        "Industry Awareness Workshop on Sugar",
        "Mexico City",
        "Mexico",
    )
    # The seed article: "gathering 70 delegates".
    assert opening == (
        "On 14 November 2017, 70 participants attended the AIM-PROGRESS Industry Awareness "
        "Workshop on Sugar in Mexico City, Mexico."
    )
    assert support == (
        "This forum was sponsored by four AIM-PROGRESS members: The Coca-Cola Company, "
        "Kellogg, Nestlé and PepsiCo."
    )
    assert workshops.split("\n") == [
        "This one-day forum also offered three workshops:",
        "• Shelters.",
        "• Rest, shade and hydration.",
        "• Child labour.",
    ]


def test_forum_summary_in_spanish(demo, capsys):
    lines = _draft("mexico-city-2017", capsys, "--language", "es")
    headline, opening = lines[:2]
    # The forum's and the workshops' Spanish titles (demo/seeds.py).
    assert headline == (
        "Miembros de AIM-PROGRESS organizan el Taller de sensibilización de la industria del "
        "azúcar en Mexico City, México"
    )
    assert opening == (
        "El 14 de noviembre de 2017, 70 participantes asistieron al Taller de sensibilización "
        "de la industria del azúcar de AIM-PROGRESS en Mexico City, México."
    )
    bullets = [line for paragraph in lines for line in paragraph.split("\n")]
    assert [line for line in bullets if line.startswith("• ")] == [
        "• Albergues.",
        "• Descanso, sombra e hidratación.",
        "• Trabajo infantil.",
    ]


def test_association_name_is_a_setting(demo, capsys, settings):
    settings.ASSOCIATION_NAME = "Example Association"
    headline = _draft("gurgaon-2017", capsys)[0]
    assert headline == "Example Association members host the Supplier Forum in Gurgaon, India"


def test_news_draft_says_how_many_forums_of_the_reach_are_demo_data():
    one = dataclasses.replace(
        FACTS, reach=ReachFacts(forums=33, companies=3047, people=5210, demo_forums=1)
    )
    assert (
        news_draft(one, "en")
        .paragraphs[-1]
        .endswith("5,200 people. These figures include 1 made-up forum loaded as demo data.")
    )
    assert (
        news_draft(one, "es")
        .paragraphs[-1]
        .endswith("Estas cifras incluyen datos de demostración ficticios: 1 foro.")
    )
    assert "demo" not in news_draft(FACTS, "en").paragraphs[-1]


def test_reach_sentence_is_as_of_the_forum_day(demo, monkeypatch):
    asked = []

    @dataclass
    class Totals:
        forums: int
        companies: int
        people: int
        countries: int
        demo_forums: int = 0

    def reach_headline(*, as_of=None):
        asked.append(as_of)
        return Totals(forums=31, companies=3120, people=4999, countries=12)

    monkeypatch.setattr(facts_module, "reach_headline", reach_headline)
    facts = forum_news_facts(Forum.objects.get(slug="kuala-lumpur-2017"))
    assert asked == [date(2017, 10, 24)]
    assert news_draft(facts, "en").paragraphs[-1] == (
        "Since the beginning of these events, AIM-PROGRESS has held 31 forums, reaching more "
        "than 3,100 companies and more than 4,900 people."
    )


def test_forum_summary_refuses_an_unknown_slug_and_a_forum_not_held(demo):
    with pytest.raises(CommandError, match='No forum has the slug "nowhere-2017"'):
        call_command("forum_summary", "nowhere-2017")
    with pytest.raises(CommandError, match='"bangkok-2027" has not been held yet'):
        call_command("forum_summary", "bangkok-2027")
    with pytest.raises(CommandError):
        call_command("forum_summary", "gurgaon-2017", "--language", "fr")

"""A survey with hand-counted answers, built row by row (no services), for the results tests.

Kuala Lumpur, 16 people attended and were invited by e-mail, 7 responses (r1–r5 online,
r6–r7 on paper, without a name). Workshops A1
(Lara White) and B2 (Patrick McKeller, Khai Yau Chua). The figures each test expects are
counted by hand from the table below, in the tests themselves."""

from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

from django.utils import timezone

from attendance.enums import CheckInSource
from attendance.models import CheckIn
from feedback.enums import QuestionKind, QuestionScope, ResponseSource, SurveyStatus
from feedback.models import Answer, Question, Response, Survey, SurveyInvitation
from forums.models import Forum, Person
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from workshops.models import Workshop

PILLARS = [
    {"key": "human_rights", "en": "Human rights and labour standards", "es": "Derechos humanos"},
    {"key": "health_safety", "en": "Health and safety", "es": "Salud y seguridad"},
    {"key": "environment", "en": "Environment", "es": "Medio ambiente"},
    {"key": "business_integrity", "en": "Business integrity", "es": "Integridad empresarial"},
]

QUESTIONS = [
    ("helpful", QuestionKind.YES_NO, QuestionScope.FORUM, "Was this event helpful for your work?"),
    ("overall", QuestionKind.RATING, QuestionScope.FORUM, "How would you rate the forum?"),
    ("recommend", QuestionKind.RECOMMEND, QuestionScope.FORUM, "Would you recommend it?"),
    ("workshop", QuestionKind.RATING, QuestionScope.WORKSHOP, "How would you rate the workshop?"),
    ("facilitator", QuestionKind.RATING, QuestionScope.FACILITATOR, "Rate the facilitator"),
    ("workshop_comment", QuestionKind.TEXT, QuestionScope.WORKSHOP, "Comment on the workshop"),
    ("change", QuestionKind.TEXT, QuestionScope.FORUM, "What will you do differently?"),
    ("topics", QuestionKind.MULTIPLE, QuestionScope.FORUM, "Which topics next time?"),
    ("comments", QuestionKind.TEXT, QuestionScope.FORUM, "Other comments"),
]

SCRIPT = "<script>alert('x')</script>"
FORMULA = "=cmd|' /C calc'!A0"

# Per response: helpful, overall, recommend, {workshop: rating}, {(workshop, surname): rating},
# {workshop: comment}, change, topics, comments. None: not answered.
ANSWERS = [
    (
        1,
        5,
        10,
        {"A1": 5},
        {("A1", "White"): 5},
        {"A1": FORMULA},
        SCRIPT,
        ["environment", "human_rights"],
        "",
    ),
    (1, 4, 9, {"A1": 3}, {("A1", "White"): 5}, {}, "Map our suppliers", ["environment"], ""),
    (
        1,
        4,
        8,
        {"A1": 3},
        {("A1", "White"): 4},
        {},
        "",
        ["business_integrity", "environment"],
        "Thanks, very useful",
    ),
    (1, 3, 7, {"A1": 2}, {}, {}, "", [], ""),
    (
        1,
        5,
        6,
        {"B2": 3},
        {("B2", "McKeller"): 2, ("B2", "Chua"): 4},
        {"B2": "Too short"},
        "",
        ["human_rights"],
        "",
    ),
    (0, 2, 0, {"B2": 4}, {("B2", "Chua"): 5}, {}, "", None, ""),
    (None, 4, 10, {}, {}, {}, "", ["health_safety", "environment"], ""),
]


@dataclass
class ResultsFixture:
    forum: Forum
    survey: Survey
    workshops: dict[str, Workshop]
    people: dict[str, Person]
    respondents: list[Person] = field(default_factory=list)


def build_survey(forum: Forum, *, anonymous: bool = False) -> tuple[Survey, dict[str, Question]]:
    survey = Survey.objects.create(
        forum=forum, status=SurveyStatus.OPEN, anonymous=anonymous, opened_at=timezone.now()
    )
    questions = {
        key: Question.objects.create(
            survey=survey,
            key=key,
            position=position,
            text_en=text,
            text_es=text,
            kind=kind,
            scope=scope,
            choices=PILLARS if key == "topics" else [],
        )
        for position, (key, kind, scope, text) in enumerate(QUESTIONS, start=1)
    }
    return survey, questions


def add_workshop(forum: Forum, code: str, facilitators: list[Person]) -> Workshop:
    workshop = Workshop.objects.create(
        forum=forum,
        code=code,
        title=f"Workshop {code}",
        pillar="human_rights",
        starts_at=forum.starts_at + timedelta(hours=4),
        ends_at=forum.starts_at + timedelta(hours=6),
        seat_limit=40,
    )
    workshop.facilitators.set(facilitators)
    return workshop


def invite(survey: Survey, person: Person) -> SurveyInvitation:
    registration = Registration.objects.create(
        forum=survey.forum, person=person, status=RegistrationStatus.CONFIRMED
    )
    CheckIn.objects.create(
        registration=registration,
        checked_in_at=survey.forum.starts_at,
        nonce=f"door-{registration.pk}",
        source=CheckInSource.SCAN,
    )
    # Invited by e-mail: the e-mail was queued when the survey opened.
    return SurveyInvitation.objects.create(
        survey=survey, registration=registration, sent_at=survey.opened_at
    )


def build_results_fixture(make_forum, *, anonymous: bool = False) -> ResultsFixture:
    forum = make_forum(slug="kuala-lumpur-2017", title="Responsible Sourcing Forum KL")
    people = {
        "White": Person.objects.create(
            first_name="Lara", last_name="White", email="lw@iom.example"
        ),
        "McKeller": Person.objects.create(
            first_name="Patrick", last_name="McKeller", email="pm@elevate.example"
        ),
        "Chua": Person.objects.create(
            first_name="Khai Yau", last_name="Chua", email="kc@rba.example"
        ),
    }
    workshops = {
        "A1": add_workshop(forum, "A1", [people["White"]]),
        "B2": add_workshop(forum, "B2", [people["McKeller"], people["Chua"]]),
    }
    survey, questions = build_survey(forum, anonymous=anonymous)
    invitees = [
        Person.objects.create(
            first_name=f"Delegate{i}", last_name=f"Number{i}", email=f"d{i}@x.example"
        )
        for i in range(1, 17)
    ]
    invitations = [invite(survey, person) for person in invitees]
    start = timezone.now()
    for index, row in enumerate(ANSWERS):
        helpful, overall, recommend, ratings, facilitators, notes, change, topics, comments = row
        online = index < 5
        invitation = invitations[index] if online else None
        if invitation:
            invitation.responded_at = start
            invitation.save(update_fields=["responded_at"])
        response = Response.objects.create(
            survey=survey,
            invitation=None if anonymous else invitation,
            source=ResponseSource.WEB if online else ResponseSource.PAPER,
            submitted_at=start + timedelta(minutes=index),
        )

        def answer(key, *, response=response, **kw):
            Answer.objects.create(response=response, question=questions[key], **kw)

        if helpful is not None:
            answer("helpful", number=helpful)
        answer("overall", number=overall)
        answer("recommend", number=recommend)
        for code, rating in ratings.items():
            answer("workshop", workshop=workshops[code], number=rating)
        for (code, surname), rating in facilitators.items():
            answer(
                "facilitator", workshop=workshops[code], facilitator=people[surname], number=rating
            )
        for code, text in notes.items():
            answer("workshop_comment", workshop=workshops[code], text=text)
        if change:
            answer("change", text=change)
        if topics is not None:
            answer("topics", choices=topics)
        if comments:
            answer("comments", text=comments)
    return ResultsFixture(
        forum=forum, survey=survey, workshops=workshops, people=people, respondents=invitees[:5]
    )


def build_headline_survey(forum: Forum, *, invited: int, rows: list[tuple]) -> Survey:
    """A survey of `forum` with `invited` people invited and one online response per row of
    (helpful, overall, recommend), None for a question left blank; the first invitees answer."""
    survey, questions = build_survey(forum)
    invitations = [
        invite(
            survey,
            Person.objects.create(
                first_name="Guest", last_name=str(i), email=f"{forum.slug}-{i}@x.example"
            ),
        )
        for i in range(invited)
    ]
    for index, numbers in enumerate(rows):
        invitation = invitations[index]
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["responded_at"])
        response = Response.objects.create(
            survey=survey,
            invitation=invitation,
            submitted_at=timezone.now() + timedelta(minutes=index),
        )
        for key, number in zip(["helpful", "overall", "recommend"], numbers, strict=True):
            if number is not None:
                Answer.objects.create(response=response, question=questions[key], number=number)
    return survey


class _Figures(HTMLParser):
    """The text of every element with a data-figure attribute, by that attribute."""

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str | None]] = []
        self.found: dict[str, list[str]] = {}
        self.parts: dict[int, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "img", "input", "link", "meta"}:
            return
        name = dict(attrs).get("data-figure")
        self.open.append((tag, name))
        if name is not None:
            self.parts[len(self.open)] = []

    def handle_endtag(self, tag):
        while self.open:
            depth = len(self.open)
            open_tag, name = self.open.pop()
            if name is not None:
                text = " ".join("".join(self.parts.pop(depth)).split())
                self.found.setdefault(name, []).append(text)
            if open_tag == tag:
                break

    def handle_data(self, data):
        for parts in self.parts.values():
            parts.append(data)


def figures(html: str) -> dict[str, list[str]]:
    """Each data-figure's texts, in page order (a comment list repeats its name)."""
    parser = _Figures()
    parser.feed(html)
    return parser.found


def figure(html: str, name: str) -> str:
    """The one text shown for the data-figure `name`."""
    (text,) = figures(html)[name]
    return text


class _Main(HTMLParser):
    """The words of the page's <main> as a person reads them (text nodes only: a CSRF token or
    any other attribute value is not read), and the addresses it links to."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.words: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        elif self.depth and tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.words += data.split()


def main_text(html: str) -> str:
    """The text shown in the page's <main> (SVG chart labels included), words joined by one
    space."""
    parser = _Main()
    parser.feed(html)
    return " ".join(parser.words)


def main_links(html: str) -> list[str]:
    """The href of every link in the page's <main>, in order."""
    parser = _Main()
    parser.feed(html)
    return parser.links

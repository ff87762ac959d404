"""Every surface that says who attended agrees with what happened: seeded random histories, made
through the real services (registrations and walk-ins, check-ins at the door and in workshops,
undos, cancellations before and after a check-in, an attendance list imported twice with rows
saying yes and no, forums marked held), and every surface read where a person sees it, compared
with a plain Python record of what each service answered.

The surfaces: the registration export (CSV), the registration admin's "Attendance" filter and
column, the certificates (all of a forum's, and each person's link), survey invitations (the
e-mails sent), the forum overview, the members page, the facilitator page, the post-event PDF,
the news draft and the reach (page and facts)."""

import csv
import io
import random
import re
import uuid
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from attendance import documents
from attendance.enums import CheckInAnswer
from attendance.models import CheckIn
from attendance.services import checkin_perform, checkin_undo, forum_mark_held
from audit.services import Actor
from feedback import services as feedback_services
from forums.models import Forum, Person
from registrations import services as registration_services
from registrations.imports import import_registrations
from registrations.models import Registration
from registrations.spreadsheets import read_table
from reports.models import ReachFact
from tests.attendance.pdf_reading import pdf_lines
from tests.feedback.results_fixture import figure, figures
from tests.html_forms import form_values, texts_of_class
from tests.registrations.conftest import add_workshops
from tests.registrations.test_imports import HEADER, csv_bytes
from workshops.models import Workshop

SLOTS = [["A1", "A2"], ["B1", "B2"]]
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@dataclass
class Record:
    """What the services answered for one registration: its live check-ins, and whether it was
    cancelled."""

    email: str
    name: str
    secret: str = ""
    invited: bool = False
    cancelled: bool = False
    door: CheckIn | None = None
    workshops: dict[str, CheckIn] = field(default_factory=dict)

    @property
    def attended(self) -> bool:
        return self.door is not None and not self.cancelled


@dataclass
class History:
    forum: Forum
    records: dict[int, Record] = field(default_factory=dict)

    def attendees(self) -> set[str]:
        return {r.email for r in self.records.values() if r.attended}

    def at_workshop(self, code: str) -> set[str]:
        return {r.name for r in self.records.values() if code in r.workshops and not r.cancelled}


def _workshop_choice(rng: random.Random, forum: Forum) -> list[Workshop]:
    codes = [code for slot in SLOTS if (code := rng.choice([*slot, None]))]
    return list(Workshop.objects.filter(forum=forum, code__in=codes))


def _check_in(history, record, registration, workshop, by):
    result = checkin_perform(
        code=registration.checkin_code,
        forum=history.forum,
        workshop=workshop,
        nonce=uuid.uuid4().hex,
        by=by,
    )
    if result.answer == CheckInAnswer.OK:
        if workshop is None:
            record.door = result.checkin
        else:
            record.workshops[workshop.code] = result.checkin


def _undo(record, code, by):
    checkin = record.door if code is None else record.workshops[code]
    checkin_undo(checkin=checkin, by=by)
    if code is None:
        record.door = None
    else:
        del record.workshops[code]


def live_forum(rng, make_forum, make_details, unilever, by, number) -> History:
    """A forum on today's date, everyone registered before, then the day at the door."""
    now = timezone.now()
    local = now.astimezone(zoneinfo.ZoneInfo("Asia/Kuala_Lumpur"))
    # Started an hour ago, or at midnight if that is later: the check-ins are on its day.
    starts = max(local - timedelta(hours=1), local.replace(hour=0, minute=0, second=0))
    forum = make_forum(slug=f"today-{number}", day=local.date())
    Forum.objects.filter(pk=forum.pk).update(
        starts_at=starts,
        ends_at=starts + timedelta(hours=10),
        registration_opens_at=starts - timedelta(days=60),
        registration_closes_at=starts - timedelta(days=1),
    )
    forum.refresh_from_db()
    add_workshops(forum)
    sponsorship = unilever(forum)
    history = History(forum)
    workshops = {w.code: w for w in Workshop.objects.filter(forum=forum)}
    for n in range(rng.randint(8, 16)):
        details = make_details(
            f"today{number}-{n}@supplier.example", first_name=f"Today{number}n{n}", last_name="Tan"
        )
        if rng.random() < 0.25:
            registration = registration_services.registration_walk_in(
                forum=forum, details=details, workshops=_workshop_choice(rng, forum), by=by
            ).registration
        else:
            invited = sponsorship if rng.random() < 0.5 else None
            registration = registration_services.registration_create(
                forum=forum,
                details=details,
                workshops=_workshop_choice(rng, forum),
                invited_by=invited,
                proven=True,
                now=starts - timedelta(days=10),
            ).registration
        record = history.records[registration.pk] = Record(
            email=details.email,
            name=f"{details.first_name} {details.last_name}",
            invited=registration.invited_by_id is not None,
        )
        held = [p.workshop for p in registration.workshop_places.filter(status="confirmed")]
        cancel_first = rng.random() < 0.1
        if cancel_first:
            registration_services.registration_cancel(registration=registration, by=by)
            record.cancelled = True
        if rng.random() < 0.75:
            _check_in(history, record, registration, None, by)
        for workshop in held:
            if rng.random() < 0.6:
                _check_in(history, record, registration, workshop, by)
        if rng.random() < 0.1:  # a workshop they hold no place in: refused
            _check_in(history, record, registration, rng.choice(list(workshops.values())), by)
        if record.door is not None and rng.random() < 0.2:
            _undo(record, None, by)
            if rng.random() < 0.3:
                _check_in(history, record, registration, None, by)
        if record.workshops and rng.random() < 0.25:
            _undo(record, rng.choice(sorted(record.workshops)), by)
        if not cancel_first and rng.random() < 0.15:
            registration_services.registration_cancel(registration=registration, by=by)
            record.cancelled = True
        registration.refresh_from_db()
        record.secret = registration.secret
    forum_mark_held(forum=forum, by=by)
    return history


def _rows(people: list[tuple[str, str, bool, list[str]]]) -> list[list[str]]:
    return [
        [
            first,
            "Lim",
            email,
            f"Company of {first}",
            "MY",
            "Manager",
            "yes" if came else "no",
            ";".join(codes),
            "Unilever" if i % 2 else "",
        ]  # fmt: skip
        for i, (first, email, came, codes) in enumerate(people)
    ]


def imported_forum(rng, make_forum, unilever, by, number) -> History:
    """A past forum whose attendance list is imported, then imported again with some rows
    changed, and one of its registrations cancelled."""
    forum = make_forum(slug=f"past-{number}", day=date(2017, 10, 24), status="held")
    add_workshops(forum)
    unilever(forum)
    people = []
    for n in range(rng.randint(6, 14)):
        codes = [code for slot in SLOTS if (code := rng.choice([*slot, None]))]
        people.append(
            (f"Past{number}n{n}", f"past{number}-{n}@mill.example", rng.random() < 0.6, codes)
        )
    listed: dict[str, tuple[bool, set[str]]] = {}
    for round_ in range(2):
        if round_:
            people = [
                (first, email, not came if rng.random() < 0.3 else came,
                 rng.sample(codes, len(codes) - 1) if codes and rng.random() < 0.3 else codes)
                for first, email, came, codes in people
            ]  # fmt: skip
        table = read_table(csv_bytes(rows=_rows(people), header=HEADER), filename="list.csv")
        import_registrations(forum=forum, table=table)
        for _, email, came, codes in people:
            before = listed.get(email, (False, set()))[1]
            # A row that lists no workshop leaves those recorded before as they were.
            listed[email] = (came, (set(codes) or before) if came else set())
    history = History(forum)
    for registration in Registration.objects.filter(forum=forum).select_related("person"):
        email = registration.person.email
        came, codes = listed[email]
        live = {
            c.workshop.code if c.workshop else None: c
            for c in CheckIn.objects.filter(registration=registration, undone_at__isnull=True)
        }
        assert set(live) == ({None} | codes if came else set()), email
        history.records[registration.pk] = Record(
            email=email,
            name=registration.person.full_name,
            invited=registration.invited_by_id is not None,
            door=live.get(None),
            workshops={code: live[code] for code in codes},
        )
    cancelled = rng.choice(list(history.records))
    registration_services.registration_cancel(
        registration=Registration.objects.get(pk=cancelled), by=by
    )
    history.records[cancelled].cancelled = True
    for registration in Registration.objects.filter(forum=forum):
        history.records[registration.pk].secret = registration.secret
    return history


# --- reading each surface ------------------------------------------------------------------------


def from_export(forum) -> set[str]:
    out = io.StringIO()
    call_command("export_registrations", forum.slug, stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert {row["attended"] for row in rows} <= {"yes", "no"}
    return {row["email"] for row in rows if row["attended"] == "yes"}


def from_admin(client, forum) -> tuple[set[str], set[str]]:
    """The registration admin filtered on "Attended", and the rows whose "Attendance" column
    says so in the unfiltered list."""
    url = reverse("admin:registrations_registration_changelist")
    filtered = client.get(url, {"forum__id__exact": forum.pk, "attendance": "attended"})
    everyone = client.get(url, {"forum__id__exact": forum.pk})
    column = zip(
        texts_of_class(everyone, "field-email"),
        texts_of_class(everyone, "field-attendance"),
        strict=True,
    )
    return (
        set(texts_of_class(filtered, "field-email")),
        {email for email, state in column if state == "Attended"},
    )


def from_certificates(forum) -> set[str]:
    lines = pdf_lines(documents.certificates(forum))
    return {lines[i + 1] for i, line in enumerate(lines) if line == "This is to certify that"}


def from_certificate_links(client, history) -> set[str]:
    """Those whose certificate link gives a PDF (the others get a page saying why not)."""
    given = set()
    for record in history.records.values():
        response = client.get(reverse("attendance:certificate", args=[record.secret]))
        if response["Content-Type"] == "application/pdf":
            given.add(pdf_lines(response.content)[2])
    return given


def from_survey(history, by, django_capture_on_commit_callbacks) -> set[str]:
    survey = feedback_services.survey_create(forum=history.forum, by=by)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feedback_services.survey_open(survey=survey, by=by)
    return {message.to[0] for message in mail.outbox}


def from_news(client, forum) -> int:
    response = client.get(reverse("reports:news", args=[forum.slug]))
    text = form_values(response, "news-form")["text"][0]
    found = re.search(r"^On \d+ \w+ \d{4}, (\w+) participants? attended", text, re.MULTILINE)
    assert found, text
    count = found.group(1)
    return WORDS.index(count) if count in WORDS else int(count)


def from_report_pdf(client, forum) -> tuple[int, dict[str, int]]:
    """The post-event report's "Attended" figure, and each workshop's attended column."""
    content = client.get(reverse("reports:forum_report_pdf", args=[forum.slug])).content
    lines = pdf_lines(content)
    # The key figures page, and the cover (its figures, then their labels) saying the same.
    attended = int(lines[lines.index("Key figures") + 4])
    cover = pdf_lines(content, page=1)
    assert cover[cover.index("Attended") - 3] == str(attended)
    workshops = {}
    for workshop in Workshop.objects.filter(forum=forum):
        # The row: code · title, facilitators, registered, attended, rating.
        at = lines.index(f"{workshop.code} · {workshop.title}")
        workshops[workshop.code] = int(lines[at + 3])
    return attended, workshops


def from_facilitator_page(client, forum) -> tuple[dict[str, set[str]], dict[str, int]]:
    """By workshop code: the names marked "Yes", and the "present" figure."""
    html = client.get(reverse("reports:facilitator")).content.decode()
    shown = figures(html)
    names, present = {}, {}
    for workshop in Workshop.objects.filter(forum=forum):
        prefix = f"{workshop.pk}:present:"
        names[workshop.code] = {
            key.removeprefix(prefix)
            for key, texts in shown.items()
            if key.startswith(prefix) and texts == ["Yes"]
        }
        present[workshop.code] = int(figure(html, f"{workshop.pk}:present"))
    return names, present


# --- the test ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_every_surface_names_the_same_attendees(
    seed,
    client,
    users,
    make_forum,
    make_details,
    sponsor,
    django_capture_on_commit_callbacks,
):
    rng = random.Random(seed)
    staff = users["secretariat"]
    by = Actor.of(staff)
    Person.objects.create(first_name="Lara", last_name="White", email="facilitator@example.com")

    def unilever(forum):
        return sponsor(forum, users["member"].organisation)

    histories = [
        live_forum(rng, make_forum, make_details, unilever, by, 1),
        imported_forum(rng, make_forum, unilever, by, 2),
    ]
    lara = Person.objects.get(email="facilitator@example.com")
    for workshop in Workshop.objects.all():
        workshop.facilitators.add(lara)

    for history in histories:
        forum = history.forum
        expected = history.attendees()
        names = {r.email: r.name for r in history.records.values()}
        # Each history has someone who attended and someone registered who did not.
        assert expected and expected != set(names), seed
        at_workshops = {code: history.at_workshop(code) for slot in SLOTS for code in slot}
        invited_came = sum(1 for r in history.records.values() if r.attended and r.invited)

        assert from_export(forum) == expected
        assert from_certificates(forum) == {names[e] for e in expected}
        assert from_certificate_links(client, history) == {names[e] for e in expected}
        assert from_survey(history, by, django_capture_on_commit_callbacks) == expected

        client.force_login(staff)
        assert from_admin(client, forum) == (expected, expected)
        overview = client.get(reverse("reports:forum_overview", args=[forum.slug]))
        html = overview.content.decode()
        assert int(figure(html, "checked_in")) == len(expected)
        assert {
            code: int(figure(html, f"workshop_checked_in:{code}")) for code in at_workshops
        } == {code: len(people) for code, people in at_workshops.items()}
        assert from_report_pdf(client, forum) == (
            len(expected),
            {code: len(people) for code, people in at_workshops.items()},
        )
        assert from_news(client, forum) == len(expected)
        reach_page = client.get(reverse("reports:reach")).content.decode()
        assert int(figure(reach_page, f"forum:{forum.slug}:people")) == len(expected)
        reached = ReachFact.objects.filter(
            kind=ReachFact.Kind.PERSON, dimension=ReachFact.Dimension.FORUM, group=str(forum.pk)
        ).values_list("entity", flat=True)
        assert set(Person.objects.filter(pk__in=reached).values_list("email", flat=True)) == (
            expected
        )

        client.force_login(users["member"])
        members = client.get(reverse("reports:members")).content.decode()
        assert int(figure(members, f"{forum.slug}:came")) == invited_came

        client.force_login(users["facilitator"])
        assert from_facilitator_page(client, forum) == (
            at_workshops,
            {code: len(people) for code, people in at_workshops.items()},
        )

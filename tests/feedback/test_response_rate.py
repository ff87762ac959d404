"""The response rate is out of everyone who could have answered (the attendees), e-mail
invitations are a figure of their own, and no surface shows a rate above the truth: the issue's
case (135 attendees, 40 paper forms, no e-mail), the boundary where responses reach the number
of attendees, and every surface compared on seeded random histories."""

import json
import random
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from attendance.enums import CheckInSource
from attendance.models import CheckIn
from feedback import services
from feedback.enums import ResponseSource
from feedback.models import Answer, Response, SurveyInvitation
from feedback.selectors import round_half_away
from forums.models import Person
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from tests.attendance.pdf_reading import pdf_lines
from tests.feedback.results_fixture import build_results_fixture, build_survey, figure, figures


def _registrations(forum, count, *, attended=True, undone=False, start=0):
    """`count` registrations of `forum`, checked in at the door unless `attended` is False (a
    check-in undone if `undone`)."""
    people = Person.objects.bulk_create(
        Person(first_name="Guest", last_name=str(i), email=f"{forum.slug}-{i}@x.example")
        for i in range(start, start + count)
    )
    registrations = Registration.objects.bulk_create(
        Registration(forum=forum, person=person, status=RegistrationStatus.CONFIRMED)
        for person in people
    )
    if attended or undone:
        CheckIn.objects.bulk_create(
            CheckIn(
                registration=registration,
                checked_in_at=forum.starts_at,
                nonce=f"door-{registration.pk}",
                source=CheckInSource.SCAN,
                undone_at=forum.starts_at if undone else None,
            )
            for registration in registrations
        )
    return registrations


def _results(slug, *args):
    """The `feedback_results` command's output."""
    out = StringIO()
    call_command("feedback_results", slug, *args, stdout=out)
    return out.getvalue()


def test_response_rate_of_paper_forms_is_out_of_the_attendees(make_forum, staff, tmp_path):
    """The issue's case: 135 attended, 40 paper forms imported, the survey never opened by
    e-mail. Today's code printed "Response rate: 100% (n=40) (40 responses of 40 invited)"."""
    forum = make_forum(slug="mexico-city-2017")
    registrations = _registrations(forum, 135)
    services.survey_create(forum=forum, by=staff)
    rows = ["email,helpful,overall"] + [
        f"{r.person.email},{'yes' if i % 10 else 'no'},4" for i, r in enumerate(registrations[:40])
    ]
    sheet = tmp_path / "forms.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    call_command("import_feedback", forum.slug, str(sheet), stdout=StringIO())

    lines = _results(forum.slug).splitlines()
    # 40 / 135 = 29.63%.
    assert lines[1] == "Response rate: 30% (40 responses from 135 attendees)"
    assert lines[2] == "Responses: 0 online, 40 on paper; invited by e-mail: 0"
    assert lines[3] == "Found it helpful: 90% (n=40) (36 of 40)"
    data = json.loads(_results(forum.slug, "--json"))
    assert data["response_rate"] == {"responses": 40, "attendees": 135, "share": 4000 / 135}
    assert (data["attendees"], data["invited_by_email"], data["responses_paper"]) == (135, 0, 40)


@pytest.mark.parametrize(
    "paper, expected",
    [
        # As many responses as attendees: 100%, the truth.
        (3, ["Response rate: 100% (3 responses from 3 attendees)", 0]),
        # One more: paper forms from people not recorded as attending. No rate over 100%.
        (
            4,
            [
                "Response rate: not given (4 responses from 3 attendees: 1 more responses than "
                "people recorded as attending)",
                1,
            ],
        ),
    ],
)
def test_response_rate_never_above_the_attendees(make_forum, client, users, staff, paper, expected):
    forum = make_forum(slug="gurgaon-2017")
    _registrations(forum, 3)
    _registrations(forum, 2, attended=False, start=3)
    _registrations(forum, 1, undone=True, start=5)
    survey, questions = build_survey(forum, anonymous=True)
    services.responses_import(
        survey=survey,
        entries=[services.PaperResponse(registration=None, values=[]) for _ in range(paper)],
        by=staff,
    )
    line, beyond = expected

    assert _results(forum.slug).splitlines()[1] == line
    data = json.loads(_results(forum.slug, "--json"))
    assert data["responses_beyond_attendees"] == beyond
    assert data["response_rate"]["share"] == (None if beyond else 100.0)
    client.force_login(users["secretariat"])
    html = client.get(reverse("feedback:results", args=[forum.slug])).content.decode()
    if beyond:
        assert "summary:response_rate" not in figures(html)
        assert figure(html, "summary:response_rate:n") == (
            "4 responses, more than the 3 people recorded as attending: no rate is given."
        )
    else:
        assert figure(html, "summary:response_rate") == "100%"
        assert figure(html, "summary:response_rate:n") == "3 of 3 attendees answered."


def _percent(count: int, n: int) -> str:
    return f"{round_half_away(Fraction(count * 100, n))}%"


def _history(forum, rng):
    """Attendees, no-shows and undone check-ins; e-mail invitations for some attendees; online
    answers from some of those; paper forms, named or not, some from people not recorded as
    attending. Returns the hand count."""
    attended = _registrations(forum, rng.randint(1, 12))
    _registrations(forum, rng.randint(0, 4), attended=False, start=100)
    not_attended = _registrations(forum, rng.randint(0, 3), undone=True, start=200)
    survey, questions = build_survey(forum)
    emailed = rng.sample(attended, rng.randint(0, len(attended)))
    invitations = {
        r.pk: SurveyInvitation.objects.create(
            survey=survey,
            registration=r,
            sent_at=survey.opened_at if r in emailed else None,
        )
        for r in attended
    }
    online = rng.sample(emailed, rng.randint(0, len(emailed)))
    named_paper = rng.sample(
        [r for r in attended if r not in online], rng.randint(0, len(attended) - len(online))
    )
    # Paper forms without a name: sometimes more than the attendees left, from people whose
    # check-in was not recorded (or undone).
    unnamed = rng.randint(0, len(attended) - len(online) - len(named_paper) + len(not_attended))
    helpful = {"yes": 0, "answered": 0}

    def respond(invitation, source):
        response = Response.objects.create(
            survey=survey, invitation=invitation, source=source, submitted_at=survey.opened_at
        )
        if invitation is not None:
            invitation.responded_at = survey.opened_at
            invitation.save(update_fields=["responded_at"])
        answer = rng.choice([None, 0, 1])
        if answer is not None:
            Answer.objects.create(response=response, question=questions["helpful"], number=answer)
            helpful["yes"] += answer
            helpful["answered"] += 1

    for r in online:
        respond(invitations[r.pk], ResponseSource.WEB)
    for r in named_paper:
        respond(invitations[r.pk], rng.choice([ResponseSource.PAPER, ResponseSource.IMPORT]))
    for _ in range(unnamed):
        respond(None, ResponseSource.IMPORT)
    return {
        "attendees": len(attended),
        "emailed": len(emailed),
        "online": len(online),
        "paper": len(named_paper) + unnamed,
        **helpful,
    }


@pytest.mark.parametrize("seed", range(6))
def test_response_figures_agree_on_every_surface(
    client, users, make_forum, sponsor, seed, settings
):
    """The results page, the JSON, the command's text, the post-event PDF and the members page
    give the same response figures as a plain count, each with what it is out of (no minimum
    participation here: see tests/feedback/test_moderation.py)."""
    settings.FEEDBACK_MIN_ANSWERS, settings.FEEDBACK_MIN_SHARE = 0, "0"
    rng = random.Random(seed)
    forum = make_forum(slug=f"seeded-{seed}")
    sponsor(forum, users["member"].organisation)
    count = _history(forum, rng)
    attendees, responses = count["attendees"], count["online"] + count["paper"]
    beyond = max(responses - attendees, 0)
    rate = _percent(responses, attendees) if not beyond else None
    helpful = _percent(count["yes"], count["answered"]) if count["answered"] else None

    # The JSON of the command.
    data = json.loads(_results(forum.slug, "--json"))
    assert {key: data[key] for key in ("attendees", "invited_by_email", "responses")} == {
        "attendees": attendees,
        "invited_by_email": count["emailed"],
        "responses": responses,
    }
    assert (data["responses_online"], data["responses_paper"]) == (count["online"], count["paper"])
    assert data["responses_beyond_attendees"] == beyond
    share = data["response_rate"]["share"]
    assert share == (None if beyond else responses * 100 / attendees)
    assert (data["helpful"] or {}).get("yes") == (count["yes"] if count["answered"] else None)

    # The command's text.
    lines = _results(forum.slug).splitlines()
    counted = f"{responses} responses from {attendees} attendees"
    small = ", small n" if attendees < 3 else ""
    assert lines[1] == (
        f"Response rate: {rate} ({counted}){small}"
        if rate
        else f"Response rate: not given ({counted}: {beyond} more responses than people "
        "recorded as attending)"
    )
    assert lines[2] == (
        f"Responses: {count['online']} online, {count['paper']} on paper; "
        f"invited by e-mail: {count['emailed']}"
    )

    # The results page and the members page.
    client.force_login(users["secretariat"])
    page = client.get(reverse("feedback:results", args=[forum.slug])).content.decode()
    client.force_login(users["member"])
    members = client.get(reverse("reports:members")).content.decode()
    for html, prefix in ((page, "summary:"), (members, f"{forum.slug}:")):
        shown = figures(html)
        assert shown.get(f"{prefix}response_rate") == ([rate] if rate else None)
        assert figure(html, f"{prefix}response_rate:n") == (
            f"{responses} of {attendees} {'attendee' if attendees == 1 else 'attendees'} answered."
            if not beyond
            else f"{responses} responses, more than the {attendees} "
            f"{'person' if attendees == 1 else 'people'} recorded as attending: no rate is given."
        )
        people = "person" if count["emailed"] == 1 else "people"
        assert figure(html, f"{prefix}invited_by_email") == (
            f"{count['emailed']} {people} invited by e-mail."
        )
        assert figure(html, f"{prefix}responses_by_source") == (
            f"Answered online: {count['online']}; on paper: {count['paper']}."
        )
        assert shown.get(f"{prefix}helpful") == ([helpful] if helpful else None)

    # The post-event report.
    client.force_login(users["secretariat"])
    pdf = client.get(reverse("reports:forum_report_pdf", args=[forum.slug])).content
    lines = pdf_lines(pdf, page=2)
    start = lines.index("Key figures")
    rate_label, rate_value, helpful_label, helpful_value = lines[start + 9 : start + 13]
    assert (rate_label, rate_value) == (
        (f"Response rate ({responses} of {attendees} attendees)", rate)
        if rate
        else (f"Response rate ({responses} responses, {attendees} attendees)", "—")
    )
    assert (helpful_label, helpful_value) == (
        (f"Found it helpful ({count['yes']} of {count['answered']} who answered)", helpful)
        if helpful
        else ("Found it helpful", "—")
    )
    if rate:
        assert Decimal(rate.rstrip("%")) <= 100

    # The report's cover: the same attended, companies and helpful figures as the key figures
    # page (and, for helpful, as the results page), with what the share is out of.
    body = dict(
        zip(lines[start + 1 : start + 13 : 2], lines[start + 2 : start + 13 : 2], strict=True)
    )
    cover = pdf_lines(pdf, page=1)
    figures_at = cover.index("Attended") - 3
    assert cover[figures_at : figures_at + 7] == [
        str(attendees),
        body["Companies"],
        helpful or "—",
        "Attended",
        "Companies",
        "Found it helpful",
        f"{count['yes']} of {count['answered']} who answered" if helpful else "nobody has answered",
    ]
    assert body["Attended"] == str(attendees)


def test_response_figures_in_spanish(client, users, make_forum):
    kl = build_results_fixture(make_forum)
    client.force_login(users["secretariat"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(reverse("feedback:results", args=[kl.forum.slug])).content.decode()

    assert figure(html, "summary:response_rate:n") == "Respondieron 7 de 16 asistentes."
    assert figure(html, "summary:invited_by_email") == (
        "16 personas invitadas por correo electrónico."
    )
    assert figure(html, "summary:responses_by_source") == ("Respondieron en línea: 5; en papel: 2.")

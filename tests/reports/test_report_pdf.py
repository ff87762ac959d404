"""The post-event report, read back as a person would (pdftotext): the figures and names are
real text where they belong. Figures are counted by hand from tests/feedback/results_fixture.py
(16 people invited and checked in, 7 responses) and the additions below."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from feedback.enums import CommentReview
from feedback.models import Answer, Question, Response
from forums.models import AgendaItem, Forum, Person
from registrations.models import Registration
from tests.attendance.pdf_reading import page_count, pdf_lines
from tests.feedback.results_fixture import build_results_fixture


@pytest.fixture
def kl(make_forum, make_organisation, sponsor, users):
    kl = build_results_fixture(make_forum)
    forum = kl.forum
    sponsor(forum, users["member"].organisation)  # Unilever
    sponsor(forum, users["other_member"].organisation)  # Mars
    forum.supporters.add(
        make_organisation(name="CSR Asia", kind="ngo"),
        make_organisation(name="The Consumer Goods Forum", kind="industry_body"),
    )
    verite = make_organisation(name="Verité", kind="ngo", country="US")
    talk = AgendaItem.objects.create(
        forum=forum, starts_at=forum.starts_at + timedelta(hours=1), title="Forced labour today"
    )
    talk.speakers.add(
        Person.objects.create(first_name="Melizel", last_name="Asuncion", organisation=verite)
    )
    AgendaItem.objects.create(forum=forum, starts_at=forum.starts_at, title="Welcome")
    # Three delegates from a Malaysian mill, two from a Thai one; the rest give no company.
    mill = make_organisation(name="Kilang Sawit Maju", country="MY")
    thai = make_organisation(name="Thai Mill", country="TH")
    registrations = list(Registration.objects.filter(forum=forum).order_by("pk"))
    for registration in registrations[:3]:
        Registration.objects.filter(pk=registration.pk).update(company=mill)
    for registration in registrations[3:5]:
        Registration.objects.filter(pk=registration.pk).update(company=thai)
    # A sixth comment, shorter than the five shown.
    Answer.objects.create(
        response=Response.objects.filter(survey=kl.survey).first(),
        question=Question.objects.get(survey=kl.survey, key="comments"),
        text="Good",
    )
    return kl


def report(client, user, forum):
    client.force_login(user)
    response = client.get(reverse("reports:forum_report_pdf", args=[forum.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_report_cover(client, users, kl):
    cover = pdf_lines(report(client, users["secretariat"], kl.forum), page=1)
    day = f"{kl.forum.local_date.day} {kl.forum.local_date:%B %Y}"
    assert cover[:5] == [
        "AIM-PROGRESS",
        "Post-event report",
        "Responsible Sourcing Forum KL",
        "Kuala Lumpur, Malaysia",
        f"{day} (time zone: Asia/Kuala_Lumpur)",
    ]
    # The key figures, as on the next page: 16 attended, from 2 companies, 5 of the 6 who
    # answered found it helpful.
    assert cover[5:12] == [
        "16", "2", "83%", "Attended", "Companies", "Found it helpful", "5 of 6 who answered",
    ]  # fmt: skip
    assert cover[12:16] == [
        "Sponsored by",
        "Mars, Unilever",
        "Supported by",
        "CSR Asia, The Consumer Goods Forum",
    ]
    assert cover[16:] == [f"AIM-PROGRESS · Responsible Sourcing Forum KL · {day} · Page 1"]


def test_report_cover_without_answers_says_so(client, users, kl):
    Answer.objects.filter(question__key="helpful").delete()
    cover = pdf_lines(report(client, users["secretariat"], kl.forum), page=1)
    assert cover[5:12] == [
        "16", "2", "—", "Attended", "Companies", "Found it helpful", "nobody has answered",
    ]  # fmt: skip


TABLE_HEADERS = {"Time", "Session", "Speakers", "Category", "People"}


def after(lines, label, count=1):
    """The `count` lines after the first line reading `label`."""
    start = lines.index(label) + 1
    return lines[start : start + count]


def test_report_key_figures_and_attendance_by_country(client, users, kl):
    lines = pdf_lines(report(client, users["secretariat"], kl.forum), page=2)
    assert after(lines, "Key figures", 12) == [
        "Registered", "16", "Attended", "16", "Companies", "2",
        "Countries", "2", "Response rate (7 of 16 attendees)", "44%",
        "Found it helpful (5 of 6 who answered)", "83%",
    ]  # fmt: skip
    # The map's legend (a shade for 1 to 3 people: Malaysia and Thailand are on the map, "not
    # given" is not), the bar chart, then the table beside it: country, then people.
    assert after(lines, "Attendance by country", 4) == ["People", "1", "2", "3"]
    assert after(lines, "Country", 7) == [
        "People", "Not given", "11", "Malaysia", "3", "Thailand", "2",
    ]  # fmt: skip


def test_report_agenda_workshops_comments(client, users, kl):
    # The report shows published comments only.
    Answer.objects.exclude(text="").update(review=CommentReview.PUBLISHED)
    Answer.objects.filter(text="Map our suppliers").update(review=CommentReview.HIDDEN)
    lines = pdf_lines(report(client, users["secretariat"], kl.forum))
    # pdftotext puts a table's header words where the columns' widths lead it: read past them.
    agenda = after(lines, "Agenda", 8)
    assert sorted(line for line in agenda if line in TABLE_HEADERS) == [
        "Session", "Speakers", "Time",
    ]  # fmt: skip
    assert [line for line in agenda if line not in TABLE_HEADERS] == [
        "09:00", "Welcome", "10:00", "Forced labour today", "Melizel Asuncion (Verité)",
    ]  # fmt: skip
    # A1: ratings 5, 3, 3, 2; B2: 3, 4. Nobody was checked in at a workshop.
    assert after(lines, "Rating", 10) == [
        "A1 · Workshop A1", "Lara White", "0", "0", "3.3 of 5 (4)",
        "B2 · Workshop B2", "Khai Yau Chua, Patrick McKeller", "0", "0", "3.5 of 5 (2)",
    ]  # fmt: skip
    # The five longest published: the hidden one is left out, so "Good" comes in.
    assert [line for line in lines if line.startswith("“")] == [
        "“<script>alert('x')</script>”",
        "“Thanks, very useful”",
        "“=cmd|' /C calc'!A0”",
        "“Too short”",
        "“Good”",
    ]
    text = "\n".join(lines)
    # No respondent's name, and no category section while registrations have none.
    assert "Delegate1" not in text
    assert "participant category" not in text


def test_sponsor_may_download_other_forums_not(client, users, kl, make_forum):
    assert page_count(report(client, users["member"], kl.forum)) >= 2
    other = make_forum(slug="not-sponsored")
    client.force_login(users["member"])
    url = reverse("reports:forum_report_pdf", args=[other.slug])
    assert client.get(url).status_code == 404


def test_forum_report_command_writes_the_same_report(kl, tmp_path):
    output = tmp_path / "kl.pdf"
    call_command("forum_report", kl.forum.slug, "--output", str(output))
    assert "Responsible Sourcing Forum KL" in pdf_lines(output.read_bytes(), page=1)


def test_forum_report_command_refuses_bad_arguments(kl, tmp_path):
    with pytest.raises(CommandError, match="No forum has the slug 'nope'"):
        call_command("forum_report", "nope", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="folder that exists"):
        call_command("forum_report", kl.forum.slug, "--output", str(tmp_path / "no" / "x.pdf"))
    assert not Path(tmp_path / "no").exists()


@pytest.mark.parametrize("count", [1, 3])
def test_report_query_count(client, users, make_forum, register, django_assert_num_queries, count):
    from tests.feedback.conftest import check_in
    from tests.feedback.results_fixture import add_workshop, build_survey

    forum = make_forum(slug="counted")
    build_survey(forum)
    for number in range(count):
        facilitator = Person.objects.create(first_name=f"Fa{number}", email=f"f{number}@x.example")
        workshop = add_workshop(forum, f"W{number}", [facilitator])
        check_in(register(forum, workshops=[workshop]).registration)
        talk = AgendaItem.objects.create(forum=forum, starts_at=forum.starts_at, title=f"T{number}")
        talk.speakers.add(facilitator)
    client.force_login(users["secretariat"])
    with django_assert_num_queries(28):
        response = client.get(reverse("reports:forum_report_pdf", args=[forum.slug]))
    assert response.status_code == 200


def test_report_attendance_by_participant_category_once_categories_are_given(client, users, kl):
    from registrations.models import Registration

    attended = Registration.objects.filter(forum=kl.forum, checkins__isnull=False).order_by("pk")
    first, second, *_ = attended
    Registration.objects.filter(pk=first.pk).update(category="grower")
    Registration.objects.filter(pk=second.pk).update(category="ngo")
    rest = attended.count() - 2

    lines = pdf_lines(report(client, users["secretariat"], kl.forum))

    # The chart comes first (its labels and axis), then the table with its figures.
    heading = lines.index("Attendance by participant category")
    table = lines.index("Category", heading)
    assert lines[table : table + 8] == [
        "Category", "People", "Not given", str(rest), "Grower", "1", "NGO", "1",
    ]  # fmt: skip


def test_report_map_is_shaded_by_the_attendees_countries(kl):
    from reports.dashboards import forum_report

    assert forum_report(kl.forum).by_country_code == {"MY": 3, "TH": 2}


def test_report_reach_says_how_many_forums_are_demo_data(client, users, kl, make_forum):
    earlier = make_forum(slug="earlier", day=date(2017, 1, 10), status="held")
    lines = pdf_lines(report(client, users["secretariat"], kl.forum))
    reach = lines.index("Countries", lines.index("Forums held"))
    assert lines[reach + 1 :][:2] == ["1", "0"]
    assert [line for line in lines if line.startswith("Demo data")] == []

    Forum.objects.filter(pk=earlier.pk).update(is_demo=True)
    lines = pdf_lines(report(client, users["secretariat"], kl.forum))
    reach = lines.index("Countries", lines.index("Forums held"))
    assert lines[reach + 5] == "Demo data: these figures include 1 made-up forum."

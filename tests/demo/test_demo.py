import io
import re
import zoneinfo
from datetime import UTC, date, datetime

import pytest
from django.core.management import CommandError, call_command

from attendance.models import CheckIn
from attendance.selectors import attendees, with_attendance
from demo.seeds import FORUMS
from demo.services import attendance_rows
from feedback.models import Response, Survey
from forums.models import Forum, Organisation, Person
from registrations.enums import RsjModule
from registrations.models import Registration, WorkshopPlace
from workshops.models import Workshop

RSJ_FIELDS = [module.field_name for module in RsjModule]


def _counts():
    return (
        Organisation.objects.count(),
        Forum.objects.count(),
        Workshop.objects.count(),
        Person.objects.count(),
        Registration.objects.count(),
        WorkshopPlace.objects.count(),
        CheckIn.objects.count(),
        Survey.objects.count(),
        Response.objects.count(),
        list(Registration.objects.order_by("pk").values_list("pk", *RSJ_FIELDS)),
    )


def test_load_demo_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Demo data: created 0 organisations, 0 forums, 0 workshops, 0 people, "
        "0 facilitator accounts, 0 registrations, 0 feedback responses."
    )


def test_load_demo_has_the_seed_forums_with_local_dates_and_sponsors(db):
    call_command("load_demo")
    expected = {
        "gurgaon-2017": (
            date(2017, 9, 26),
            "Asia/Kolkata",
            ["Reckitt Benckiser", "The Coca-Cola Company", "Unilever"],
            255,
        ),
        "kuala-lumpur-2017": (
            date(2017, 10, 24),
            "Asia/Kuala_Lumpur",
            ["Ferrero", "Nestlé", "PepsiCo", "Unilever"],
            170,
        ),
        "mexico-city-2017": (
            date(2017, 11, 14),
            "America/Mexico_City",
            ["Kellogg", "Nestlé", "PepsiCo", "The Coca-Cola Company"],
            75,
        ),
    }
    for slug, (day, zone, sponsors, participants) in expected.items():
        forum = Forum.objects.get(slug=slug)
        assert forum.starts_at.astimezone(zoneinfo.ZoneInfo(zone)).date() == day
        assert sorted(s.organisation.name for s in forum.sponsorships.all()) == sponsors
        assert forum.registrations.count() == participants
    # Who came: the seeds' "over 230", "more than 150" and "70 delegates".
    assert {
        slug: attendees(Forum.objects.get(slug=slug)).count()
        for slug in ["gurgaon-2017", "kuala-lumpur-2017", "mexico-city-2017"]
    } == {"gurgaon-2017": 234, "kuala-lumpur-2017": 155, "mexico-city-2017": 70}
    kl = Forum.objects.get(slug="kuala-lumpur-2017")
    assert sorted(o.name for o in kl.supporters.all()) == ["CSR Asia", "The Consumer Goods Forum"]
    grievance = kl.workshops.get(title="Grievance mechanisms")
    assert sorted(p.full_name for p in grievance.facilitators.all()) == [
        "Khai Yau Chua",
        "Patrick McKeller",
    ]
    upcoming = Forum.objects.get(slug="bangkok-2027")
    assert upcoming.status == "registration_open"
    assert upcoming.registrations.count() == 0


def test_load_demo_forums_only_adds_no_participants(db):
    call_command("load_demo", "--forums-only")
    assert Registration.objects.count() == 0
    assert Forum.objects.count() == 4


def test_load_demo_respects_workshop_seat_limits(db):
    call_command("load_demo")
    for workshop in Workshop.objects.all():
        assert workshop.places.count() <= workshop.seat_limit


def test_load_demo_lists_close_supplier_spellings_for_review(db):
    from companies.models import PossibleDuplicate

    call_command("load_demo")
    pairs = sorted((p.first.name, p.second.name) for p in PossibleDuplicate.objects.all())
    assert pairs == [
        ("Kilang Sawit Maju Sdn Bhd", "Kilang Sawit Maju Trading Sdn Bhd"),
        ("Shree Packaging Pvt Ltd", "Shree Packaging Industries Pvt Ltd"),
    ]
    # The capitalised spelling is the same company, remembered as one of its names.
    ksm = Organisation.objects.get(name="Kilang Sawit Maju Sdn Bhd")
    assert "KILANG SAWIT MAJU SDN. BHD." in set(ksm.known_names.values_list("name", flat=True))


def test_load_demo_prints_what_it_created(db, capsys):
    call_command("load_demo")
    assert capsys.readouterr().out.splitlines() == [
        "Demo history (earlier synthetic forums): created 32 forums, 3204 companies, "
        "4800 people, 4800 registrations.",
        "Demo data: created 261 organisations, 4 forums, 14 workshops, 507 people, "
        "6 facilitator accounts, "
        f"500 registrations, {Response.objects.count()} feedback responses.",
    ]


def test_load_demo_imports_history_as_an_attendance_list(db):
    call_command("load_demo")
    gurgaon = Forum.objects.get(slug="gurgaon-2017")
    # The first slot's two workshops hold 130 of the 255 participants: both are full.
    assert {w.code: w.seats_taken for w in gurgaon.workshops.all()} == {
        "A1": 60,
        "A2": 70,
        "B1": 70,
        "B2": 70,
    }
    for forum in Forum.objects.all():
        assert forum.seats_taken == forum.registrations.count()
        for workshop in forum.workshops.all():
            assert workshop.seats_taken == workshop.places.filter(status="confirmed").count()
    assert set(
        Registration.objects.filter(forum=gurgaon).values_list("source", "status").distinct()
    ) == {("import", "confirmed")}
    # Who came is recorded as check-ins from the import, at the door and in the workshops the
    # list names; the others are no-shows of the held forum.
    seed = next(seed for seed in FORUMS if seed.slug == "gurgaon-2017")
    came = {row[2] for row in attendance_rows(gurgaon, seed) if row[6] == "yes"}
    states = dict(
        with_attendance(gurgaon.registrations.all()).values_list("person__email", "attendance")
    )
    assert {email for email, state in states.items() if state == "attended"} == came
    assert {state for email, state in states.items() if email not in came} == {"no_show"}
    assert len(came) == attendees(gurgaon).count()
    assert (
        CheckIn.objects.filter(
            registration__forum=gurgaon, workshop__isnull=False, source="import"
        ).count()
        == WorkshopPlace.objects.filter(
            registration__forum=gurgaon, registration__person__email__in=came
        ).count()
    )
    # The import remembers each spelling with the e-mail domain it came with.
    shree = Organisation.objects.get(name="Shree Packaging Pvt Ltd")
    assert list(shree.known_names.values_list("name", "domain")) == [
        ("Shree Packaging Pvt Ltd", "shreepackagingpvtltd.example")
    ]
    first = Registration.objects.get(
        person__email="participant1.gurgaon-2017@shreepackagingpvtltd.example"
    )
    assert (first.company.name, first.person.organisation.name, first.person.country) == (
        "Shree Packaging Pvt Ltd",
        "Shree Packaging Pvt Ltd",
        "IN",
    )


def test_load_demo_leaves_a_forum_history_as_it_is(db):
    call_command("load_demo")
    kept = Registration.objects.filter(forum__slug="mexico-city-2017").order_by("pk").first()
    Registration.objects.filter(pk=kept.pk).update(status="cancelled", job_title="Edited")
    deleted = Registration.objects.filter(forum__slug="mexico-city-2017").order_by("pk").last()
    deleted.checkins.all().delete()
    deleted.delete()
    checkins = sorted(CheckIn.objects.values_list("pk", "undone_at"))
    call_command("load_demo")
    kept.refresh_from_db()
    assert (kept.status, kept.job_title) == ("cancelled", "Edited")
    assert sorted(CheckIn.objects.values_list("pk", "undone_at")) == checkins
    assert Registration.objects.filter(forum__slug="mexico-city-2017").count() == 74


def test_load_demo_refuses_a_list_that_no_longer_fits_its_forum(db, capsys):
    call_command("load_demo", "--forums-only")
    Forum.objects.filter(slug="gurgaon-2017").update(capacity=200)
    with pytest.raises(CommandError) as refused:
        call_command("load_demo")
    assert str(refused.value) == (
        "A demo attendance list does not fit its forum (1 problem(s)); its participants were "
        "not loaded. Undo the change in the admin, or load the demo into an empty database."
    )
    assert capsys.readouterr().err.splitlines() == [
        "File: the forum would have 255 participants but its capacity is 200; raise the "
        "capacity in the admin first"
    ]
    assert Registration.objects.count() == 0


def test_load_demo_writes_to_mexico_citys_delegates_in_spanish(db):
    call_command("load_demo", stdout=io.StringIO())

    languages = set(
        Registration.objects.filter(forum__slug="mexico-city-2017").values_list(
            "language", flat=True
        )
    )
    assert languages == {"es"}
    assert set(
        Registration.objects.filter(forum__slug="kuala-lumpur-2017").values_list(
            "language", flat=True
        )
    ) == {"en"}


def test_load_demo_history_gives_the_seeds_reach_as_of_kuala_lumpur(db):
    from reports.selectors import reach_totals

    call_command("load_demo")
    kl = Forum.objects.get(slug="kuala-lumpur-2017")
    reach = reach_totals(as_of=kl.starts_at.date())
    # 32 synthetic forums (2009-2016), then Gurgaon and Kuala Lumpur.
    assert reach.forums == 34
    # "reaching over 3,000 companies", and the news draft says "more than 3,000".
    assert (reach.companies, reach.people) == (3076, 4446)
    assert Forum.objects.filter(is_demo=True).count() == 32
    # Every made-up participant held a seat.
    assert set(Forum.objects.filter(is_demo=True).values_list("seats_taken", flat=True)) == {150}
    assert not Forum.objects.filter(
        is_demo=True, starts_at__gte=datetime(2017, 1, 1, tzinfo=UTC)
    ).exists()
    assert set(Forum.objects.filter(is_demo=False).values_list("slug", flat=True)) == {
        "gurgaon-2017",
        "kuala-lumpur-2017",
        "mexico-city-2017",
        "bangkok-2027",
    }


def test_load_demo_gives_three_in_five_registrants_a_self_assessment(db):
    call_command("load_demo", stdout=io.StringIO())
    answered = Registration.objects.exclude(rsj_setting_tone=None)
    assert (Registration.objects.count(), answered.count()) == (5300, 3182)
    # One in eight left the last two modules unanswered; nobody answered only some of the first.
    assert answered.filter(rsj_monitoring=None, rsj_stakeholders=None).count() == 410
    assert not Registration.objects.filter(rsj_setting_tone=None, rsj_due_diligence__isnull=False)
    kl = Forum.objects.get(slug="kuala-lumpur-2017")
    assert (attendees(kl).count(), attendees(kl).exclude(rsj_setting_tone=None).count()) == (
        155,
        87,
    )


def test_load_demo_kuala_lumpur_maturity_has_stages_that_moved(db):
    from reports.maturity import forum_maturity

    call_command("load_demo", stdout=io.StringIO())
    maturity = forum_maturity(Forum.objects.get(slug="kuala-lumpur-2017"))
    assert (maturity.companies, maturity.assessed) == (80, 64)
    assert {
        m.module.value: ([n for _, n in m.stages], m.not_answered) for m in maturity.modules
    } == {
        "setting_tone": ([0, 15, 27, 17, 5], 0),
        "due_diligence": ([1, 14, 19, 26, 4], 0),
        "monitoring": ([0, 8, 20, 15, 11], 10),
        "stakeholders": ([1, 6, 27, 15, 5], 10),
    }
    # Malaysian suppliers who came to the Jakarta forums answered there too: mostly forward.
    assert maturity.compared == 13
    assert {m.module.value: (m.improved, m.same, m.declined) for m in maturity.movements} == {
        "setting_tone": (9, 4, 0),
        "due_diligence": (11, 2, 0),
        "monitoring": (8, 2, 0),
        "stakeholders": (7, 3, 0),
    }


def test_load_demo_kuala_lumpur_maturity_page_shows_stages(db, staff_client):
    call_command("load_demo", stdout=io.StringIO())
    page = staff_client.get("/reports/forums/kuala-lumpur-2017/maturity/").content.decode()
    (summary,) = re.findall(r'<p id="maturity-summary">(.*?)</p>', page)
    assert summary == "64 of 80 companies reached answered."
    (compared,) = re.findall(r'<p id="maturity-compared">(.*?)</p>', page)
    assert compared == "13 companies also answered at an earlier forum."
    (stages,) = re.findall(r'<table id="maturity-stages">(.*?)</table>', page, re.S)
    (row,) = re.findall(r'<tr data-module="setting_tone">(.*?)</tr>', stages)
    assert re.findall(r'<td data-stage="[^"]+">(\d+)</td>', row) == [
        "0",
        "15",
        "27",
        "17",
        "5",
        "0",
    ]
    (movements,) = re.findall(r'<table id="maturity-movements">(.*?)</table>', page, re.S)
    (row,) = re.findall(r'<tr data-module="setting_tone">(.*?)</tr>', movements)
    assert re.findall(r'<td data-move="(\w+)">(\d+)</td>', row) == [
        ("improved", "9"),
        ("same", "4"),
        ("declined", "0"),
    ]


def test_demo_assessments_never_go_back_for_a_company():
    from demo.assessments import company_stages, registrant_assessment

    days = [date(2009, 3, 10), date(2012, 7, 1), date(2015, 5, 20), date(2017, 10, 24)]
    for number in range(200):
        company = f"Company {number}"
        stages = [company_stages(company, day) for day in days]
        for earlier, later in zip(stages, stages[1:], strict=False):
            assert all(0 <= earlier[f] <= later[f] <= 4 for f in RSJ_FIELDS), company
    assert company_stages("Sinar Maju Sdn Bhd", date(2017, 10, 24)) == company_stages(
        "Sinar Maju Sdn Bhd", date(2017, 10, 24)
    )
    answered = [
        registrant_assessment(f"p{n}@example.com", "Sinar Maju Sdn Bhd", date(2017, 10, 24))
        for n in range(1000)
    ]
    assert sum(1 for stages in answered if stages) == pytest.approx(600, abs=40)


def test_demo_forums_are_labelled_on_their_page(client, make_forum):
    from forums.enums import ForumStatus

    made_up = make_forum(slug="made-up", status=ForumStatus.HELD, is_demo=True)
    real = make_forum(slug="real", status=ForumStatus.HELD)
    page = client.get(f"/forums/{made_up.slug}/").content.decode()
    assert page.count("data-demo") == 1
    label = page[page.index("data-demo>") + len("data-demo>") :]
    assert label[: label.index("<")] == "Demo data"
    assert "data-demo" not in client.get(f"/forums/{real.slug}/").content.decode()


def test_load_demo_gives_the_seed_forums_feedback_from_those_who_came(db, client, staff_client):
    from django.urls import reverse

    from feedback.selectors import survey_results
    from reports.dashboards import forum_report
    from tests.attendance.pdf_reading import pdf_lines

    call_command("load_demo")
    held = [seed for seed in FORUMS if seed.status == "held" and seed.participants]
    assert len(held) == 3
    for seed in held:
        forum = Forum.objects.get(slug=seed.slug)
        responses = Response.objects.filter(survey__forum=forum)
        came = attendees(forum).count()
        # About two in three who came, each one of them, on paper, with no e-mail sent.
        assert 0.5 * came < responses.count() < 0.8 * came
        assert set(responses.values_list("source", flat=True)) == {"import"}
        assert {r.invitation.registration.forum_id for r in responses} == {forum.pk}
        assert not responses.filter(invitation__sent_at__isnull=False).exists()
        summary = survey_results(forum.survey, names=False).summary
        assert summary.helpful.n == responses.count()
        # The results page, the report's key figures and its cover give the same share.
        helpful = f"{summary.helpful.percent}%"
        assert forum_report(forum).helpful == helpful
        page = staff_client.get(reverse("feedback:results", args=[forum.slug]))
        assert f'data-figure="summary:helpful">{helpful}<' in page.content.decode()
        cover = pdf_lines(
            staff_client.get(reverse("reports:forum_report_pdf", args=[forum.slug])).content, 1
        )
        assert cover[cover.index("Attended") - 1] == helpful

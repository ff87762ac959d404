"""The secretariat's desk: where each forum is in its life, its live figures (which agree with a
plain count and with the pages they come from), what needs attention, the survey actions that
say first how many people they will e-mail, and the export."""

import random
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import CheckIn
from attendance.services import checkin_undo, checkins_record_after_the_day
from audit.services import Actor
from companies.models import PossibleDuplicate
from companies.services import company_for_name
from desk.selectors import attention, desk_forum, forum_stage
from feedback import services as feedback_services
from feedback.enums import SurveyStatus
from feedback.models import Survey, SurveyInvitation
from feedback.selectors import survey_progress
from forums.enums import ForumStatus
from outbox.enums import EmailStatus
from outbox.models import OutgoingEmail
from registrations import services
from registrations.enums import RegistrationStatus
from registrations.exports import export_registrations
from registrations.models import Registration
from tests.feedback.results_fixture import add_workshop, build_results_fixture


def _details(n: int) -> services.RegistrantDetails:
    return services.RegistrantDetails(
        first_name=f"Siti{n}",
        last_name="Rahman",
        email=f"person{n}@supplier.example",
        company_name=f"Kilang {n % 4} Sdn Bhd",
        country="MY",
    )


# --- the stage -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, survey, seats_taken, now, expected",
    [
        (ForumStatus.DRAFT, None, 0, "2027-03-01T00:00", "draft"),
        (ForumStatus.PUBLISHED, None, 0, "2027-03-01T00:00", "open"),
        (ForumStatus.REGISTRATION_OPEN, None, 99, "2027-03-01T00:00", "open"),
        (ForumStatus.REGISTRATION_OPEN, None, 100, "2027-03-01T00:00", "closed"),
        (ForumStatus.REGISTRATION_CLOSED, None, 3, "2027-03-01T00:00", "closed"),
        # The day begins at midnight in Kuala Lumpur (UTC+8): 16:00 UTC the day before.
        (ForumStatus.REGISTRATION_OPEN, None, 0, "2027-03-15T15:59", "open"),
        (ForumStatus.REGISTRATION_OPEN, None, 0, "2027-03-15T16:00", "day"),
        (ForumStatus.REGISTRATION_CLOSED, None, 100, "2027-03-20T00:00", "day"),
        (ForumStatus.HELD, None, 0, "2027-03-20T00:00", "held"),
        (ForumStatus.HELD, SurveyStatus.DRAFT, 0, "2027-03-20T00:00", "held"),
        (ForumStatus.HELD, SurveyStatus.OPEN, 0, "2027-03-20T00:00", "feedback"),
        (ForumStatus.ARCHIVED, SurveyStatus.CLOSED, 0, "2027-03-20T00:00", "reported"),
    ],
)
def test_forum_stage(make_forum, status, survey, seats_taken, now, expected):
    forum = make_forum(day=date(2027, 3, 16), status=status, capacity=100)
    forum.seats_taken = seats_taken
    moment = datetime.fromisoformat(now).replace(tzinfo=UTC)
    assert forum_stage(forum, survey, moment) == expected


# --- the figures -----------------------------------------------------------------------------


def _history(seed: int, make_forum, secretariat_user):
    """A past forum of 12 seats and 0–2 workshops, 17–22 registrations (the rest wait),
    cancellations, check-ins recorded after the day, some undone, one cancelled after its
    check-in; a survey with paper responses."""
    rng = random.Random(seed)
    by = Actor.of(secretariat_user)
    forum = make_forum(slug=f"past-{seed}", day=date(2026, 6, 1), capacity=12)
    for code in ["A1", "B1"][: rng.randint(0, 2)]:
        add_workshop(forum, code, [])
    before = datetime(2026, 5, 1, tzinfo=UTC)  # registration was open then
    registrations = [
        services.registration_create(
            forum=forum, details=_details(seed * 100 + n), workshops=[], proven=True, now=before
        ).registration
        for n in range(rng.randint(17, 22))
    ]
    for registration in rng.sample(registrations, 2):
        services.registration_cancel(registration=registration, by=by, now=before)
    forum.refresh_from_db()
    confirmed = list(Registration.objects.filter(forum=forum, status="confirmed"))
    came = rng.sample(confirmed, rng.randint(1, len(confirmed)))
    checkins_record_after_the_day(forum=forum, registrations=came, reason="Paper list", by=by)
    for checkin in CheckIn.objects.filter(registration__in=came[: rng.randint(0, 2)]):
        checkin_undo(checkin=checkin, by=by)
    if len(came) > 2:
        services.registration_cancel(registration=came[-1], by=by)
    survey = feedback_services.survey_create(forum=forum, by=by)
    feedback_services.survey_open(survey=survey, by=by)
    return forum, survey


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_agree_with_a_plain_count_and_the_forum_pages(
    seed, make_forum, secretariat_user, staff_client, settings
):
    forum, survey = _history(seed, make_forum, secretariat_user)
    registrations = list(Registration.objects.filter(forum=forum).prefetch_related("checkins"))
    plain_registered = sum(r.status == RegistrationStatus.CONFIRMED for r in registrations)
    plain_waiting = sum(r.status == RegistrationStatus.WAITLISTED for r in registrations)
    plain_checked_in = sum(
        r.status != RegistrationStatus.CANCELLED
        and any(c.workshop_id is None and c.undone_at is None for c in r.checkins.all())
        for r in registrations
    )
    figures = desk_forum(forum).figures
    assert (figures.registered, figures.waiting, figures.checked_in, figures.answered) == (
        plain_registered,
        plain_waiting,
        plain_checked_in,
        survey_progress(survey).responses,
    )
    assert plain_waiting > 0  # the history has a waiting list, or the figure is not tested

    page = staff_client.get(reverse("desk:forum", args=[forum.slug])).content.decode()
    shown = re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page)
    assert shown == [
        ("Registered", f"{plain_registered} of 12 seats"),
        ("Waiting", str(plain_waiting)),
        ("Checked in", f"{plain_checked_in} of {plain_registered} registered"),
        ("Answered", f"0 of {plain_checked_in} attendees"),
    ]
    # The forum overview counts the same people at the door.
    overview = staff_client.get(reverse("reports:forum_overview", args=[forum.slug]))
    assert overview.context["overview"].checkins.checked_in == plain_checked_in
    assert overview.context["overview"].checkins.registered == plain_registered


def test_answered_counts_online_and_paper_responses(make_forum, staff_client):
    kl = build_results_fixture(make_forum)
    figures = desk_forum(kl.forum).figures
    assert figures.answered == survey_progress(kl.survey).responses == 7  # 5 online, 2 on paper


# --- the pages -------------------------------------------------------------------------------


def test_start_page_lists_upcoming_forums_soonest_first_then_past_latest_first(
    make_forum, staff_client
):
    now = timezone.now()
    later = make_forum(title="Mexico City 2027", day=(now + timedelta(days=90)).date())
    sooner = make_forum(title="Gurgaon 2027", day=(now + timedelta(days=40)).date())
    old = make_forum(title="KL 2017", day=date(2017, 10, 24), status=ForumStatus.HELD)
    older = make_forum(title="KL 2016", day=date(2016, 10, 24), status=ForumStatus.ARCHIVED)
    response = staff_client.get(reverse("desk:start"))
    upcoming = [item.forum for item in response.context["upcoming"]]
    past = [item.forum for item in response.context["past"]]
    assert (upcoming, past) == ([sooner, later], [old, older])
    page = response.content.decode()
    titles = re.findall(r'<h3><a href="/desk/forums/[^"]+/">([^<]+)</a></h3>', page)
    assert titles == ["Gurgaon 2027", "Mexico City 2027", "KL 2017", "KL 2016"]


def test_attention_lists_each_kind_of_problem(make_forum, secretariat_user, staff_client):
    now = timezone.now()
    by = Actor.of(secretariat_user)
    assert attention(now).count == 0
    upcoming = make_forum(title="Gurgaon 2027", day=(now + timedelta(days=40)).date())
    full = add_workshop(upcoming, "A1", [])
    full.seat_limit = 1
    full.save()
    for n in range(3):
        services.registration_create(
            forum=upcoming, details=_details(n), workshops=[full], proven=True
        )
    held = make_forum(
        title="Recently held", day=(now - timedelta(days=10)).date(), status=ForumStatus.HELD
    )
    make_forum(title="Held long ago", day=(now - timedelta(days=200)).date(), status="held")
    opened = make_forum(
        title="Held, surveyed", day=(now - timedelta(days=5)).date(), status=ForumStatus.HELD
    )
    feedback_services.survey_open(
        survey=feedback_services.survey_create(forum=opened, by=by), by=by
    )
    company_for_name(name="Kilang Sawit Maju", country="MY")
    company_for_name(name="Kilang Sawit Maju Trading", country="MY")
    OutgoingEmail.objects.update(status=EmailStatus.FAILED)
    failed = OutgoingEmail.objects.count()

    found = attention(now)
    assert found.possible_duplicates == PossibleDuplicate.objects.count() == 1
    assert found.failed_emails == failed > 0
    assert [(f.workshop, f.waiting) for f in found.full_workshops] == [(full, 2)]
    assert found.surveys_to_open == [held]

    page = staff_client.get(reverse("desk:start")).content.decode()
    section = page.split('id="attention-heading"')[1].split("</section>")[0]
    items = [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", section)
    ]
    assert items == [
        "1 unsure company match to review",
        f"{failed} e-mails failed after every retry",
        "Workshop A1 (Gurgaon 2027) is full; 2 people wait",
        "Recently held is held; its survey is not open yet",
    ]


def test_forum_page_links_every_tool_of_the_forums_life(make_forum, staff_client):
    kl = build_results_fixture(make_forum)
    forum = kl.forum
    page = staff_client.get(reverse("desk:forum", args=[forum.slug])).content.decode()
    links = set(re.findall(r'href="([^"#]+)"', page))
    expected = {
        reverse("admin:forums_forum_change", args=[forum.pk]),
        reverse("admin:workshops_workshop_changelist") + f"?forum__id__exact={forum.pk}",
        reverse("admin:attendance_doorhelper_changelist") + f"?forum__id__exact={forum.pk}",
        reverse("admin:registrations_registration_changelist") + f"?forum__id__exact={forum.pk}",
        reverse("admin:registrations_registration_changelist")
        + f"?forum__id__exact={forum.pk}&amp;status__exact=waitlisted",
        reverse("admin:registrations_registration_import"),
        reverse("desk:export", args=[forum.slug, "csv"]),
        reverse("desk:export", args=[forum.slug, "xlsx"]),
        reverse("reports:forum_overview", args=[forum.slug]),
        reverse("attendance:pdf_runs", args=[forum.slug]),
        reverse("attendance:checkin", args=[forum.slug]),
        reverse("attendance:walk_in", args=[forum.slug]),
        reverse("attendance:checkin_list", args=[forum.slug]),
        reverse("attendance:after_the_day", args=[forum.slug]),
        reverse("admin:feedback_survey_change", args=[kl.survey.pk]),
        reverse("admin:feedback_survey_paper", args=[kl.survey.pk]),
        reverse("feedback:results", args=[forum.slug]),
        reverse("reports:forum_report_pdf", args=[forum.slug]),
    }
    assert expected - links == set()
    # Not held: "mark held" is offered (through the admin's confirmation), the news draft not.
    assert 'name="action" value="mark_held"' in page
    assert reverse("reports:news", args=[forum.slug]) not in links
    forum.status = ForumStatus.HELD
    forum.save()
    page = staff_client.get(reverse("desk:forum", args=[forum.slug])).content.decode()
    assert reverse("reports:news", args=[forum.slug]) in page
    assert reverse("reports:maturity", args=[forum.slug]) in page
    assert 'value="mark_held"' not in page


def test_mark_held_button_leads_to_the_admins_confirmation(make_forum, staff_client):
    forum = make_forum(day=date(2026, 6, 1))
    response = staff_client.post(
        reverse("admin:forums_forum_changelist"),
        {"action": "mark_held", "_selected_action": [forum.pk]},
    )
    assert response.status_code == 200
    assert "Mark forums held?" in response.content.decode()
    forum.refresh_from_db()
    assert forum.status == ForumStatus.REGISTRATION_OPEN


@pytest.mark.parametrize("forums", [1, 3])
def test_start_page_query_count(make_forum, staff_client, forums, django_assert_num_queries):
    now = timezone.now()
    for n in range(forums):
        forum = make_forum(day=(now + timedelta(days=30 + n)).date())
        add_workshop(forum, "A1", [])
        services.registration_create(forum=forum, details=_details(n), workshops=[], proven=True)
        make_forum(day=date(2017, 1, 1 + n), status=ForumStatus.HELD)
    with django_assert_num_queries(START_QUERIES):
        response = staff_client.get(reverse("desk:start"))
    assert len(response.context["upcoming"]) == forums


@pytest.mark.parametrize("workshops", [1, 3])
def test_forum_page_query_count(make_forum, staff_client, workshops, django_assert_num_queries):
    forum = make_forum()
    for n in range(workshops):
        add_workshop(forum, f"A{n}", [])
        services.registration_create(forum=forum, details=_details(n), workshops=[], proven=True)
    with django_assert_num_queries(FORUM_QUERIES):
        response = staff_client.get(reverse("desk:forum", args=[forum.slug]))
    assert response.context["item"].figures.registered == workshops


START_QUERIES = 17
FORUM_QUERIES = 8


# --- survey actions: how many will be e-mailed, then only when confirmed ------------------------


def test_open_survey_says_how_many_will_be_emailed_then_opens_when_confirmed(
    make_forum, secretariat_user, staff_client
):
    forum, survey = _history(4, make_forum, secretariat_user)
    survey.status = SurveyStatus.DRAFT
    survey.save()
    SurveyInvitation.objects.all().delete()
    attendees = desk_forum(forum).figures.checked_in
    url = reverse("desk:survey_action", args=[forum.slug, "open"])

    page = staff_client.get(url).content.decode()
    assert f"This will e-mail {attendees} people." in page or (
        attendees == 1 and "This will e-mail 1 person." in page
    )
    staff_client.post(url)  # no confirm=yes: nothing happens
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.DRAFT
    assert SurveyInvitation.objects.count() == 0

    response = staff_client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.OPEN
    assert SurveyInvitation.objects.filter(survey=survey).count() == attendees


def test_reminder_counts_those_invited_who_have_not_answered(make_forum, staff_client):
    kl = build_results_fixture(make_forum)
    kl.survey.status = SurveyStatus.OPEN
    kl.survey.save()
    waiting = SurveyInvitation.objects.filter(
        survey=kl.survey, responded_at__isnull=True, reminded_at__isnull=True
    ).count()
    page = staff_client.get(
        reverse("desk:survey_action", args=[kl.forum.slug, "remind"])
    ).content.decode()
    assert f"This will e-mail {waiting} people." in page
    assert waiting == 16 - 5  # 16 invited, 5 answered online


def test_admin_survey_actions_send_the_secretariat_to_the_confirmation(make_forum, staff_client):
    kl = build_results_fixture(make_forum)
    response = staff_client.post(
        reverse("admin:feedback_survey_changelist"),
        {"action": "send_reminder", "_selected_action": [kl.survey.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:survey_action", args=[kl.forum.slug, "remind"])
    assert Survey.objects.get(pk=kl.survey.pk).reminders_queued_at is None


def test_create_survey_from_the_forum_page(make_forum, staff_client):
    forum = make_forum()
    url = reverse("desk:survey_action", args=[forum.slug, "create"])
    assert "Nobody will be e-mailed." in staff_client.get(url).content.decode()
    staff_client.post(url, {"confirm": "yes"})
    assert Survey.objects.filter(forum=forum, status=SurveyStatus.DRAFT).count() == 1
    # Twice: refused with a message, nothing more is made.
    response = staff_client.post(url, {"confirm": "yes"}, follow=True)
    assert "This forum has a survey already." in response.content.decode()
    assert Survey.objects.filter(forum=forum).count() == 1


# --- export ---------------------------------------------------------------------------------


def test_export_is_the_admins_export_of_the_forum(make_forum, staff_client):
    kl = build_results_fixture(make_forum)
    other = make_forum(slug="elsewhere")
    services.registration_create(forum=other, details=_details(1), workshops=[], proven=True)
    response = staff_client.get(reverse("desk:export", args=[kl.forum.slug, "csv"]))
    assert response.content == export_registrations(
        Registration.objects.filter(forum=kl.forum), file_format="csv"
    )
    assert "person1@supplier.example" not in response.content.decode()
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{kl.forum.slug}-registrations-'
    )

"""In an anonymous survey nothing stored links an answer to the person who gave it: the joins an
attacker with the database would try.

Six attendees answer, online or on paper, in a known order that is none of the orders their
registrations and invitations were made in. For each key an attacker could sort or match by
(PostgreSQL's transaction id `xmin` and physical place `ctid`, ids, times), the responses and
the used invitations are paired up; a pairing that names the right person for more than one
response (what a random pairing of six gets right on average) is a link. Each test runs real
transactions, one per answer, as the site does."""

import importlib
from collections import Counter

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction

from attendance.enums import CheckInSource
from attendance.models import CheckIn
from feedback import services
from feedback.models import Response, Survey, SurveyInvitation
from forums.models import Person
from outbox.models import OutgoingEmail
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from tests.threads import at_once

pytestmark = pytest.mark.django_db(transaction=True)

# Who answers first, second…: by registration, none in its own place, nor in the reverse one's.
ORDER = [2, 4, 0, 5, 3, 1]
CHANCE = 1  # a random pairing of six names one person right, on average

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="xmin and ctid are PostgreSQL's system columns; SQLite has neither",
)


def _answered(make_forum, staff, how: str) -> tuple[Survey, dict[int, int]]:
    """An anonymous survey answered by six attendees in ORDER, online (`how` "web") or on
    paper, one transaction each (or not answered: "none"). Returns the survey and, as only the
    test knows, each response's registration."""
    forum = make_forum(slug=f"anonymous-{how}")
    registrations = []
    for i in range(6):
        person = Person.objects.create(first_name="Guest", last_name=str(i), email=f"g{i}@x.ex")
        registration = Registration.objects.create(
            forum=forum, person=person, status=RegistrationStatus.CONFIRMED
        )
        CheckIn.objects.create(
            registration=registration,
            checked_in_at=forum.starts_at,
            nonce=f"door-{registration.pk}",
            source=CheckInSource.SCAN,
        )
        registrations.append(registration)
    survey = services.survey_create(forum=forum, by=staff)
    Survey.objects.filter(pk=survey.pk).update(anonymous=True)
    survey.refresh_from_db()
    truth = {}
    if how == "web":
        services.survey_open(survey=survey, by=staff)
        for index in ORDER:
            invitation = SurveyInvitation.objects.get(registration=registrations[index])
            response = services.response_submit(invitation=invitation, values=[], language="en")
            truth[response.pk] = registrations[index].pk
    elif how == "paper":
        for index in ORDER:
            response = services.response_enter_paper(
                survey=survey,
                entry=services.PaperResponse(registration=registrations[index], values=[]),
                by=staff,
            )
            truth[response.pk] = registrations[index].pk
    return survey, truth


def _rows(sql: str, survey: Survey) -> dict[int, object]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [survey.pk])
        return dict(cursor.fetchall())


def _responses(survey: Survey, key: str) -> dict[int, object]:
    """Each response's `key` (an SQL expression), by response id."""
    return _rows(f"SELECT id, {key} FROM feedback_response WHERE survey_id = %s", survey)


def _used_invitations(survey: Survey, key: str) -> dict[int, object]:
    """Each used invitation's `key`, by registration id."""
    return _rows(
        f"SELECT registration_id, {key} FROM feedback_surveyinvitation "
        "WHERE survey_id = %s AND responded_at IS NOT NULL",
        survey,
    )


def _ranks(keys: dict[int, object]) -> dict[int, int]:
    """Each row's place when sorted by key; rows whose key ties with another's have none."""
    ties = Counter(keys.values())
    ordered = sorted(keys, key=lambda row: keys[row])  # type: ignore[arg-type,return-value]
    return {row: place for place, row in enumerate(ordered) if ties[keys[row]] == 1}


def _linked_by_order(truth, responses: dict[int, object], invitations: dict[int, object]) -> int:
    """How many responses the k-th-with-k-th pairing of both sides gives to the right person."""
    response_ranks, invitation_ranks = _ranks(responses), _ranks(invitations)
    by_rank = {rank: registration for registration, rank in invitation_ranks.items()}
    return sum(
        1 for response, rank in response_ranks.items() if by_rank.get(rank) == truth[response]
    )


def _linked_by_equality(truth, responses: dict[int, object], invitations: dict[int, object]):
    """How many responses share their key with exactly one used invitation, the right one."""
    return sum(
        1
        for response, key in responses.items()
        if [r for r, k in invitations.items() if k == key] == [truth[response]]
    )


HOW = ["web", "paper"]


@postgresql_only
@pytest.mark.parametrize("how", HOW)
def test_anonymous_xmin_equality_links_nobody(make_forum, staff, how):
    """Today's code wrote the response and marked the invitation in one transaction: this join
    named the person behind every response."""
    survey, truth = _answered(make_forum, staff, how)
    xmin = "xmin::text::bigint"
    responses, invitations = _responses(survey, xmin), _used_invitations(survey, xmin)

    assert len(responses) == len(invitations) == 6
    assert _linked_by_equality(truth, responses, invitations) == 0
    # The answers' own rows too.
    answers = _rows(
        "SELECT r.id, min(a.xmin::text::bigint) FROM feedback_response r "
        "JOIN feedback_answer a ON a.response_id = r.id WHERE r.survey_id = %s GROUP BY r.id",
        survey,
    )
    assert _linked_by_equality(truth, answers, invitations) == 0


# A row's physical place (block, item) as one number, in the order ORDER BY ctid gives.
CTID = "((ctid::text::point)[0]::bigint * 65536 + (ctid::text::point)[1]::bigint)"
KEYS: dict[str, tuple[str, str]] = {
    # name: (the responses' key, the used invitations' key), as SQL.
    "xmin order": ("xmin::text::bigint", "xmin::text::bigint"),
    "ctid order": (CTID, CTID),
    "id order": ("id", "id"),
    "time order": ("submitted_at", "responded_at"),
    "last change": ("updated_at", "responded_at"),
    "creation time": ("submitted_at", "created_at"),
}
ON_SQLITE = {"id order", "time order", "last change", "creation time"}


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize(
    "attack",
    [pytest.param(name, marks=[] if name in ON_SQLITE else [postgresql_only]) for name in KEYS],
)
def test_anonymous_orders_link_no_better_than_chance(make_forum, staff, how, attack):
    survey, truth = _answered(make_forum, staff, how)
    response_key, invitation_key = KEYS[attack]
    responses = _responses(survey, response_key)
    invitations = _used_invitations(survey, invitation_key)

    assert len(responses) == len(invitations) == 6
    assert _linked_by_order(truth, responses, invitations) <= CHANCE


@pytest.mark.parametrize("how", HOW)
def test_anonymous_answers_keep_one_time_the_surveys(make_forum, staff, how):
    """No time finer than the survey's: every response and every used invitation carries the
    forum's start, whatever the moment of the answer."""
    survey, _ = _answered(make_forum, staff, how)
    responses = Response.objects.filter(survey=survey)
    times = {t for pair in responses.values_list("submitted_at", "updated_at") for t in pair}
    times |= set(
        SurveyInvitation.objects.filter(survey=survey, responded_at__isnull=False).values_list(
            "responded_at", flat=True
        )
    )
    assert times == {survey.forum.starts_at}


def _answered_before_the_fix(make_forum, staff) -> tuple[Survey, dict[int, int]]:
    """Six paper forms of an anonymous survey stored as the code before the fix stored them: per
    form, in one transaction, an invitation made and marked answered (time cut to the day) and
    the response (time cut to the day)."""
    forum = make_forum(slug="anonymous-before")
    survey = services.survey_create(forum=forum, by=staff)
    Survey.objects.filter(pk=survey.pk).update(anonymous=True)
    day = forum.starts_at.replace(hour=0, minute=0, second=0, microsecond=0)
    registrations = [
        Registration.objects.create(
            forum=forum,
            person=Person.objects.create(first_name="G", last_name=str(i), email=f"b{i}@x.ex"),
        )
        for i in range(6)
    ]
    truth = {}
    for index in ORDER:
        with transaction.atomic():
            SurveyInvitation.objects.create(
                survey=survey, registration=registrations[index], responded_at=day
            )
            response = Response.objects.create(survey=survey, language="", submitted_at=day)
            truth[response.pk] = registrations[index].pk
    return survey, truth


def _migration():
    return importlib.import_module("feedback.migrations.0002_anonymous_answers_unlinked")


@pytest.mark.parametrize(
    "attack",
    [pytest.param(name, marks=[] if name in ON_SQLITE else [postgresql_only]) for name in KEYS],
)
def test_migration_unlinks_answers_stored_before(make_forum, staff, attack):
    survey, truth = _answered_before_the_fix(make_forum, staff)
    response_key, invitation_key = KEYS[attack]
    secrets = set(SurveyInvitation.objects.values_list("secret", flat=True))

    with transaction.atomic():
        _migration().unlink_anonymous_answers(django_apps, None)

    responses = _responses(survey, response_key)
    invitations = _used_invitations(survey, invitation_key)
    assert len(responses) == len(invitations) == 6
    assert _linked_by_order(truth, responses, invitations) <= CHANCE
    # The people's links still work.
    assert set(SurveyInvitation.objects.values_list("secret", flat=True)) == secrets


def test_migration_keeps_links_outbox_and_one_time(make_forum, staff):
    survey, truth = _answered_before_the_fix(make_forum, staff)
    secrets = dict(SurveyInvitation.objects.values_list("registration_id", "secret"))
    first = SurveyInvitation.objects.get(registration_id=min(secrets))
    email = OutgoingEmail.objects.create(
        kind="feedback_invitation",
        to="b0@x.ex",
        rendered=False,
        about=first,
        params={"invitation": first.pk},
    )

    with transaction.atomic():
        _migration().unlink_anonymous_answers(django_apps, None)

    # The links people hold still work; the queued e-mail follows its invitation's new id.
    assert dict(SurveyInvitation.objects.values_list("registration_id", "secret")) == secrets
    renewed = SurveyInvitation.objects.get(registration_id=min(secrets))
    email.refresh_from_db()
    assert (email.about_id, email.params) == (renewed.pk, {"invitation": renewed.pk})
    # One time for all: the survey's.
    moment = survey.forum.starts_at
    assert set(
        Response.objects.filter(survey=survey).values_list("submitted_at", "updated_at")
    ) == {(moment, moment)}
    assert set(SurveyInvitation.objects.values_list("responded_at", flat=True)) == {moment}


@postgresql_only
def test_migration_unlinks_xmin_of_answers_stored_before(make_forum, staff):
    survey, truth = _answered_before_the_fix(make_forum, staff)
    xmin = "xmin::text::bigint"

    def linked():
        return _linked_by_equality(truth, _responses(survey, xmin), _used_invitations(survey, xmin))

    assert linked() == 6
    with transaction.atomic():
        _migration().unlink_anonymous_answers(django_apps, None)
    assert linked() == 0


@postgresql_only
def test_anonymous_answers_at_once_all_count(make_forum, staff):
    """Six people answering at the same moment: every answer rewrites all the invitations, in
    id order after locking them all, so the six wait for each other and none deadlocks."""
    survey, _ = _answered(make_forum, staff, "none")
    services.survey_open(survey=survey, by=staff)
    invitations = list(SurveyInvitation.objects.filter(survey=survey).order_by("pk"))

    def answer(invitation):
        return services.response_submit(invitation=invitation, values=[], language="en").pk

    results, errors = at_once(answer, invitations)

    assert errors == []
    assert len(results) == 6
    assert Response.objects.filter(survey=survey).count() == 6
    assert SurveyInvitation.objects.filter(survey=survey, responded_at__isnull=False).count() == 6

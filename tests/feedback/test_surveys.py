"""A forum's survey from the template, who is invited, the e-mails, the reminder sent once."""

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import Actor
from feedback import services
from feedback.defaults import TEMPLATE
from feedback.enums import QuestionKind, QuestionScope, SurveyStatus
from feedback.models import Survey, SurveyInvitation
from registrations import services as registration_services
from tests.feedback.conftest import check_in
from tests.threads import at_once

KEYS = [
    "helpful",
    "overall",
    "recommend",
    "workshop",
    "facilitator",
    "workshop_comment",
    "change",
    "topics",
    "comments",
]


def test_survey_create_copies_the_template_in_order(survey):
    questions = list(survey.questions.order_by("position"))

    assert [q.key for q in questions] == KEYS
    helpful = questions[0]
    assert (helpful.kind, helpful.required, helpful.text_en, helpful.text_es) == (
        QuestionKind.YES_NO,
        True,
        "Was this event helpful for your work?",
        "¿Le resultó útil este evento para su trabajo?",
    )
    assert {q.key: q.scope for q in questions if q.scope != QuestionScope.FORUM} == {
        "workshop": "workshop",
        "facilitator": "facilitator",
        "workshop_comment": "workshop",
    }
    assert survey.status == SurveyStatus.DRAFT


def test_survey_create_topics_are_the_pillars_and_the_forums_workshops(survey):
    topics = survey.questions.get(key="topics")

    assert topics.kind == QuestionKind.MULTIPLE
    assert [c["key"] for c in topics.choices] == [
        "human_rights",
        "health_safety",
        "environment",
        "business_integrity",
        "A1",
        "A2",
        "B1",
        "B2",
    ]
    assert topics.choices[4] == {"key": "A1", "en": "Migrant labour", "es": "Migrant labour"}


def test_survey_create_twice_keeps_the_forums_edits(forum, survey, staff):
    survey.questions.filter(key="overall").update(text_en="Overall, the day was…")

    again = services.survey_create(forum=forum, by=staff)

    assert again.pk == survey.pk
    assert Survey.objects.count() == 1
    assert again.questions.count() == len(TEMPLATE)
    assert again.questions.get(key="overall").text_en == "Overall, the day was…"
    assert AuditEntry.objects.filter(action="survey.created").count() == 1


def test_survey_open_invites_only_those_checked_in(
    forum, survey, staff, register, attendee, committed
):
    came = attendee()
    registered_only = register(forum).registration
    undone = register(forum).registration
    check_in(undone, undone=True)
    cancelled = register(forum).registration
    check_in(cancelled)
    registration_services.registration_cancel(registration=cancelled, by=staff)

    invited = committed(services.survey_open, survey=survey, by=staff)

    assert invited == 1
    assert list(SurveyInvitation.objects.values_list("registration_id", flat=True)) == [came.pk]
    assert registered_only.pk != came.pk and undone.pk != came.pk


def test_survey_open_sends_each_attendee_one_personal_email_in_their_language(
    survey, staff, attendee, committed
):
    english = attendee(email="ana@supplier.example")
    spanish = attendee(email="luis@supplier.example", language="es")
    mail.outbox.clear()

    committed(services.survey_open, survey=survey, by=staff)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_address) == ["ana@supplier.example", "luis@supplier.example"]
    secret = {i.registration_id: i.secret for i in SurveyInvitation.objects.all()}
    en, es = by_address["ana@supplier.example"], by_address["luis@supplier.example"]
    assert en.subject == "How was Responsible Sourcing Forum Kuala Lumpur? Tell us in a few minutes"
    link = "https://forums.example.org" + reverse("feedback:answer", args=[secret[english.pk]])
    assert link in en.body.splitlines()
    es_link = "https://forums.example.org" + reverse("feedback:answer", args=[secret[spanish.pk]])
    assert es_link in es.body.splitlines()
    # Rendered in the registrant's language (the page's language attribute says which).
    assert en.alternatives[0][0].startswith('<!DOCTYPE html><html lang="en">')
    assert es.alternatives[0][0].startswith('<!DOCTYPE html><html lang="es">')
    assert en.body.splitlines()[0] == f"Dear {english.person.first_name},"
    assert SurveyInvitation.objects.filter(sent_at__isnull=True).count() == 0


def test_survey_open_again_invites_only_the_newly_checked_in(survey, staff, attendee, committed):
    attendee()
    committed(services.survey_open, survey=survey, by=staff)
    mail.outbox.clear()
    late = attendee(email="late@supplier.example")

    invited = committed(services.survey_invite_new_attendees, survey=survey, by=staff)

    assert invited == 1
    assert [m.to for m in mail.outbox] == [["late@supplier.example"]]
    assert SurveyInvitation.objects.filter(registration=late).count() == 1


def test_survey_remind_sends_once_to_those_who_have_not_answered(
    survey, staff, attendee, committed
):
    attendee(email="quiet@supplier.example")
    answered = attendee(email="done@supplier.example")
    committed(services.survey_open, survey=survey, by=staff)
    SurveyInvitation.objects.filter(registration=answered).update(responded_at=timezone.now())
    mail.outbox.clear()

    first = committed(services.survey_remind, survey=survey, by=staff)
    second = committed(services.survey_remind, survey=survey, by=staff)

    assert (first, second) == (True, False)
    assert [m.to for m in mail.outbox] == [["quiet@supplier.example"]]
    assert (
        mail.outbox[0].subject
        == "Reminder: your feedback on Responsible Sourcing Forum Kuala Lumpur"
    )


def test_survey_remind_refused_before_opening(survey, staff, attendee, committed):
    attendee()
    assert committed(services.survey_remind, survey=survey, by=staff) is False
    assert Survey.objects.get().reminders_queued_at is None


def test_survey_close_then_open_is_refused(survey, staff, committed):
    services.survey_close(survey=survey, by=staff)
    with pytest.raises(services.FeedbackRefused):
        committed(services.survey_open, survey=survey, by=staff)
    assert Survey.objects.get().status == SurveyStatus.CLOSED


@pytest.mark.django_db(transaction=True)
def test_survey_remind_two_at_once_sends_once(forum, survey, staff, attendee):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent UPDATEs are tested on PostgreSQL")
    for n in range(5):
        attendee(email=f"p{n}@supplier.example")
    services.survey_open(survey=survey, by=staff)
    mail.outbox.clear()
    results, errors = at_once(
        lambda _: services.survey_remind(survey=survey, by=Actor.system()), [1, 2]
    )

    assert errors == []
    assert sorted(results) == [False, True]
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@supplier.example" for n in range(5)]
    assert SurveyInvitation.objects.filter(reminded_at__isnull=False).count() == 5

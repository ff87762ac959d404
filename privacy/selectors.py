"""Reads of the privacy tools: everything held about one person, who falls past the retention
period, and how much personal data each forum still holds."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from feedback.models import Answer
from forums.models import Forum, Person
from outbox.models import OutgoingEmail
from registrations.models import (
    HeldRegistration,
    Registration,
    RegistrationAnswer,
    SubmittedRegistration,
)


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def person_emails(person: Person) -> QuerySet[OutgoingEmail]:
    """The e-mails sent (or to be sent) to `person`: about one of their registrations, or to
    their address."""
    registration_type = ContentType.objects.get_for_model(Registration)
    about_them = Q(
        about_type=registration_type,
        about_id__in=Registration.objects.filter(person=person).values("pk"),
    )
    if person.email:
        about_them |= Q(to__iexact=person.email)
    return OutgoingEmail.objects.filter(about_them).order_by("created_at", "pk")


def person_held(
    person: Person,
) -> tuple[QuerySet[HeldRegistration], QuerySet[SubmittedRegistration]]:
    """The registrations asked for with `person`'s address (or made into theirs) that wait for
    their address to be proved, or that the form accepted."""
    mine = Registration.objects.filter(person=person).values("pk")
    held = Q(registration__in=mine)
    submitted = Q(registration__in=mine)
    if person.email:
        held |= Q(email__iexact=person.email)
        submitted |= Q(email__iexact=person.email)
    return (
        HeldRegistration.objects.filter(held).order_by("created_at", "pk"),
        SubmittedRegistration.objects.filter(submitted).order_by("submitted_at", "pk"),
    )


def person_export(person: Person) -> dict[str, Any]:
    """Everything held about `person`, as plain JSON-ready data: their details, registrations
    (workshops, answers to the forum's questions, check-ins, survey invitations and, where the
    survey is not anonymous, their feedback answers), held and submitted registrations, and the
    e-mails sent to them (without their bodies, which repeat the rest). Anonymous survey answers
    are not included: nothing links them to anyone."""
    registrations = (
        Registration.objects.filter(person=person)
        .select_related("forum", "company")
        .prefetch_related(
            "workshop_places__workshop",
            "answers__question",
            "answers__choices",
            "checkins__workshop",
            "survey_invitations__survey",
            "survey_invitations__response__answers__question",
            "survey_invitations__response__answers__workshop",
        )
        .order_by("created_at", "pk")
    )
    held, submitted = person_held(person)
    return {
        "person": {
            "id": person.pk,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "job_title": person.job_title,
            "phone": person.phone,
            "country": person.country.code if person.country else "",
            "organisation": person.organisation.name if person.organisation else None,
            "language": person.language,
            "created_at": _when(person.created_at),
        },
        "registrations": [_registration(r) for r in registrations],
        "held_registrations": [
            {
                "forum": h.forum.slug,
                "email": h.email,
                "details": h.details,
                "workshop_ids": h.workshop_ids,
                "created_at": _when(h.created_at),
                "confirmed_at": _when(h.confirmed_at),
            }
            for h in held.select_related("forum")
        ],
        "submitted_registrations": [
            {
                "forum": s.forum.slug,
                "email": s.email,
                "details": s.details,
                "workshop_ids": s.workshop_ids,
                "submitted_at": _when(s.submitted_at),
                "carried_out_at": _when(s.carried_out_at),
            }
            for s in submitted.select_related("forum")
        ],
        "emails": [
            {
                "kind": e.kind,
                "to": e.to,
                "subject": e.subject,
                "status": e.status,
                "created_at": _when(e.created_at),
                "sent_at": _when(e.sent_at),
            }
            for e in person_emails(person)
        ],
    }


def _registration(registration: Registration) -> dict[str, Any]:
    invitations = []
    for invitation in registration.survey_invitations.all():
        item: dict[str, Any] = {
            "forum": registration.forum.slug,
            "sent_at": _when(invitation.sent_at),
            "reminded_at": _when(invitation.reminded_at),
            "answered": invitation.responded_at is not None,
        }
        response = getattr(invitation, "response", None)
        if response is not None and not invitation.survey.anonymous:
            item["answers"] = [
                {
                    "question": answer.question.key,
                    "workshop": answer.workshop.code if answer.workshop else None,
                    "facilitator_id": answer.facilitator_id,
                    "number": answer.number,
                    "choices": answer.choices,
                    "text": answer.text,
                }
                for answer in response.answers.all()
            ]
        invitations.append(item)
    return {
        "forum": registration.forum.slug,
        "forum_title": registration.forum.title,
        "status": registration.status,
        "company": registration.company.name if registration.company else None,
        "job_title": registration.job_title,
        "dietary_needs": registration.dietary_needs,
        "accessibility_needs": registration.accessibility_needs,
        "category": registration.category,
        "language": registration.language,
        "share_with_sponsors": registration.share_with_sponsors,
        "consent_given_at": _when(registration.consent_given_at),
        "created_at": _when(registration.created_at),
        "cancelled_at": _when(registration.cancelled_at),
        "workshops": [
            {"code": p.workshop.code, "title": p.workshop.title, "status": p.status}
            for p in registration.workshop_places.all()
        ],
        "answers": [
            {"question": a.question.label_en, "answer": a.shown(english=True)}
            for a in registration.answers.all()
        ],
        "checkins": [
            {
                "at": _when(c.checked_in_at),
                "workshop": c.workshop.code if c.workshop else None,
                "undone_at": _when(c.undone_at),
            }
            for c in registration.checkins.all()
        ],
        "survey_invitations": invitations,
    }


def not_erased() -> Q:
    return Q(erasure__isnull=True)


def retention_cutoff(*, years: int, now: dt.datetime | None = None) -> dt.datetime:
    """The moment `years` years before `now`: forums that started before it are past the
    retention period. 29 February falls back to 28 February."""
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def people_past_retention(*, years: int, now: dt.datetime | None = None) -> QuerySet[Person]:
    """Participants not yet erased all of whose forums started more than `years` years ago.
    People who never registered (speakers, facilitators) are not participants and stay."""
    cutoff = retention_cutoff(years=years, now=now)
    recent = Registration.objects.filter(person=OuterRef("pk"), forum__starts_at__gte=cutoff)
    return (
        Person.objects.filter(not_erased())
        .filter(Exists(Registration.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(recent))
        .order_by("pk")
    )


@dataclass(frozen=True)
class PersonalDataRow:
    forum: Forum
    people: int
    registrations: int
    free_text_answers: int


def personal_data_by_forum() -> list[PersonalDataRow]:
    """Per forum, oldest first: how many people and registrations still hold personal data
    (not erased), and how many free-text answers (to the registration questions and, in surveys
    that are not anonymous, the feedback) are still held. Four queries."""
    held = Registration.objects.filter(person__erasure__isnull=True)
    counts = {
        row["forum"]: row
        for row in held.values("forum").annotate(
            people=Count("person", distinct=True), registrations=Count("pk")
        )
    }
    texts = {
        row["registration__forum"]: row["n"]
        for row in RegistrationAnswer.objects.exclude(text="")
        .filter(registration__person__erasure__isnull=True)
        .values("registration__forum")
        .annotate(n=Count("pk"))
    }
    feedback_texts = {
        row["response__survey__forum"]: row["n"]
        for row in Answer.objects.exclude(text="")
        .filter(
            response__survey__anonymous=False,
            # Linked to someone: a paper form's, or an erased person's, names nobody.
            response__invitation__isnull=False,
            response__invitation__registration__person__erasure__isnull=True,
        )
        .values("response__survey__forum")
        .annotate(n=Count("pk"))
    }
    rows = []
    for forum in Forum.objects.order_by("starts_at", "pk"):
        count = counts.get(forum.pk, {})
        rows.append(
            PersonalDataRow(
                forum=forum,
                people=count.get("people", 0),
                registrations=count.get("registrations", 0),
                free_text_answers=texts.get(forum.pk, 0) + feedback_texts.get(forum.pk, 0),
            )
        )
    return rows

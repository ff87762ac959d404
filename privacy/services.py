"""The privacy tools' writes: erasing a person, and erasing those past the retention period."""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from attendance.models import CheckIn
from audit.models import AuditEntry
from audit.services import Actor, audit_record
from feedback.models import Response
from forums.models import Person
from outbox.enums import EmailStatus
from privacy.models import Erasure, RetentionSweepRun
from privacy.selectors import people_past_retention, person_emails, person_held
from registrations.models import Registration, RegistrationAnswer, ReplacedLink, new_secret

logger = logging.getLogger(__name__)

ERASED_ACTION = "person.erased"


def person_erase(*, person: Person, by: Actor) -> bool:
    """Erase `person`'s personal data and mark them erased; False if they already were.

    Blanks the person's name, e-mail, job title and phone; their registrations' job title,
    dietary and accessibility needs and free-text answers (draws new link secrets, so the old
    manage link stops working, and forgets the replaced ones); the reasons typed on their
    check-ins; the link between them and their feedback (the answers stay, unlinked, as in an
    anonymous survey, so that the results stay the same); the
    addresses, subjects and bodies of the e-mails sent to them (deletes those not sent yet);
    the names the audit log shows for them and their registrations. Deletes their held and
    submitted registrations. Keeps the Person and Registration rows with their company,
    country, category, workshops, check-ins and ratings, so that the reach, attendance and
    feedback figures stay the same. Records "person.erased" with the person's id only. Sends
    nothing."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if Erasure.objects.filter(person=person).exists():
            return False
        registration_ids = list(
            Registration.objects.filter(person=person).values_list("pk", flat=True)
        )
        held, submitted = person_held(person)
        held.delete()
        submitted.delete()
        # Not sent yet: dropped, so that nothing goes to an address that is being erased.
        person_emails(person).filter(status=EmailStatus.PENDING).delete()
        person_emails(person).update(
            to="",
            subject="",
            body_text="",
            body_html="",
            ics="",
            ics_cancel="",
            params={},
            last_error="",
        )
        for registration_id in registration_ids:
            # One at a time: each secret is unique.
            Registration.objects.filter(pk=registration_id).update(
                job_title="",
                dietary_needs="",
                accessibility_needs="",
                share_with_sponsors=False,
                secret=new_secret(),
            )
        ReplacedLink.objects.filter(registration__in=registration_ids).delete()
        RegistrationAnswer.objects.filter(registration__in=registration_ids).update(text="")
        CheckIn.objects.filter(registration__in=registration_ids).update(reason="")
        # Their feedback is kept for the figures (comments counted too) but made unlinkable, as
        # in an anonymous survey: no invitation, and the survey's one moment as its times.
        for response in Response.objects.filter(
            invitation__registration__in=registration_ids
        ).select_related("survey__forum"):
            Response.objects.filter(pk=response.pk).update(
                invitation=None,
                submitted_at=response.survey.forum.starts_at,
                updated_at=response.survey.forum.starts_at,
            )
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Registration),
            object_id__in=[str(pk) for pk in registration_ids],
        ).update(object_repr="")
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)
        ).update(object_repr="")
        Person.objects.filter(pk=person.pk).update(
            first_name="", last_name="", email=None, job_title="", phone=""
        )
        person.refresh_from_db()
        Erasure.objects.create(person=person, erased_at=timezone.now(), actor_kind=by.kind)
        audit_record(by=by, action=ERASED_ACTION, subject=person, data={"person": person.pk})
    return True


def retention_erase(*, years: int, dry_run: bool = False) -> list[int]:
    """Erase every participant whose every forum started more than `years` years ago (see
    privacy.selectors.people_past_retention); with `dry_run`, only list them. Returns their
    Person ids. Each erasure is its own transaction and its own audit entry, by the system."""
    ids = list(people_past_retention(years=years).values_list("pk", flat=True))
    if dry_run:
        return ids
    for person in Person.objects.filter(pk__in=ids).order_by("pk"):
        person_erase(person=person, by=Actor.system())
    return ids


def retention_sweep() -> list[int]:
    """The worker's daily retention run (settings.WORKER_SWEEPS): erases those past
    settings.PERSONAL_DATA_RETENTION_YEARS, at most once a day across every worker (the day is
    stored first, under a unique constraint). Returns the ids erased, none on a later sweep the
    same day."""
    today = timezone.localdate()
    try:
        with transaction.atomic():
            run = RetentionSweepRun.objects.create(day=today)
    except IntegrityError:
        return []
    erased = retention_erase(years=settings.PERSONAL_DATA_RETENTION_YEARS)
    RetentionSweepRun.objects.filter(pk=run.pk).update(erased=len(erased))
    logger.info("Retention sweep erased %s people", len(erased))
    return erased

"""Every write on registrations, one function per use case. Seats are taken, freed and settled
only through registrations.seats (which explains how overbooking is prevented); each use case
here locks the forum with `seats.lock_forum` first."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from audit.enums import ActorKind
from audit.services import Actor, audit_record, audit_record_many
from companies.services import company_for_name
from forums.enums import ForumStatus, RegistrationWindow
from forums.models import REMINDER_DAYS_BEFORE_MAX, Forum, Organisation, Person, Sponsorship
from forums.permissions import is_secretariat
from forums.text import text_problem
from registrations import seats, tasks
from registrations.enums import (
    PlaceStatus,
    QuestionKind,
    RegistrationSource,
    RegistrationStatus,
    RsjModule,
)
from registrations.enums import RegistrationEmailKind as EmailKind
from registrations.models import (
    AnswerChoice,
    HeldRegistration,
    QuestionChoice,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    ReplacedLink,
    SubmittedRegistration,
    WorkshopPlace,
    link_hash,
    new_secret,
)
from registrations.notifications import (
    WITH_CALENDAR,
    calendar_advance,
    email_queue,
    held_email_queue,
)
from registrations.tokens import HELD_LINK_LIFETIME
from workshops.models import Workshop
from workshops.selectors import group_into_slots

if TYPE_CHECKING:
    from django.db import models
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)


class RegistrationError(Exception):
    """A registration request that cannot be carried out; `field` names the form field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class RegistrantDetails:
    first_name: str
    last_name: str
    email: str
    company_name: str
    country: str = ""
    job_title: str = ""
    phone: str = ""
    dietary_needs: str = ""
    accessibility_needs: str = ""
    language: str = "en"
    # The self-assessment (stage by RsjModule value, unanswered modules left out); None when
    # the form did not ask, which leaves what the registration holds as it is.
    maturity: dict[str, int] | None = None
    category: str = ""
    # Answers to the forum's own questions, by question id (as text, as JSON keeps it): the
    # text typed, a choice's id, a list of choices' ids, or "yes"/"no" (registrations.forms'
    # QuestionFieldsMixin.answers). None when the form did not ask, which leaves the answers
    # the registration holds as they are.
    answers: dict[str, Any] | None = None


@dataclass
class Outcome:
    """What a registration request led to: a new (or revived) registration (`created`), the
    registration the address already holds (`created` False), or, for an address the site knows
    and the requester has not proved they control, a held request (`held`) and nothing else."""

    registration: Registration | None
    created: bool
    held: HeldRegistration | None = None


def notify_promotions(
    promotions: seats.Promotions, *, except_registration: Registration | None
) -> None:
    """E-mail each registration `settle` moved in (except the one the use case is about), naming
    the workshops it moved into, and record the moves as the system's. Call inside the use
    case's transaction: sent after commit."""
    moved = {
        registration_id: entry
        for registration_id, entry in promotions.by_registration().items()
        if except_registration is None or registration_id != except_registration.pk
    }
    audit_record_many(
        by=Actor.system(),
        action="registration.moved_in",
        subjects=[registration for registration, _ in moved.values()],
    )
    for registration, workshops in moved.values():
        registration.refresh_from_db()
        email_queue(
            registration=registration, kind=EmailKind.PROMOTED, promoted_workshops=workshops
        )


# --- validation --------------------------------------------------------------------------------


def validate_workshop_choice(
    forum: Forum, workshops: list[Workshop], *, offered: list[Workshop] | None = None
) -> list[Workshop]:
    """The chosen workshops, checked: all of this forum, at most one per time slot. `offered`
    is the forum's workshops when the caller has them at hand (the form showed them)."""
    if offered is None:
        offered = list(Workshop.objects.filter(forum=forum))
    forum_workshops = {w.pk: w for w in offered if w.forum_id == forum.pk}
    chosen = []
    for workshop in workshops:
        if workshop.pk not in forum_workshops:
            raise RegistrationError(
                _("The workshop “%(title)s” is not part of this forum. Choose from the list.")
                % {"title": workshop.title},
                field="workshops",
            )
        if forum_workshops[workshop.pk] not in chosen:
            chosen.append(forum_workshops[workshop.pk])
    for slot in group_into_slots(forum_workshops.values()):
        in_slot = [w for w in chosen if w in slot.workshops]
        if len(in_slot) > 1:
            raise RegistrationError(
                _(
                    "%(first)s and %(second)s take place at the same time. "
                    "Choose one workshop per time slot."
                )
                % {"first": in_slot[0].title, "second": in_slot[1].title},
                field="workshops",
            )
    return sorted(chosen, key=lambda w: w.pk)


def _person_values(details: RegistrantDetails, company: Organisation) -> dict[str, Any]:
    return {
        "first_name": details.first_name.strip(),
        "last_name": details.last_name.strip(),
        "job_title": details.job_title.strip(),
        "phone": details.phone.strip(),
        "country": details.country,
        "organisation": company,
        "language": details.language,
    }


def _apply_details(
    registration: Registration, details: RegistrantDetails, company: Organisation
) -> None:
    """The registration's own copy of what the registrant typed (unsaved)."""
    registration.company = company
    registration.job_title = details.job_title.strip()
    registration.dietary_needs = details.dietary_needs.strip()
    registration.accessibility_needs = details.accessibility_needs.strip()
    registration.language = details.language
    if details.maturity is not None:
        for module in RsjModule:
            setattr(registration, module.field_name, details.maturity.get(module.value))
    registration.category = details.category


def _save_answers(registration: Registration, answers: dict[str, Any] | None) -> None:
    """Replace the registration's answers to the questions its forum asks now (not hidden),
    with `answers` (see RegistrantDetails.answers); answers to hidden questions stay. Read
    again against the questions as they are: what was submitted before a question or a choice
    changed keeps only what still fits (a choice by its id, never by its label)."""
    if answers is None:
        return
    asked = list(
        RegistrationQuestion.objects.filter(forum=registration.forum_id, hidden=False)
        .prefetch_related("choices")
        .order_by("order", "pk")
    )
    if not asked:
        return
    RegistrationAnswer.objects.filter(registration=registration, question__in=asked).delete()
    chosen: list[tuple[RegistrationAnswer, list[int]]] = []
    for question in asked:
        value = answers.get(str(question.pk))
        answer = RegistrationAnswer(registration=registration, question=question)
        if question.kind == QuestionKind.TEXT:
            if not isinstance(value, str) or not value.strip():
                continue
            answer.text = value.strip()[: RegistrationAnswer._meta.get_field("text").max_length]
        elif question.kind == QuestionKind.YES_NO:
            if value not in ("yes", "no"):
                continue
            answer.yes = value == "yes"
        else:
            offered = {str(choice.pk): choice.pk for choice in question.choices.all()}
            values = value if isinstance(value, list) else [value]
            if question.kind == QuestionKind.ONE_CHOICE:
                values = values[:1]
            ids = sorted({offered[v] for v in values if isinstance(v, str) and v in offered})
            if not ids:
                continue
            chosen.append((answer, ids))
        answer.save()
    AnswerChoice.objects.bulk_create(
        AnswerChoice(answer=answer, choice_id=choice_id)
        for answer, ids in chosen
        for choice_id in ids
    )


def _new_person(details: RegistrantDetails) -> tuple[Person, Organisation] | None:
    """A new person with this address and these details, with their company (matched or
    created); None, and nothing written, when another registration has just created a person
    with this address (it committed while this INSERT waited for it)."""
    try:
        with transaction.atomic():  # a savepoint: a clash undoes the company too
            company = company_for_name(
                name=details.company_name, country=details.country, email=details.email.strip()
            )
            person = Person.objects.create(
                email=details.email.strip(), **_person_values(details, company)
            )
    except IntegrityError:
        return None
    return person, company


def _known_person_update(details: RegistrantDetails, person: Person) -> Organisation:
    """Give a known person these details (only ever on a proven request: see
    registration_create); returns their company, matched or created."""
    company = company_for_name(
        name=details.company_name, country=details.country, email=details.email.strip()
    )
    for name, value in _person_values(details, company).items():
        setattr(person, name, value)
    person.save()
    return company


# Link e-mails (manage links, confirmations of held registrations) per address and hour: the
# public forms cannot be used to flood someone's inbox.
LINK_EMAILS_PER_HOUR = 3


def _address_throttled(email: str) -> bool:
    """Count one link e-mail to this address; True when that is more than LINK_EMAILS_PER_HOUR
    this hour. django-ratelimit counts in the shared cache under a hash of the address, so the
    cache holds no address."""
    address = email.strip().lower()
    return is_ratelimited(
        None,  # no request: the count is the address's, whichever client asks
        group="registrations:link-emails",
        key=lambda group, request: address,
        rate=f"{LINK_EMAILS_PER_HOUR}/h",
        increment=True,
    )


def _hold(
    *,
    forum: Forum,
    details: RegistrantDetails,
    workshops: list[Workshop],
    invited_by: Sponsorship | None,
) -> Outcome:
    if _address_throttled(details.email):
        return Outcome(registration=None, created=False)
    # What someone typed for an address they may not own is kept no longer than its link works.
    HeldRegistration.objects.filter(created_at__lt=timezone.now() - HELD_LINK_LIFETIME).delete()
    held = HeldRegistration.objects.create(
        forum=forum,
        email=details.email.strip(),
        details={
            name: value
            for name, value in details.__dict__.items()
            if name not in {"email", "language"}
        },
        workshop_ids=[w.pk for w in workshops],
        invited_by=invited_by,
        language=details.language,
    )
    held_email_queue(held=held)
    return Outcome(registration=None, created=False, held=held)


def _audit(
    by: Actor, action: str, subject: "models.Model", data: dict[str, Any] | None = None
) -> None:
    """Secretariat and system actions are recorded; what registrants do to their own
    registration shows on the registration itself."""
    if by.kind != ActorKind.REGISTRANT:
        audit_record(by=by, action=action, subject=subject, data=data)


def _replace_secret(registration: Registration) -> None:
    """Give `registration` a new manage-link secret; links sent before stop working, and say
    that they were replaced (ReplacedLink keeps a hash of the old secret)."""
    if registration.secret:
        ReplacedLink.objects.get_or_create(
            secret_hash=link_hash(registration.secret), defaults={"registration": registration}
        )
    registration.secret = new_secret()


# --- use cases ---------------------------------------------------------------------------------


def questions_copy_on_duplicate(
    sender: object, *, source: Forum, copy: Forum, **kwargs: object
) -> None:
    """Copy a forum's registration questions (hidden ones too, hidden still) with their
    choices onto its duplicate; no answers. Runs inside forum_duplicate's transaction.
    Sends nothing."""
    for question in source.registration_questions.prefetch_related("choices").order_by(
        "order", "pk"
    ):
        choices = list(question.choices.all())
        question.pk = None
        question._state.adding = True
        question.forum = copy
        question.save()
        QuestionChoice.objects.bulk_create(
            QuestionChoice(
                question=question,
                label_en=choice.label_en,
                label_es=choice.label_es,
                order=choice.order,
            )
            for choice in choices
        )


def registration_create(
    *,
    forum: Forum,
    details: RegistrantDetails,
    workshops: list[Workshop],
    invited_by: Sponsorship | None = None,
    source: str = RegistrationSource.WEB,
    proven: bool = False,
    now: datetime | None = None,
    offered: list[Workshop] | None = None,
) -> Outcome:
    """Register a person for a forum and their chosen workshops (`offered`: the forum's
    workshops, when the caller has them at hand). One transaction, which must be the top one.

    `proven` says the requester has shown they control the e-mail address (a confirmation or
    manage link, or a logged-in account with that verified address). An unproven request for an
    address the site already knows changes nothing held about that person or their
    registrations: it is stored as a HeldRegistration and a confirmation link is e-mailed to the
    address (see registration_confirm_held).

    Otherwise takes a forum seat if one is free (else joins the forum's waiting list) and a seat
    in each chosen workshop if free (else joins that workshop's waiting list). If the person
    already holds a live registration for this forum nothing changes and `created` is False; a
    cancelled registration is revived with a new manage-link secret.

    Writes, all in one transaction (so that of requests for one address at the same moment, one
    makes the person, company and registration, and the others find them whole): the company
    (matched or created), the person (new, or given these details when proven), the
    registration, its workshop places and its answers to the forum's questions (see
    _save_answers); or the HeldRegistration, which keeps the answers with the details. Sends
    a confirmation (with calendar file), a waiting-list notice or the held request's link,
    after commit."""
    with transaction.atomic(durable=True):
        return _register(
            forum=forum,
            details=details,
            workshops=workshops,
            invited_by=invited_by,
            source=source,
            proven=proven,
            now=now or timezone.now(),
            offered=offered,
        )


def _register(
    *,
    forum: Forum,
    details: RegistrantDetails,
    workshops: list[Workshop],
    invited_by: Sponsorship | None,
    source: str,
    proven: bool,
    now: datetime,
    offered: list[Workshop] | None = None,
    window_checked: bool = False,
) -> Outcome:
    """registration_create's work, inside the caller's transaction. `window_checked`: the
    registration was accepted while the window was open (a submission of the public form), so
    a window closed since does not refuse it."""
    workshops = validate_workshop_choice(forum, workshops, offered=offered)
    if invited_by is not None and invited_by.forum_id != forum.pk:
        invited_by = None
    email = details.email.strip()
    # The forum's row lock comes first, as in every use case that takes seats: registrations
    # for one forum run one after the other, and an address registered meanwhile is found
    # whole (its person, company and registration) or not at all.
    forum = seats.lock_forum(forum.pk)
    if not window_checked and forum.registration_state(now) != RegistrationWindow.OPEN:
        raise RegistrationError(_("Registration for this forum is not open."))
    person = Person.objects.with_email(email).first()
    made = _new_person(details) if person is None else None
    if made is None and person is None:
        # Made at this moment by a registration for another forum, which has committed.
        person = Person.objects.with_email(email).first()
        assert person is not None
    if person is not None:
        existing = Registration.objects.filter(forum=forum, person=person).first()
        if existing and existing.status != RegistrationStatus.CANCELLED:
            return Outcome(registration=existing, created=False)
        if not proven:
            return _hold(forum=forum, details=details, workshops=workshops, invited_by=invited_by)
        company = _known_person_update(details, person)
    else:
        assert made is not None
        person, company = made
        existing = None

    registration = existing or Registration(forum=forum, person=person)
    if existing:
        _replace_secret(registration)
    _apply_details(registration, details, company)
    registration.invited_by = invited_by
    registration.source = source
    registration.consent_given_at = now
    registration.cancelled_at = None
    # A new registration frees no seat, so nobody waiting can move in: the seats it finds
    # free are its own to take (only someone confirmed for the forum holds a workshop seat).
    confirmed = seats.take_forum_seats(forum.pk)
    registration.status = (
        RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED
    )
    registration.waitlisted_at = None if confirmed else now
    places = [
        WorkshopPlace(
            workshop=workshop,
            status=PlaceStatus.CONFIRMED
            if confirmed and seats.take_workshop_seat(workshop.pk)
            else PlaceStatus.WAITLISTED,
        )
        for workshop in workshops
    ]
    kind = EmailKind.CONFIRMATION if confirmed else EmailKind.WAITLISTED
    sequence = None
    if kind in WITH_CALENDAR:  # saved with the registration below: no second write
        held = [p.workshop.pk for p in places if p.status == PlaceStatus.CONFIRMED]
        sequence = calendar_advance(registration, held)
    registration.save()
    if existing:
        WorkshopPlace.objects.filter(registration=registration).delete()
    for place in places:
        place.registration = registration
    WorkshopPlace.objects.bulk_create(places)
    _save_answers(registration, details.answers)
    email_queue(registration=registration, kind=kind, calendar_sequence=sequence)
    return Outcome(registration=registration, created=True)


# --- the public form: accepted at once, carried out by the worker --------------------------------

# A submission carried out is kept this long, with what was typed wiped, to recognise the same
# form sent twice: the second finds the registration the first made, whose confirmation is on
# its way, and sends no manage link.
SUBMISSION_KEPT_FOR = timedelta(minutes=30)
# A submission still not carried out this long after it was stored has lost its task (the queue
# refused it, or its worker stopped): registration_submissions_requeue queues it again.
SUBMISSION_LOST_AFTER = timedelta(minutes=5)


def _submitted_details(details: RegistrantDetails) -> dict[str, Any]:
    return {
        name: value for name, value in details.__dict__.items() if name not in {"email", "language"}
    }


def registration_submit(
    *,
    forum: Forum,
    details: RegistrantDetails,
    workshops: list[Workshop],
    invited_by: Sponsorship | None = None,
    now: datetime | None = None,
    offered: list[Workshop] | None = None,
) -> SubmittedRegistration:
    """Accept a registration from the public form, for an address the requester has not proved
    they control, and have the worker carry it out (registration_submission_carry_out). The
    request does the same work whatever the address, so that neither the page's answer nor its
    time tells a known address from a new one: it checks only what needs no address (the
    window is open; the workshops are the forum's, one per time slot) and stores the request.

    Writes one SubmittedRegistration, committed before this returns: an accepted registration
    is never dropped. Enqueues its carrying out; if the queue refuses it, the submission waits
    for registration_submissions_requeue. Sends nothing itself."""
    now = now or timezone.now()
    workshops = validate_workshop_choice(forum, workshops, offered=offered)
    if forum.registration_state(now) != RegistrationWindow.OPEN:
        raise RegistrationError(_("Registration for this forum is not open."))
    if invited_by is not None and invited_by.forum_id != forum.pk:
        invited_by = None
    with transaction.atomic(durable=True):
        submission = SubmittedRegistration.objects.create(
            forum=forum,
            email=details.email.strip(),
            details=_submitted_details(details),
            workshop_ids=[w.pk for w in workshops],
            invited_by=invited_by,
            language=details.language,
            submitted_at=now,
        )
    _carry_out_later(submission.pk)
    return submission


def _carry_out_later(submission_id: int) -> None:
    """Enqueue a stored submission's carrying out. The submission is committed already: a queue
    that fails must not turn an accepted registration into an error page, so the failure is
    logged (by id) and the submission left to registration_submissions_requeue."""
    try:
        tasks.registration_submission_carry_out.enqueue(submission_id)
    except Exception:
        logger.exception("Registration submission %s could not be queued", submission_id)


def registration_submission_carry_out(
    *, submission_id: int, now: datetime | None = None
) -> Outcome | None:
    """Carry out a submission of the public form, once however many runs try: as
    registration_create does for an unproven request, as of when it was submitted (a window
    closed since does not refuse it). Workshops that no longer fit together (a time moved
    since) are left out: the registration is made without them, and they can be chosen on the
    manage page. For an address that already holds a live registration of the forum, e-mails
    its manage link (manage_link_send), unless a submission of the last SUBMISSION_KEPT_FOR
    made that registration: the same form sent twice, whose confirmation is on its way.

    One durable transaction. Writes what registration_create writes; marks the submission
    carried out, wipes what was typed and the address, and deletes submissions carried out
    more than SUBMISSION_KEPT_FOR ago. Sends what registration_create sends, or the manage
    link, after commit. Returns the outcome; None when the submission had been carried out
    (or deleted) already."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        submission = (
            SubmittedRegistration.objects.select_for_update(of=("self",))
            .select_related("forum", "invited_by")
            .filter(pk=submission_id, carried_out_at__isnull=True)
            .first()
        )
        if submission is None:
            return None
        details = RegistrantDetails(
            email=submission.email, language=submission.language, **submission.details
        )
        workshops = list(
            Workshop.objects.filter(forum=submission.forum_id, pk__in=submission.workshop_ids)
        )
        register = partial(
            _register,
            forum=submission.forum,
            details=details,
            invited_by=submission.invited_by,
            source=RegistrationSource.WEB,
            proven=False,
            now=submission.submitted_at,
            window_checked=True,
        )
        try:
            outcome = register(workshops=workshops)
        except RegistrationError:  # raised by the workshop check, before anything is written
            logger.warning("Registration submission %s: made without its workshops", submission.pk)
            outcome = register(workshops=[])
        made = outcome.registration if outcome.created else None
        if outcome.registration is not None and made is None:
            sent_twice = (
                SubmittedRegistration.objects.filter(
                    registration=outcome.registration,
                    carried_out_at__gte=submission.submitted_at - SUBMISSION_KEPT_FOR,
                )
                .exclude(pk=submission.pk)
                .exists()
            )
            if not sent_twice:
                manage_link_send(forum=submission.forum, email=submission.email)
        submission.carried_out_at = now
        submission.registration = made
        submission.email, submission.details, submission.workshop_ids = "", {}, []
        submission.save()
        SubmittedRegistration.objects.filter(carried_out_at__lt=now - SUBMISSION_KEPT_FOR).delete()
    return outcome


def registration_submissions_requeue(*, now: datetime | None = None) -> list[int]:
    """Queue again the submissions of the public form not carried out SUBMISSION_LOST_AFTER
    after they were stored: their task was lost, or its worker stopped. Carrying one out twice
    does it once. Writes nothing; enqueues one task per submission. Returns their ids."""
    now = now or timezone.now()
    lost = list(
        SubmittedRegistration.objects.filter(
            carried_out_at__isnull=True, submitted_at__lt=now - SUBMISSION_LOST_AFTER
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for submission_id in lost:
        _carry_out_later(submission_id)
    if lost:
        logger.info("Registration submissions queued again: %s", lost)
    return lost


def _registration_made(held: HeldRegistration) -> Registration | None:
    """The registration a confirmed held request made, if it made one and it still exists."""
    if held.registration_id is None:
        return None
    return Registration.objects.filter(pk=held.registration_id).first()


def registration_confirm_held(*, held: HeldRegistration, now: datetime | None = None) -> Outcome:
    """Carry out a held registration, now that its link has been followed: register with its
    details (updating what is held about the person), as registration_create does with
    `proven`. Following the link again changes nothing and returns the registration it made."""
    now = now or timezone.now()
    if held.confirmed_at is not None:
        return Outcome(registration=_registration_made(held), created=False)
    details = RegistrantDetails(email=held.email, language=held.language, **held.details)
    workshops = list(Workshop.objects.filter(forum=held.forum_id, pk__in=held.workshop_ids))
    with transaction.atomic(durable=True):
        claimed = HeldRegistration.objects.filter(pk=held.pk, confirmed_at__isnull=True).update(
            confirmed_at=now
        )
        if not claimed:  # a second click at the same moment
            held.refresh_from_db()
            return Outcome(registration=_registration_made(held), created=False)
        outcome = _register(
            forum=held.forum,
            details=details,
            workshops=workshops,
            invited_by=held.invited_by,
            source=RegistrationSource.WEB,
            proven=True,
            now=now,
        )
        HeldRegistration.objects.filter(pk=held.pk).update(registration=outcome.registration)
    return outcome


def registration_change_workshops(
    *,
    registration: Registration,
    workshops: list[Workshop],
    now: datetime | None = None,
    by: Actor | None = None,
    override_reason: str | None = None,
) -> Registration:
    """Replace a registration's workshop choices. Seats given up go to the next in line; newly
    chosen workshops are joined at the back of their queue (a seat if one is free). Kept choices
    keep their seat or place in the queue. Sends a 'changed' e-mail, and 'promoted' e-mails to
    whoever moved in.

    `by` the secretariat, acting for the registrant: the change is audited
    ("registration.workshops_changed", with the workshops before and after). With an
    `override_reason` too, a confirmed registrant gets a seat in each newly chosen workshop even
    when it is full: its seat limit is raised by one, and the audit entry names each limit
    raised and the reason (as for a walk-in)."""
    now = now or timezone.now()
    by = by or Actor.registrant()
    reason = _override_reason(override_reason, by)
    workshops = validate_workshop_choice(registration.forum, workshops)
    with transaction.atomic():
        forum = seats.lock_forum(registration.forum_id)
        registration = Registration.objects.select_related("person", "forum").get(
            pk=registration.pk
        )
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationError(_("This registration has been cancelled."))
        if forum.ends_at <= now:
            raise RegistrationError(_("This forum has ended; its workshops can no longer change."))
        wanted = {w.pk for w in workshops}
        current = {p.workshop_id: p for p in registration.workshop_places.all()}
        for workshop_id in sorted(set(current) - wanted):
            place = current[workshop_id]
            if place.status == PlaceStatus.CONFIRMED:
                seats.release_workshop_seat(workshop_id)
            place.delete()
        added = sorted(wanted - set(current))
        overrides: list[CapacityOverride] = []
        seated: set[int] = set()
        if reason is not None and registration.status == RegistrationStatus.CONFIRMED:
            for workshop_id in added:
                if not seats.take_workshop_seat(workshop_id):
                    before, after = seats.take_workshop_seat_beyond_limit(workshop_id)
                    overrides.append(
                        CapacityOverride(Workshop.objects.get(pk=workshop_id), before, after)
                    )
                seated.add(workshop_id)
        WorkshopPlace.objects.bulk_create(
            WorkshopPlace(
                registration=registration,
                workshop_id=pk,
                status=PlaceStatus.CONFIRMED if pk in seated else PlaceStatus.WAITLISTED,
            )
            for pk in added
        )
        _audit(
            by,
            "registration.workshops_changed",
            registration,
            {
                "before": sorted(current),
                "after": sorted(wanted),
                "limits_raised": [
                    {"workshop": o.workshop.pk, "from": o.before, "to": o.after}
                    for o in overrides
                    if o.workshop is not None
                ],
                **({"reason": reason} if overrides else {}),
            },
        )
        promotions = seats.settle(forum)
        email_queue(registration=registration, kind=EmailKind.CHANGED)
        notify_promotions(promotions, except_registration=registration)
    return registration


def registration_update_details(
    *, registration: Registration, details: RegistrantDetails
) -> Registration:
    """Update the registrant's own details (not the e-mail, which identifies them) and, when
    `details.answers` is given, the answers to the questions the forum asks now. Sends nothing."""
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        company = company_for_name(
            name=details.company_name,
            country=details.country,
            email=registration.person.email or "",
        )
        person = registration.person
        for name, value in _person_values(details, company).items():
            setattr(person, name, value)
        person.save()
        _apply_details(registration, details, company)
        registration.save()
        _save_answers(registration, details.answers)
    return registration


def registration_cancel(
    *, registration: Registration, by: Actor, now: datetime | None = None
) -> Registration:
    """Cancel a registration, freeing its forum seat and workshop seats; the first people waiting
    move in, in the same transaction. Draws a new manage-link secret, so links sent before stop
    working. Records the cancellation when someone other than the registrant does it. Sends a
    'cancelled' e-mail (with a calendar cancellation) to the registrant and a 'promoted' e-mail to
    each person moved in. Cancelling twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        forum = seats.lock_forum(registration.forum_id)
        registration = Registration.objects.select_related("person", "forum").get(
            pk=registration.pk
        )
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        if registration.status in RegistrationStatus.holding_a_seat():
            seats.release_forum_seat(forum.pk)
        for place in registration.workshop_places.all():
            if place.status == PlaceStatus.CONFIRMED:
                seats.release_workshop_seat(place.workshop_id)
        registration.workshop_places.all().delete()
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.waitlisted_at = None
        _replace_secret(registration)  # links sent before stop working
        registration.save()
        _audit(by, "registration.cancelled", registration)
        promotions = seats.settle(forum)
        email_queue(registration=registration, kind=EmailKind.CANCELLED)
        notify_promotions(promotions, except_registration=None)
    return registration


def workshop_set_seat_limit(*, workshop: Workshop, seat_limit: int, by: Actor) -> Workshop:
    """Change a workshop's seat limit. Lowering it below the seats already taken is refused;
    raising it moves in the first people waiting and e-mails them. Records the change."""
    with transaction.atomic():
        forum = seats.lock_forum(workshop.forum_id)
        workshop = Workshop.objects.get(pk=workshop.pk)
        before = workshop.seat_limit
        workshop.seat_limit = seat_limit
        workshop.full_clean()  # refuses a limit below 1 or below the seats already taken
        workshop.save(update_fields=["seat_limit"])
        if before != seat_limit:
            _audit(by, "workshop.seat_limit_changed", workshop, {"from": before, "to": seat_limit})
        promotions = seats.settle(forum)
        notify_promotions(promotions, except_registration=None)
    return workshop


def workshop_update(*, workshop: Workshop, changed: list[str], by: Actor) -> Workshop:
    """Save a workshop the secretariat edited (an unsaved instance holding the new values):
    every changed field but the seat limit as typed, and the seat limit through
    workshop_set_seat_limit (refused below the seats taken, recorded, moving people in when
    raised). Sends what that sends."""
    with transaction.atomic():
        new_limit = workshop.seat_limit
        fields = [name for name in changed if name not in {"seat_limit", "facilitators", "led_by"}]
        if fields:
            workshop.save(update_fields=fields)
        if "seat_limit" in changed:
            workshop_set_seat_limit(workshop=workshop, seat_limit=new_limit, by=by)
    return workshop


def forum_settle_after_change(*, forum: Forum, by: Actor, capacity_from: int | None = None) -> None:
    """Move waiting people into seats a capacity change freed (e.g. the secretariat raised the
    forum's capacity in the admin), recording the change of capacity when there was one.
    E-mails each person moved in."""
    with transaction.atomic():
        forum = seats.lock_forum(forum.pk)
        if capacity_from is not None and capacity_from != forum.capacity:
            _audit(
                by, "forum.capacity_changed", forum, {"from": capacity_from, "to": forum.capacity}
            )
        notify_promotions(seats.settle(forum), except_registration=None)


def registration_resend(*, registration: Registration) -> None:
    """Send the registrant their current confirmation (or waiting-list notice) again, with the
    manage link."""
    kinds: dict[str, EmailKind] = {
        RegistrationStatus.CONFIRMED: EmailKind.CONFIRMATION,
        RegistrationStatus.WAITLISTED: EmailKind.WAITLISTED,
        RegistrationStatus.CANCELLED: EmailKind.CANCELLED,
    }
    kind = kinds.get(registration.status, EmailKind.MANAGE_LINK)
    with transaction.atomic():
        email_queue(registration=registration, kind=kind)


def manage_link_send(*, forum: Forum | None, email: str) -> int:
    """Send manage links for the live registrations of this address (of one forum, or all
    upcoming ones). Says nothing about whether the address is registered. At most
    LINK_EMAILS_PER_HOUR link e-mails per address are sent, so the public forms cannot be used
    to flood someone's inbox. Returns the number of e-mails queued."""
    if _address_throttled(email):
        return 0
    registrations = Registration.objects.filter(
        person__in=Person.objects.with_email(email), forum__ends_at__gt=timezone.now()
    ).exclude(status=RegistrationStatus.CANCELLED)
    if forum is not None:
        registrations = registrations.filter(forum=forum)
    count = 0
    with transaction.atomic():
        for registration in registrations.select_related("forum", "person"):
            email_queue(registration=registration, kind=EmailKind.MANAGE_LINK)
            count += 1
    return count


# --- programme changes -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeChange:
    """A moved time or place: of the forum, or of one of its workshops."""

    field: str  # starts_at, ends_at, venue, venue_address, city; or a workshop's room
    old: datetime | str | None
    new: datetime | str | None
    workshop: Workshop | None = None

    @property
    def label(self) -> "StrOrPromise":
        model = Workshop if self.workshop is not None else Forum
        return capfirst(
            cast("models.Field[Any, Any]", model._meta.get_field(self.field)).verbose_name
        )

    @property
    def is_time(self) -> bool:
        return isinstance(self.new, datetime) or isinstance(self.old, datetime)


def forum_programme_changed(*, forum: Forum, changes: list[ProgrammeChange]) -> int:
    """Tell the people registered for a forum (confirmed or waiting, not cancelled) that its time
    or place has moved. Each gets one 'programme_changed' e-mail listing the changes that concern
    them (the forum's, and those of the workshops they hold or wait for a place in) with their
    updated calendar file, sent after commit. A forum that has ended sends nothing. Changes no
    data. Returns the number of e-mails queued."""
    if not changes or forum.ends_at <= timezone.now():
        return 0
    of_forum = [change for change in changes if change.workshop is None]
    of_workshop: dict[int, list[ProgrammeChange]] = {}
    for change in changes:
        if change.workshop is not None:
            of_workshop.setdefault(change.workshop.pk, []).append(change)
    registrations = (
        Registration.objects.filter(forum=forum, person__email__isnull=False)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exclude(person__email="")
        .select_related("forum", "person")
        .prefetch_related("workshop_places")
        .order_by("pk")
    )
    count = 0
    with transaction.atomic():
        for registration in registrations:
            theirs = of_forum + [
                change
                for place in registration.workshop_places.all()
                for change in of_workshop.get(place.workshop_id, [])
            ]
            if theirs:
                email_queue(
                    registration=registration, kind=EmailKind.PROGRAMME_CHANGED, changes=theirs
                )
                count += 1
    return count


# Forums in these states are still ahead and announced: their registrants get reminders.
REMINDED_FORUM_STATUSES = (
    ForumStatus.PUBLISHED,
    ForumStatus.REGISTRATION_OPEN,
    ForumStatus.REGISTRATION_CLOSED,
)


def forum_reminder_due_at(forum: Forum) -> datetime | None:
    """When the forum's reminder is due: `reminder_days_before` days before it starts, at the
    same time of day on the clock of the forum's zone (a change of summer time in between moves
    it by an hour in UTC, not on the venue's clock). None when the forum sends no reminder."""
    if not forum.reminder_days_before:
        return None
    local_start = forum.starts_at.astimezone(forum.zone)
    # Arithmetic on an aware datetime keeps the wall clock of its own zone.
    return local_start - timedelta(days=forum.reminder_days_before)


def reminders_send(*, now: datetime | None = None) -> int:
    """Queue the reminder (venue, address, agenda and their confirmed workshops) for every
    confirmed registration of the forums whose reminder is due and which have not started.
    Only confirmed registrants: the waiting list has no seat to come to, and a reminder would
    read as an invitation. Each registration gets it once, however many runs overlap: a
    conditional UPDATE sets `reminded_at` only where it is still empty, in the same transaction
    as the outbox row, so of two runs only the one whose UPDATE changed the row queues the
    message. No forum lock: no seat is touched, and a registration cancelled meanwhile no
    longer matches the UPDATE. Returns how many reminders were queued.

    Side effects: sets `reminded_at` on each reminded registration; creates one unrendered
    OutgoingEmail per registrant with an address (sent by the worker after commit)."""
    now = now or timezone.now()
    forums = Forum.objects.filter(
        status__in=REMINDED_FORUM_STATUSES,
        reminder_days_before__gt=0,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=REMINDER_DAYS_BEFORE_MAX + 1),
    ).order_by("starts_at", "pk")
    queued = 0
    for forum in forums:
        due_at = forum_reminder_due_at(forum)
        if due_at is None or now < due_at:
            continue
        waiting = Registration.objects.filter(
            forum=forum, status=RegistrationStatus.CONFIRMED, reminded_at__isnull=True
        )
        for pk in waiting.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic():
                taken = Registration.objects.filter(
                    pk=pk, status=RegistrationStatus.CONFIRMED, reminded_at__isnull=True
                ).update(reminded_at=now)
                if not taken:
                    continue  # another run reminded them, or they cancelled meanwhile
                registration = Registration.objects.select_related("person").get(pk=pk)
                if email_queue(registration=registration, kind=EmailKind.REMINDER):
                    queued += 1
    return queued


# --- walk-ins ----------------------------------------------------------------------------------

# What an override's reason may hold (it is kept in the audit log).
OVERRIDE_REASON_MAX_LENGTH = 300


@dataclass(frozen=True)
class FullPlace:
    """The forum (`workshop` None) or a chosen workshop that has no free seat."""

    workshop: Workshop | None
    message: str


class WalkInFull(RegistrationError):
    """The forum or chosen workshops are full and no override was given; nothing was written.
    `places` names each one that is full."""

    def __init__(self, places: list[FullPlace]):
        super().__init__(" ".join(place.message for place in places))
        self.places = places


@dataclass(frozen=True)
class CapacityOverride:
    """A limit raised by one for a walk-in: the forum's capacity (`workshop` None) or a
    workshop's seat limit."""

    workshop: Workshop | None
    before: int
    after: int


@dataclass(frozen=True)
class WalkInOutcome:
    """A registration made at the door (`created`), or the one the address already holds
    (`created` False, nothing changed). `known_person`: the address was already known and its
    stored details were kept. `revived`: a cancelled registration was made live again."""

    registration: Registration
    created: bool
    known_person: bool = False
    revived: bool = False
    overrides: tuple[CapacityOverride, ...] = ()


def _override_reason(reason: str | None, by: Actor) -> str | None:
    """The override's reason, checked: given by the secretariat, not empty, bounded."""
    if reason is None:
        return None
    if not is_secretariat(by.user or AnonymousUser()):
        raise RegistrationError(
            _("Only the secretariat can let someone in beyond a limit."), field="override_reason"
        )
    reason = reason.strip()
    if not reason:
        raise RegistrationError(
            _("Say why this person may come in although the place is full."),
            field="override_reason",
        )
    problem = text_problem(reason, max_length=OVERRIDE_REASON_MAX_LENGTH)
    if problem:
        raise RegistrationError(problem, field="override_reason")
    return reason


def _take_walk_in_seats(
    forum: Forum, workshops: list[Workshop], reason: str | None
) -> tuple[list[FullPlace], list[CapacityOverride]]:
    """Take a seat in the forum and in each workshop, beyond the limit where one is full and
    there is a reason; else list it as full. Call with the forum locked."""
    full: list[FullPlace] = []
    overrides: list[CapacityOverride] = []
    if not seats.take_forum_seats(forum.pk):
        if reason is None:
            message = _("The forum is full: all %(capacity)s seats are taken.") % {
                "capacity": forum.capacity
            }
            full.append(FullPlace(None, message))
        else:
            before, after = seats.take_forum_seat_beyond_capacity(forum.pk)
            overrides.append(CapacityOverride(None, before, after))
    for workshop in workshops:
        if seats.take_workshop_seat(workshop.pk):
            continue
        if reason is None:
            message = _(
                "%(code)s · %(title)s is full: all %(limit)s seats are taken. "
                "Choose another workshop, or none."
            ) % {"code": workshop.code, "title": workshop.title, "limit": workshop.seat_limit}
            full.append(FullPlace(workshop, message))
        else:
            before, after = seats.take_workshop_seat_beyond_limit(workshop.pk)
            overrides.append(CapacityOverride(workshop, before, after))
    return full, overrides


def _walk_in_person(
    details: RegistrantDetails, company: Organisation, person: Person | None
) -> Person:
    """A new person with what was typed, or the known one with only their blank fields filled:
    what a door helper types never replaces what the person gave themselves."""
    values = _person_values(details, company)
    if person is None:
        email = details.email.strip() or None
        try:
            with transaction.atomic():
                return Person.objects.create(email=email, **values)
        except IntegrityError:  # the address was registered elsewhere at the same moment
            person = Person.objects.with_email(details.email).get()
    blank = [name for name in ("last_name", "country", "organisation") if not getattr(person, name)]
    for name in blank:
        setattr(person, name, values[name])
    if blank:
        person.save(update_fields=blank)
    return person


@transaction.atomic(durable=True)
def registration_walk_in(
    *,
    forum: Forum,
    details: RegistrantDetails,
    workshops: list[Workshop],
    by: Actor,
    override_reason: str | None = None,
    now: datetime | None = None,
    offered: list[Workshop] | None = None,
) -> WalkInOutcome:
    """Register someone standing at the forum's door, confirmed at once, whatever the
    registration window says. A walk-in never joins a waiting list.

    An address that already holds a live registration for this forum (confirmed or waiting)
    gets it back, nothing changed. A known address's person is used as stored: only blank
    fields are filled. The e-mail may be empty: a new person is then made with the name only.

    Takes a forum seat and a seat in each chosen workshop (one per time slot). Where one is
    full: without `override_reason`, raises WalkInFull naming each full place and writes
    nothing; with a reason (the secretariat only, else RegistrationError), raises that limit
    by one, for this person, and records who did it, why, and the limit before and after.

    Writes: the company (matched as the registration form does), the person (new, or blank
    fields filled), the registration (new, or a cancelled one revived with a new manage-link
    secret), its workshop places, an audit entry "registration.walk_in" and, per override, one
    "forum.capacity_overridden" or "workshop.seat_limit_overridden" entry. Sends the
    confirmation (with calendar file and manage link) after commit, if there is an address."""
    now = now or timezone.now()
    workshops = validate_workshop_choice(forum, workshops, offered=offered)
    reason = _override_reason(override_reason, by)
    email = details.email.strip()
    forum = seats.lock_forum(forum.pk)
    person = Person.objects.with_email(email).first() if email else None
    existing = (
        Registration.objects.select_related("person", "company").filter(forum=forum, person=person)
        if person is not None
        else Registration.objects.none()
    ).first()
    if existing and existing.status != RegistrationStatus.CANCELLED:
        return WalkInOutcome(registration=existing, created=False, known_person=True)

    full, overrides = _take_walk_in_seats(forum, workshops, reason)
    if full:
        raise WalkInFull(full)  # the seats taken above go back with the transaction

    known_person = person is not None
    company = company_for_name(name=details.company_name, country=details.country, email=email)
    person = _walk_in_person(details, company, person)
    registration = existing or Registration(forum=forum, person=person)
    if existing:
        _replace_secret(registration)
    _apply_details(registration, details, company)
    registration.invited_by = None
    registration.source = RegistrationSource.WALK_IN
    registration.consent_given_at = now
    registration.cancelled_at = None
    registration.status = RegistrationStatus.CONFIRMED
    registration.waitlisted_at = None
    sequence = calendar_advance(registration, [w.pk for w in workshops]) if email else None
    registration.save()
    if existing:
        WorkshopPlace.objects.filter(registration=registration).delete()
    WorkshopPlace.objects.bulk_create(
        WorkshopPlace(registration=registration, workshop=workshop, status=PlaceStatus.CONFIRMED)
        for workshop in workshops
    )
    audit_record(
        by=by,
        action="registration.walk_in",
        subject=registration,
        data={"revived": bool(existing), "workshops": [w.code for w in workshops]},
    )
    for override in overrides:
        audit_record(
            by=by,
            action=(
                "forum.capacity_overridden"
                if override.workshop is None
                else "workshop.seat_limit_overridden"
            ),
            subject=override.workshop or forum,
            data={
                "from": override.before,
                "to": override.after,
                "reason": reason,
                "registration": registration.pk,
            },
        )
    if email:
        email_queue(
            registration=registration, kind=EmailKind.CONFIRMATION, calendar_sequence=sequence
        )
    return WalkInOutcome(
        registration=registration,
        created=True,
        known_person=known_person,
        revived=bool(existing),
        overrides=tuple(overrides),
    )

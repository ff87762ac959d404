"""E-mails to registrants: rendered in the registrant's language and the forum's time zone when
the change happens, stored as OutgoingEmail, and sent by a background task after commit."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from forums.enums import RegistrationWindow
from registrations.enums import RegistrationStatus
from registrations.ical import held_workshop_ids, registration_invitation
from registrations.models import HeldRegistration, OutgoingEmail, Registration
from registrations.selectors import registration_overview
from registrations.tasks import outgoing_email_create
from registrations.tokens import HELD_LINK_LIFETIME, manage_token

SUBJECTS = {
    "confirmation": "registrations/email/confirmation_subject.txt",
    "waitlisted": "registrations/email/waitlisted_subject.txt",
    "promoted": "registrations/email/promoted_subject.txt",
    "changed": "registrations/email/changed_subject.txt",
    "cancelled": "registrations/email/cancelled_subject.txt",
    "manage_link": "registrations/email/manage_link_subject.txt",
    "confirm_registration": "registrations/email/confirm_registration_subject.txt",
    "programme_changed": "registrations/email/programme_changed_subject.txt",
}
# Kinds whose message brings the registrant's calendar up to date.
WITH_CALENDAR = {"confirmation", "promoted", "changed", "cancelled", "programme_changed"}


def manage_url(registration: Registration) -> str:
    path = reverse("registrations:manage", kwargs={"token": manage_token(registration)})
    return f"{settings.SITE_URL}{path}"


def _render(kind: str, context: dict, *, language: str, zone) -> tuple[str, str, str]:
    with translation.override(language), timezone.override(zone):
        context = {**context, "LANGUAGE_CODE": language}
        subject = " ".join(render_to_string(SUBJECTS[kind], context).split())
        body_text = render_to_string(f"registrations/email/{kind}.txt", context)
        body_html = render_to_string(f"registrations/email/{kind}.html", context)
    return subject, body_text, body_html


def _calendar_files(registration: Registration) -> tuple[str, str]:
    """The calendar objects to attach, with the registration's SEQUENCE moved on and the
    workshops sent remembered (so a later file can cancel the ones dropped)."""
    registration.calendar_sequence += 1
    request, cancel = registration_invitation(registration, site_url=settings.SITE_URL)
    sent = set(registration.calendar_workshops or []) | set(held_workshop_ids(registration))
    registration.calendar_workshops = sorted(sent)
    Registration.objects.filter(pk=registration.pk).update(
        calendar_sequence=registration.calendar_sequence,
        calendar_workshops=registration.calendar_workshops,
    )
    return request, cancel


def email_queue(
    *, registration: Registration, kind: str, promoted_workshops=(), changes=()
) -> OutgoingEmail | None:
    """Render and store one e-mail for a registrant; its sending is enqueued after commit.
    Messages that change what the registrant holds carry the calendar files that bring their
    calendar up to date. A registrant whose address the secretariat removed gets nothing."""
    if not registration.person.email:
        return None
    forum = registration.forum
    forum_url = f"{settings.SITE_URL}{forum.get_absolute_url()}"
    cancelled = registration.status == RegistrationStatus.CANCELLED
    context = {
        "registration": registration,
        "overview": registration_overview(registration),
        "forum": forum,
        "person": registration.person,
        "manage_url": "" if cancelled else manage_url(registration),
        "forum_url": forum_url,
        "register_url": (
            f"{settings.SITE_URL}{reverse('registrations:register', args=[forum.slug])}"
            if cancelled and forum.registration_state() == RegistrationWindow.OPEN
            else ""
        ),
        "promoted_workshops": list(promoted_workshops),
        "changes": list(changes),
    }
    subject, body_text, body_html = _render(
        kind, context, language=registration.language, zone=forum.zone
    )
    ics, ics_cancel = _calendar_files(registration) if kind in WITH_CALENDAR else ("", "")
    return outgoing_email_create(
        kind=kind,
        registration=registration,
        to=registration.person.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        ics=ics,
        ics_cancel=ics_cancel,
    )


def held_email_queue(*, held: HeldRegistration) -> OutgoingEmail:
    """The e-mail that asks the owner of an address to confirm a registration made with it."""
    path = reverse("registrations:confirm", kwargs={"token": held.secret})
    forum = held.forum
    context = {
        "forum": forum,
        "held": held,
        "person": {"first_name": held.details.get("first_name", "")},
        "confirm_url": f"{settings.SITE_URL}{path}",
        "forum_url": f"{settings.SITE_URL}{forum.get_absolute_url()}",
        "valid_until": held.created_at + HELD_LINK_LIFETIME,
    }
    subject, body_text, body_html = _render(
        "confirm_registration", context, language=held.language, zone=forum.zone
    )
    return outgoing_email_create(
        kind="confirm_registration",
        to=held.email,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
